"""Site search: one query finds companies, clouds, chips, deals and articles in either script.

Names are matched on their normalised form (companies.text), so "انفيديا", "نفيديا",
"إنفيديا" and "NVIDIA" all find Nvidia. Deals are found through their parties' names and
articles through their title, their text, or the deals they are cited for.
"""

import unicodedata
from dataclasses import dataclass, field

from django.db.models import Q

from companies.models import ChipPlatform, CloudPlatform, Company
from companies.text import compact_name

from .models import Article, Deal

MAX_QUERY_LENGTH = 200


@dataclass
class SearchResults:
    query: str
    companies: list = field(default_factory=list)
    clouds: list = field(default_factory=list)
    chips: list = field(default_factory=list)
    deals: list = field(default_factory=list)
    articles: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(
            len(group)
            for group in (self.companies, self.clouds, self.chips, self.deals, self.articles)
        )


def clean_query(raw: str | None) -> str:
    """The query on one line, without control characters (PostgreSQL refuses NUL in text)."""
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in (raw or ""))
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def search(query: str, *, limit: int = 20) -> SearchResults:
    """Everything whose name, alias or text matches `query`, each group capped at `limit`."""
    results = SearchResults(query=query)
    if not compact_name(query):
        return results
    results.companies = list(
        Company.objects.matching(query).select_related("parent").order_by("name")[:limit]
    )
    results.clouds = CloudPlatform.objects.select_related("operator").matching(query)[:limit]
    results.chips = ChipPlatform.objects.select_related("vendor").matching(query)[:limit]
    party_ids = [company.pk for company in results.companies]
    party_ids += [cloud.operator_id for cloud in results.clouds]
    deal_filter = Q(payer_id__in=party_ids) | Q(payee_id__in=party_ids)
    if results.clouds:
        deal_filter |= Q(cloud__in=results.clouds)
    if results.chips:
        deal_filter |= Q(chip_platforms__in=results.chips)
    deal_filter |= Q(slug__icontains=query)
    results.deals = list(
        Deal.objects.filter(deal_filter).distinct().timeline().prefetch_related(None)[:limit]
    )
    article_filter = Q(title__icontains=query) | Q(body__icontains=query)
    if results.deals:
        article_filter |= Q(dealcitations__deal__in=[deal.pk for deal in results.deals])
    results.articles = list(
        Article.objects.filter(article_filter).distinct().order_by("-published_on", "slug")[:limit]
    )
    return results
