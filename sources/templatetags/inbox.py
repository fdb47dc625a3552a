"""The editors' inbox counts, for the admin index."""

from django import template
from django.db.models import Count, Q

from deals.models import DealDraft
from sources.models import ArticleReview

register = template.Library()


@register.simple_tag
def inbox_counts() -> dict:
    """New articles in the inbox and their drafts still to review, in one query."""
    return ArticleReview.objects.filter(state=ArticleReview.State.NEW).aggregate(
        articles=Count("pk", distinct=True),
        drafts=Count(
            "article__deal_drafts",
            filter=Q(article__deal_drafts__status=DealDraft.Status.PROPOSED),
        ),
    )
