"""Site search: companies, clouds, chips, deals and articles, found in either script.

Names are matched on their normalised form (companies.text), so "انفيديا", "نفيديا",
"إنفيديا" and "NVIDIA" all find Nvidia. Deals are found through their parties, their cloud,
their chips or the start of their id; articles through their title, their text, or the deals
they are cited for.

Every group is read in a few queries (how many depends on which ways of matching apply, never
on the size of the data), each reading only the rows it shows along an index: at a million
deals, one query with an OR across columns collects and sorts every matching deal (seconds
for a hub), while one query per side stops at `limit` rows.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Exists, OuterRef, Q

from companies.models import ChipPlatform, CloudPlatform, Company
from companies.text import compact_name
from deals.models import Article, Deal, DealCitation

from .keyset import newest_first

MAX_QUERY_LENGTH = 200
# What a deal id (a SlugField) can contain; anything else cannot start one.
_DEAL_ID_CHARACTERS = re.compile(r"[-a-zA-Z0-9_]+")


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


def search(*, query: str, limit: int = 20, articles: bool = True) -> SearchResults:
    """Everything whose name, alias or text matches `query`, each group capped at `limit`.

    `articles=False` skips the articles (the suggestions under the search box show none, and
    reading article text is the slowest part of a search).
    """
    results = SearchResults(query=query)
    if not compact_name(query):
        return results
    results.companies = list(
        Company.objects.matching(query).select_related("parent").order_by("name")[:limit]
    )
    results.clouds = list(CloudPlatform.objects.select_related("operator").matching(query)[:limit])
    results.chips = list(ChipPlatform.objects.select_related("vendor").matching(query)[:limit])
    results.deals = _matching_deals(query, results, limit)
    if articles:
        results.articles = _matching_articles(query, results.deals, limit)
    return results


def _deal_id_prefix(query: str) -> Q | None:
    """Deals whose id starts with `query` as typed or in lower case; None if it cannot.

    A prefix, not a substring: "contains" reads every deal's id (a full scan at a million
    deals), while a prefix is a range of the id's unique index, and someone searching for a
    deal by id pastes or types it from its start. PostgreSQL serves "LIKE 'x%'" from the
    pattern index Django adds beside the unique one, whatever the database's collation;
    SQLite's LIKE ignores case and so never uses an index, but its ids sort byte by byte, so
    the range [x, x + the last code point) holds exactly the ids starting with x.
    """
    if not _DEAL_ID_CHARACTERS.fullmatch(query):
        return None
    prefixes = sorted({query, query.lower()})
    if connection.vendor == "postgresql":
        return reduce(or_, (Q(slug__startswith=prefix) for prefix in prefixes))
    return reduce(
        or_,
        (
            Q(slug__gte=prefix, slug__lt=prefix + "\U0010ffff", slug__startswith=prefix)
            for prefix in prefixes
        ),
    )


def _matching_deals(query: str, results: SearchResults, limit: int) -> list[Deal]:
    """The newest `limit` deals of the companies, clouds and chips found, or with that id.

    Like the timeline (keyset.newest_first), each way of matching is its own query along
    its own index, newest first, so each reads at most `limit` dated deals: (payer, date),
    (payee, date), (cloud, date), and the timeline index for chips and ids. Undated deals
    (few, and last in the timeline) are one query for all ways together.
    """
    party_ids = sorted(
        {company.pk for company in results.companies}
        | {cloud.operator_id for cloud in results.clouds}
    )
    ways = []
    if party_ids:
        ways += [Q(payer_id__in=party_ids), Q(payee_id__in=party_ids)]
    if results.clouds:
        ways.append(Q(cloud__in=results.clouds))
    if results.chips:
        # EXISTS rather than a join: a deal on two of the chips found is still one deal.
        runs_on_chips = Deal.chip_platforms.through.objects.filter(
            deal_id=OuterRef("pk"), chipplatform__in=results.chips
        )
        ways.append(Q(Exists(runs_on_chips)))
    id_prefix = _deal_id_prefix(query)
    if id_prefix is not None:
        ways.append(id_prefix)
    if not ways:
        return []
    # Only ids and dates, so that SQLite answers from the (payer, date) index alone when a
    # list of companies makes it collect and sort their deals instead of walking by date.
    shown = newest_first(
        [Deal.objects.filter(way) for way in ways], limit=limit, undated_together=True
    )
    deals = Deal.objects.select_related("payer", "payee").in_bulk([deal.pk for deal in shown])
    # A deal deleted between the two reads is simply absent.
    return [deals[deal.pk] for deal in shown if deal.pk in deals]


def _matching_articles(query: str, deals: list[Deal], limit: int) -> list[Article]:
    """The newest `limit` articles with `query` in their title or text, or citing `deals`.

    Three short queries: the articles citing the deals, the newest `limit` whose title or
    text contains `query`, then those of both shown newest first. Asked apart, the text
    search can use either of two indexes: walking article_newest_idx newest first, it stops
    after `limit` matches, which is quick for a common word; on PostgreSQL the trigram index
    (migration 0007) finds a rare word of three letters or more at once. A rarer word of one
    or two letters, or any rare word on SQLite, still reads every article's text: no index
    serves "contains" anywhere in a text on both databases (about a second for 50,000
    articles on PostgreSQL, 35 ms for 5,000 on SQLite).
    """
    cited_ids = set()
    if deals:
        citations = DealCitation.objects.filter(deal__in=[deal.pk for deal in deals])
        cited_ids = set(citations.values_list("article_id", flat=True))
    containing = Article.objects.filter(Q(title__icontains=query) | Q(body__icontains=query))
    newest_ids = containing.order_by("-published_on", "slug").values_list("pk", flat=True)
    shown = Article.objects.filter(pk__in=cited_ids | set(newest_ids[:limit])).defer("body")
    return list(shown.order_by("-published_on", "slug")[:limit])
