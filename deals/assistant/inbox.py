"""Writes of the editors' inbox: add a deal the assistant missed, mark an article done.

A missed deal becomes one more proposed `DealDraft`, in the stored shape the extractor writes,
so the editor completes it in the same review form and nothing is published until they accept
it. Its quote must be a sentence of the article, verbatim: a citation never paraphrases.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from deals.models import Article, DealDraft, DealType, Qualifier
from sources.models import ArticleReview

EDITOR_ADDED = "added_by_editor"


def _located(article: Article, quote: str) -> tuple[str, int]:
    """The quote as the article writes it and where; refused when it is not verbatim."""
    quote = quote.strip()
    if not quote:
        raise ValidationError({"quote": _("Select the sentence that reports the deal.")})
    start = article.body.find(quote)
    if start < 0:
        raise ValidationError(
            {"quote": _("The quote must be copied from the article exactly; it is not in it.")}
        )
    return quote, start


@transaction.atomic
def draft_add_missed(*, article: Article, quote: str, deal_type: str, user=None) -> DealDraft:
    """A draft for a deal the assistant missed, its parties and figures left to the editor."""
    if deal_type not in DealType.values:
        raise ValidationError({"deal_type": _("Choose the type of deal.")})
    quote, start = _located(article, quote)
    position = article.deal_drafts.aggregate(last=Max("position"))["last"]
    proposal = {
        "type": deal_type,
        "payer": None,
        "payer_name": "",
        "payee": None,
        "payee_name": "",
        "amount_usd": None,
        "amount_qualifier": str(Qualifier.UNDISCLOSED),
        "status": "announced",
        "quote": quote,
        "start": start,
        "end": start + len(quote),
        "why": [_("Added by an editor: the assistant did not propose this deal.")],
        EDITOR_ADDED: getattr(user, "username", "") or True,
    }
    draft = DealDraft(
        article=article,
        position=0 if position is None else position + 1,
        proposal=proposal,
        quote=quote,
    )
    draft.full_clean()
    draft.save()
    ArticleReview.objects.update_or_create(
        article=article, defaults={"state": ArticleReview.State.NEW}
    )
    return draft


@transaction.atomic
def article_mark(*, article: Article, state: str, user=None) -> ArticleReview:
    """Take the article out of the inbox (reviewed or ignored), or put it back (new)."""
    if state not in ArticleReview.State.values:
        raise ValidationError(_("Choose Reviewed, Ignored or Back to the inbox."))
    review, _created = ArticleReview.objects.get_or_create(article=article)
    review.state = state
    review.decided_by = user if user is not None and user.is_authenticated else None
    review.decided_at = timezone.now()
    review.save()
    return review
