"""Reads for the article pages: the list of sources, and one article with what cites it.

Every quote that cites an article (a deal's, a valuation's, a data centre's, a deal's or a
site's status change's) is read here in a fixed number of queries; deals.pages.articles turns
them into the reader's highlights and its "facts from this article" list.
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from deals.models import (
    Article,
    DataCenterCitation,
    DataCenterStatusChange,
    DealCitation,
    DealStatusChange,
    ValuationCitation,
)


def _count_for_article(queryset):
    """How many rows of `queryset` point at the outer article, as an integer (0 if none)."""
    return Coalesce(
        Subquery(
            queryset.filter(article=OuterRef("pk"))
            .order_by()
            .values("article")
            .annotate(total=Count("pk"))
            .values("total"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def article_page(*, page_number, per_page: int) -> Page:
    """One page of articles, newest first, each with how many quotes cite it (`quotes`).

    The counts are computed for the page's articles only (correlated subqueries on 50 rows),
    so a deep page costs the same as the first.
    """
    ids = Paginator(Article.objects.values_list("pk", flat=True), per_page).get_page(page_number)
    counted = (
        Article.objects.defer("body")
        .filter(pk__in=list(ids.object_list))
        .annotate(
            deal_quotes=_count_for_article(DealCitation.objects.all()),
            valuation_quotes=_count_for_article(ValuationCitation.objects.all()),
            data_center_quotes=_count_for_article(DataCenterCitation.objects.all()),
            status_quotes=_count_for_article(DealStatusChange.objects.exclude(quote="")),
            site_status_quotes=_count_for_article(DataCenterStatusChange.objects.exclude(quote="")),
        )
        .annotate(
            quotes=F("deal_quotes")
            + F("valuation_quotes")
            + F("data_center_quotes")
            + F("status_quotes")
            + F("site_status_quotes")
        )
        .in_bulk()
    )
    ids.object_list = [counted[pk] for pk in ids.object_list if pk in counted]
    return ids


@dataclass
class ArticleCitations:
    """An article and every quote of it that supports a fact, by what the fact is about."""

    article: Article
    deal_citations: list[DealCitation]
    valuation_citations: list[ValuationCitation]
    data_center_citations: list[DataCenterCitation]
    status_changes: list[DealStatusChange]  # only those quoting it
    site_status_changes: list[DataCenterStatusChange]  # only those quoting it


def article_citations(*, slug: str) -> ArticleCitations:
    """The article with its citations and what they cite: six queries; raises
    Article.DoesNotExist."""
    article = Article.objects.get(slug=slug)
    return ArticleCitations(
        article=article,
        deal_citations=list(
            DealCitation.objects.filter(article=article).select_related(
                "deal__payer", "deal__payee"
            )
        ),
        valuation_citations=list(
            ValuationCitation.objects.filter(article=article).select_related("valuation__company")
        ),
        data_center_citations=list(
            DataCenterCitation.objects.filter(article=article).select_related(
                "data_center__operator"
            )
        ),
        status_changes=list(
            DealStatusChange.objects.filter(article=article)
            .exclude(quote="")
            .select_related("deal__payer", "deal__payee")
        ),
        site_status_changes=list(
            DataCenterStatusChange.objects.filter(article=article)
            .exclude(quote="")
            .select_related("data_center")
        ),
    )
