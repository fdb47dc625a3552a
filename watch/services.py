"""Writes of the watch app: following, unfollowing, digest settings, and sending digests."""

import logging
import smtplib
from collections import Counter

from django.db import transaction
from django.utils import timezone

from companies.models import Company

from .digest import follow_news
from .emails import digest_email, without_repeats
from .models import Follow, Reader

logger = logging.getLogger(__name__)


def reader_for(user, *, language: str = "en") -> Reader:
    """The user's digest settings, made on first use with the language they are reading in."""
    reader, _ = Reader.objects.get_or_create(user=user, defaults={"language": language})
    return reader


def follow(*, user, company: Company | None = None, query: str = "", language: str = "en"):
    """Follow a company or a saved filter (a canonical query string); following twice is one
    follow. Its first digest lists what happens from now on."""
    reader_for(user, language=language)
    if company is not None:
        return Follow.objects.get_or_create(user=user, company=company)[0]
    return Follow.objects.get_or_create(user=user, query=query)[0]


def unfollow(*, user, company: Company | None = None, query: str = "") -> None:
    follows = Follow.objects.filter(user=user)
    if company is not None:
        follows.filter(company=company).delete()
    else:
        follows.filter(company=None, query=query).delete()


def set_digests(*, reader: Reader, receives: bool) -> None:
    """Stop or restart a reader's digests. Restarting does not send what happened meanwhile:
    the follows' windows moved on at every run while they were off."""
    reader.receives_digests = receives
    reader.save(update_fields=["receives_digests"])


def send_digests(*, until=None) -> Counter:
    """Email every follower what changed since their last digest, up to `until` (now), once.

    Each reader is handled in its own transaction that first locks their follows (PostgreSQL
    row locks; SQLite's immediate transactions lock the database), so two runs at once never
    send the same news twice; after the email is sent, every follow's `sent_until` moves to
    `until`. A reader who is unsubscribed, inactive or has no address gets nothing, and their
    windows move on too. Returns the counts the command prints.
    """
    until = until or timezone.now()
    counts = Counter()
    for user_id in Follow.objects.order_by().values_list("user_id", flat=True).distinct():
        try:
            with transaction.atomic():
                _send_one(user_id, until, counts)
        except (OSError, smtplib.SMTPException):
            # Rolled back: this reader's windows stay put and the next run tries again.
            logger.exception("The digest of user %s could not be sent", user_id)
            counts["failed"] += 1
    return counts


def _send_one(user_id: int, until, counts: Counter) -> None:
    follows = list(
        Follow.objects.select_for_update(of=("self",))
        .filter(user_id=user_id, sent_until__lt=until)
        .select_related("company", "user")
        .order_by("created_at", "pk")
    )
    if not follows:
        return
    user = follows[0].user
    reader = reader_for(user)
    if not (reader.receives_digests and user.is_active and user.email):
        counts["not sent (unsubscribed, inactive or no address)"] += 1
    else:
        sections = without_repeats([follow_news(follow, until) for follow in follows])
        if sections:
            digest_email(reader, sections).send()
            counts["sent"] += 1
            counts["new deals"] += sum(len(news.new_deals) for news in sections)
            counts["status changes"] += sum(len(news.status_changes) for news in sections)
            counts["corrected figures"] += sum(len(news.corrections) for news in sections)
        else:
            counts["nothing new"] += 1
    Follow.objects.filter(pk__in=[follow.pk for follow in follows]).update(sent_until=until)
