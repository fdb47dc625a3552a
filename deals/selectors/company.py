"""Reads for the company pages: the directory's rows and totals, and one company's profile.

Totals are computed in SQL (GROUP BYs on the indexed payer/payee columns), and a profile
loads each of its tables in one query whatever the company's number of deals, so both pages
cost a fixed number of queries at any data size. Nothing here caches or words a title:
`deals.pages.companies` does both.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce, NullIf

from companies.models import ChipPlatform, Company
from deals.models import (
    PARTY_ROLES,
    SIDES,
    Article,
    DataCenterProject,
    Deal,
    Valuation,
)

from .keyset import newest_first_ids

# How many deals each table of a profile shows; the rest are one link away on the timeline.
DEALS_PER_TABLE = 50


@dataclass(frozen=True)
class CompanyTotals:
    deals_paid: int = 0
    deals_received: int = 0
    paid_usd: Decimal = Decimal(0)
    received_usd: Decimal = Decimal(0)

    @property
    def deal_count(self) -> int:
        return self.deals_paid + self.deals_received


def company_totals() -> dict[int, CompanyTotals]:
    """Deals and disclosed money paid and received per company id: two GROUP BYs over every
    deal (about a second at a million deals)."""
    fields: dict[int, dict] = defaultdict(dict)
    for side, count_field, money_field in (
        ("payer", "deals_paid", "paid_usd"),
        ("payee", "deals_received", "received_usd"),
    ):
        rows = (
            Deal.objects.order_by()
            .values_list(side)
            .annotate(deals=Count("pk"), money=Sum("amount_usd"))
        )
        for company_id, deals, money in rows:
            fields[company_id][count_field] = deals
            fields[company_id][money_field] = money or Decimal(0)
    return {company_id: CompanyTotals(**values) for company_id, values in fields.items()}


def company_ids(*, kind: str = "", arabic_names: bool = False) -> list[int]:
    """The ids of the companies of `kind` (all when empty) in name order: one light query.

    `arabic_names` orders by the Arabic name where there is one.
    """
    by_name = Coalesce(NullIf("name_ar", Value("")), "name") if arabic_names else F("name")
    companies = Company.objects.order_by(by_name.asc(), "slug")
    if kind:
        companies = companies.filter(kind=kind)
    return list(companies.values_list("pk", flat=True))


def companies_by_id(*, ids: list[int]) -> dict[int, Company]:
    """The companies with `ids`, with their parents: one query."""
    return Company.objects.select_related("parent").in_bulk(ids)


@dataclass
class DealTable:
    """A company's deals in one role (`deals.models.PARTY_ROLES`): the latest few of them and
    how many there are in all. `title` is the page's word for the role."""

    role: str
    side: str  # "payer" when the company pays, so the counterparty is the payee
    deal_type: str
    title: str = ""
    deals: list = field(default_factory=list)
    total: int = 0

    @property
    def counterpart(self) -> str:
        return "payee" if self.side == "payer" else "payer"

    @property
    def is_truncated(self) -> bool:
        return self.total > len(self.deals)

    @property
    def timeline_role(self) -> str:
        """The role filter the timeline understands for this table's "see all" link."""
        return (
            self.role if self.role in ("investor", "investee", "buyer", "provider") else self.side
        )


@dataclass
class Counterparty:
    company: Company
    deals: int
    amount_usd: Decimal | None


@dataclass
class Source:
    article: Article
    quotes: int


@dataclass
class CompanyProfile:
    """What a company page shows. The tables' deals and the sources are filled in by
    `load_deals`, which the page calls only when its cached rendering is out of date."""

    company: Company
    tables: list[DealTable]
    chips_used: list
    valuations: list
    paid_to: list[Counterparty]
    received_from: list[Counterparty]
    data_centers: list
    sources: list = field(default_factory=list)

    @property
    def deal_count(self) -> int:
        return sum(table.total for table in self.tables)

    @property
    def shows_every_deal(self) -> bool:
        return not any(table.is_truncated for table in self.tables)


def company_detail(*, slug: str) -> Company:
    """The company with its aliases, subsidiaries, clouds and chips; raises DoesNotExist."""
    return (
        Company.objects.select_related("parent")
        .prefetch_related("aliases", "subsidiaries", "clouds", "chip_platforms")
        .get(slug=slug)
    )


