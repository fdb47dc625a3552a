"""The digest email: one per reader, in their language, with absolute links and a one-click
unsubscribe (a signed token in the link and in the List-Unsubscribe header, RFC 8058)."""

from urllib.parse import urljoin

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override, pgettext

from .digest import FollowNews
from .models import Reader
from .saved_filters import describe

_UNSUBSCRIBE_SALT = "watch.unsubscribe"


def unsubscribe_token(reader: Reader) -> str:
    """A token that stops `reader`'s digests, without sign-in; it never expires (an old
    email's link must still work) and cannot be forged without the secret key."""
    return signing.dumps(reader.pk, salt=_UNSUBSCRIBE_SALT)


def reader_of_token(token: str) -> Reader | None:
    try:
        pk = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Reader.objects.filter(pk=pk).select_related("user").first()


def absolute(path: str) -> str:
    """`path` on the public site (DEALWATCH_SITE_URL): emails are read away from any request."""
    return urljoin(settings.DEALWATCH_SITE_URL.rstrip("/") + "/", path.lstrip("/"))


def without_repeats(sections: list[FollowNews]) -> list[FollowNews]:
    """Each deal, status change and correction once per email, under the first follow that
    covers it (a deal between two followed companies is one piece of news)."""
    seen = set()
    for news in sections:
        news.new_deals = _unseen(news.new_deals, seen, lambda deal: ("deal", deal.pk))
        news.status_changes = _unseen(
            news.status_changes, seen, lambda change: ("status", change.history_id)
        )
        news.corrections = _unseen(news.corrections, seen, lambda fix: ("figure", fix.deal.pk))
    return [news for news in sections if len(news)]


def _unseen(items, seen: set, key) -> list:
    fresh = [item for item in items if key(item) not in seen]
    seen.update(key(item) for item in fresh)
    return fresh


def _subject(sections: list[FollowNews]) -> str:
    deals = sum(len(news.new_deals) for news in sections)
    changes = sum(len(news.status_changes) + len(news.corrections) for news in sections)
    parts = []
    if deals:
        parts.append(
            ngettext("%(count)s new deal", "%(count)s new deals", deals) % {"count": deals}
        )
    if changes:
        parts.append(
            ngettext("%(count)s change", "%(count)s changes", changes) % {"count": changes}
        )
    separator = pgettext("list separator", ",") + " "
    return _("DealWatch: %(news)s") % {"news": separator.join(parts)}


def digest_email(reader: Reader, sections: list[FollowNews]) -> EmailMultiAlternatives:
    """The email telling `reader` the news of `sections`, written in the reader's language."""
    with override(reader.language):
        unsubscribe = absolute(reverse("watch:unsubscribe", args=[unsubscribe_token(reader)]))
        for news in sections:
            follow = news.follow
            news.title = (
                follow.company.display_name if follow.company_id else describe(follow.query)
            )
            news.link = absolute(
                follow.company.get_absolute_url()
                if follow.company_id
                else f"{reverse('deals:timeline')}?{follow.query}"
            )
        context = {
            "reader": reader,
            "sections": sections,
            "unsubscribe_url": unsubscribe,
            "watchlist_url": absolute(reverse("watch:watchlist")),
            "site_url": absolute("/"),
            "site": settings.DEALWATCH_SITE_URL,
        }
        email = EmailMultiAlternatives(
            subject=_subject(sections),
            body=render_to_string("watch/digest_email.txt", context),
            to=[reader.user.email],
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        email.attach_alternative(render_to_string("watch/digest_email.html", context), "text/html")
    return email
