"""Reads for the company pages: the directory's rows and totals, and one company's profile.

Totals are computed in SQL (GROUP BYs on the indexed payer/payee columns, by qualifier and
status, added up by `deals.totals.Total`), and a profile
loads each of its tables in one query whatever the company's number of deals, so both pages
cost a fixed number of queries at any data size. Nothing here caches or words a title:
`deals.pages.companies` does both.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce, NullIf

from companies.models import ChipPlatform, Company
from deals.models import (
    LIVE,
    PARTY_ROLES,
    SIDES,
    Article,
    DataCenterProject,
    Deal,
    Qualifier,
    Valuation,
    role_of,
)
from deals.totals import Total

from .keyset import newest_first_ids

# How many deals each table of a profile shows; the rest are one link away on the timeline.
DEALS_PER_TABLE = 50


@dataclass(frozen=True)
class CompanyTotals:
    """What a company paid and received, as honest totals (`deals.totals.Total`)."""

    deals_paid: int = 0
    deals_received: int = 0
    paid: Total = field(default_factory=Total)
    received: Total = field(default_factory=Total)

    @property
    def deal_count(self) -> int:
        return self.deals_paid + self.deals_received


def company_totals() -> dict[int, CompanyTotals]:
    """Deals and money paid and received per company id: two GROUP BYs over every deal (about
    a second at a million deals), by company, qualifier and status so that the totals keep
    their qualifiers without reading a deal."""
    rows: dict[int, dict[str, list]] = defaultdict(lambda: {"payer": [], "payee": []})
    for side in SIDES:
        grouped = (
            Deal.objects.order_by()
            .values_list(side, "amount_qualifier", "status")
            .annotate(money=Sum("amount_usd"), deals=Count("pk"))
        )
        for company_id, qualifier, status, money, deals in grouped:
            rows[company_id][side].append((qualifier, status, money, deals))
    return {
        company_id: CompanyTotals(
            deals_paid=sum(row[-1] for row in sides["payer"]),
            deals_received=sum(row[-1] for row in sides["payee"]),
            paid=Total.from_rows(sides["payer"]),
            received=Total.from_rows(sides["payee"]),
        )
        for company_id, sides in rows.items()
    }


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
    total: Total


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
    # The money of each role's deals (PARTY_ROLES keys; roles with no deal left out).
    money_by_role: dict[str, Total] = field(default_factory=dict)

    @property
    def paid(self) -> Total:
        return _side_total(self.money_by_role, "payer")

    @property
    def received(self) -> Total:
        return _side_total(self.money_by_role, "payee")

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


def role_rows(*, company: Company) -> list[tuple]:
    """The company's deals grouped by side, type, qualifier and status, with their money and
    count: `(side, deal_type, qualifier, status, SUM(amount), COUNT)`. Two GROUP BYs (one per
    side, each on its indexed column); the page's deal counts and money come from them."""
    rows = []
    for side in SIDES:
        grouped = (
            Deal.objects.filter(**{side: company})
            .order_by()
            .values_list("deal_type", "amount_qualifier", "status")
            .annotate(money=Sum("amount_usd"), total=Count("pk"))
        )
        rows += [(side, *row) for row in grouped]
    return rows


def role_counts(*, rows: list[tuple]) -> dict[tuple[str, str], int]:
    """How many deals the company has on each side, per deal type, from `role_rows`."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for side, deal_type, *_figures, total in rows:
        counts[(side, deal_type)] += total
    return dict(counts)


def money_by_role(*, rows: list[tuple]) -> dict[str, Total]:
    """The money of the company's deals in each role it plays, from `role_rows`."""
    by_role: dict[str, list] = defaultdict(list)
    for side, deal_type, qualifier, status, money, total in rows:
        by_role[role_of(side, deal_type)].append((qualifier, status, money, total))
    return {role: Total.from_rows(by_role[role]) for role in PARTY_ROLES if role in by_role}


def _side_total(by_role: dict[str, Total], side: str) -> Total:
    return sum((total for role, total in by_role.items() if PARTY_ROLES[role][0] == side), Total())


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
    """Who the company pays (side="payer") or is paid by, with deal counts and honest totals.

    Three queries: the first `DEALS_PER_TABLE` counterparties by the money they certainly
    account for (then by "up to" ceilings, then by deals), their deals grouped by qualifier and
    status, and their names.
    """
    other = "payee" if side == "payer" else "payer"
    deals = Deal.objects.filter(**{side: company}).order_by()
    certain = ~Q(amount_qualifier__in=[Qualifier.UP_TO, Qualifier.UNDISCLOSED])
    top = list(
        deals.values_list(other)
        .annotate(
            certain=Sum("amount_usd", filter=LIVE & certain),
            ceilings=Sum("amount_usd", filter=LIVE & Q(amount_qualifier=Qualifier.UP_TO)),
            deals=Count("pk"),
        )
        .order_by(
            F("certain").desc(nulls_last=True),
            F("ceilings").desc(nulls_last=True),
            "-deals",
            other,
        )[:DEALS_PER_TABLE]
    )
    ids = [row[0] for row in top]
    rows: dict[int, list] = defaultdict(list)
    for company_id, qualifier, status, money, count in (
        deals.filter(**{f"{other}__in": ids})
        .values_list(other, "amount_qualifier", "status")
        .annotate(money=Sum("amount_usd"), count=Count("pk"))
    ):
        rows[company_id].append((qualifier, status, money, count))
    names = Company.objects.in_bulk(ids)
    return [
        Counterparty(names[company_id], deal_count, Total.from_rows(rows[company_id]))
        for company_id, _certain, _ceilings, deal_count in top
        if company_id in names
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