def role_counts(*, company: Company) -> dict[tuple[str, str], int]:
    """How many deals the company has on each side, per deal type: two GROUP BYs."""
    counts = {}
    for side in SIDES:
        rows = (
            Deal.objects.filter(**{side: company})
            .order_by()
            .values_list("deal_type")
            .annotate(total=Count("pk"))
        )
        for deal_type, total in rows:
            counts[(side, deal_type)] = total
    return counts


def deal_tables(*, counts: dict[tuple[str, str], int]) -> list[DealTable]:
    """One table per role with how many deals it has in all (`role_counts`); no deals yet."""
    return [
        DealTable(role=role, side=side, deal_type=deal_type, total=counts.get((side, deal_type), 0))
        for role, (side, deal_type) in PARTY_ROLES.items()
    ]


def chips_used(*, company: Company) -> list[ChipPlatform]:
    """The chips of the deals the company is party to, with their vendors: one query."""
    involved = Deal.objects.involving(company)
    return list(
        ChipPlatform.objects.filter(
            pk__in=Deal.chip_platforms.through.objects.filter(
                deal__in=involved.values("pk")
            ).values("chipplatform_id")
        ).select_related("vendor")
    )


def counterparties(*, company: Company, side: str) -> list[Counterparty]:
    """Who the company pays (side="payer") or is paid by, with deal counts and totals."""
    other = "payee" if side == "payer" else "payer"
    rows = list(
        Deal.objects.filter(**{side: company})
        .order_by()
        .values(other)
        .annotate(deals=Count("pk"), amount_usd=Sum("amount_usd"))
        .order_by(F("amount_usd").desc(nulls_last=True), "-deals")[:DEALS_PER_TABLE]
    )
    names = Company.objects.in_bulk([row[other] for row in rows])
    return [
        Counterparty(names[row[other]], row["deals"], row["amount_usd"])
        for row in rows
        if row[other] in names
    ]


def valuations(*, company: Company) -> list[Valuation]:
    """The company's valuations, oldest first, with their citations' articles: two queries."""
    return list(
        Valuation.objects.filter(company=company)
        .prefetch_related("citations__article")
        .order_by("as_of", "pk")
    )


def data_centers(*, company: Company) -> list[DataCenterProject]:
    """The data centres the company operates or rents: one query."""
    return list(
        DataCenterProject.objects.filter(Q(operator=company) | Q(tenants=company))
        .distinct()
        .select_related("operator")
    )


def load_deals(*, profile: CompanyProfile) -> None:
    """Fill the profile's tables with their latest deals, and its sources: 2 queries per role
    with deals (each walks an index), then the deals, their chips, citations and articles."""
    company = profile.company
    # A role with no deal is not queried: on PostgreSQL, looking for the newest of none can
    # walk the whole timeline index (hubs skew the planner's estimates).
    shown = {
        table.role: newest_first_ids(
            Deal.objects.involving(company, table.role), limit=DEALS_PER_TABLE
        )
        if table.total
        else []
        for table in profile.tables
    }
    deals = (
        Deal.objects.filter(pk__in=[pk for ids in shown.values() for pk in ids])
        .select_related("payer", "payee", "cloud", "data_center")
        .prefetch_related("chip_platforms", "citations__article")
        .in_bulk()
    )
    for table in profile.tables:
        table.deals = [deals[pk] for pk in shown[table.role] if pk in deals]
    profile.sources = _sources(profile.tables, profile.valuations)


def _sources(tables: list[DealTable], valuations: list) -> list[Source]:
    """Articles citing the deals and valuations on the page, with how many quotes each.

    Counted from the citations already loaded for the tables, so it costs no query and stays
    bounded for hubs (whose tables show their latest deals).
    """
    counts: dict[int, int] = defaultdict(int)
    articles = {}
    citations = [c for table in tables for deal in table.deals for c in deal.citations.all()]
    citations += [c for valuation in valuations for c in valuation.citations.all()]
    for citation in citations:
        counts[citation.article_id] += 1
        articles[citation.article_id] = citation.article
    ordered = sorted(articles.values(), key=lambda article: article.slug)
    ordered.sort(key=lambda article: article.published_on or datetime.date.min, reverse=True)
    return [Source(article, counts[article.pk]) for article in ordered]
