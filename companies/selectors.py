"""Reads for the company pages: the directory, and one company's profile.

Totals are computed in SQL (correlated subqueries on the indexed payer/payee columns), and a
profile loads each of its tables in one query whatever the company's number of deals, so
both pages cost a fixed number of queries at any data size.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from deals.caching import cached
from deals.models import (
    Article,
    DataCenterProject,
    Deal,
    DealType,
    Valuation,
)

from .models import ChipPlatform, Company

# How many deals each table of a profile shows; the rest are one link away on the timeline.
DEALS_PER_TABLE = 50

SORTS = {
    "name": _("Name"),
    "deals": _("Most deals"),
    "paid": _("Most paid out"),
    "received": _("Most received"),
}

# The directory's totals cover every deal (a full pass over the table, about a second at a
# million deals), so they are cached until the data change (deals.caching's generation).
COMPANIES_PER_PAGE = 50


@dataclass(frozen=True)
class CompanyTotals:
    deals_paid: int = 0
    deals_received: int = 0
    paid_usd: Decimal = Decimal(0)
    received_usd: Decimal = Decimal(0)

    @property
    def deal_count(self) -> int:
        return self.deals_paid + self.deals_received


def _cached(key: str, compute):
    """`compute()` once per data generation: any saved change invalidates it (deals.caching)."""
    return cached(key, compute)


def company_totals() -> dict[int, CompanyTotals]:
    """Deals and disclosed money paid and received per company id: two GROUP BYs, cached."""
    return _cached("companies:totals", _company_totals)


def _company_totals() -> dict[int, CompanyTotals]:
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


SORT_KEYS = {
    "deals": lambda totals: -totals.deal_count,
    "paid": lambda totals: -totals.paid_usd,
    "received": lambda totals: -totals.received_usd,
}


def company_directory(*, kind: str = "", sort: str = "name", page: str | int | None = 1):
    """One page of the directory: companies with their totals, filtered and sorted.

    The ids of every matching company are read in name order (one light query) and sorted by
    the cached totals; only the page's companies are then loaded in full.
    """
    if (get_language() or "en").startswith("ar"):
        by_name = Coalesce(NullIf("name_ar", Value("")), "name")
    else:
        by_name = F("name")
    companies = Company.objects.order_by(by_name.asc(), "slug")
    if kind:
        companies = companies.filter(kind=kind)
    ids = list(companies.values_list("pk", flat=True))
    totals = company_totals()
    if sort in SORT_KEYS:
        ids.sort(key=lambda pk: SORT_KEYS[sort](totals.get(pk, CompanyTotals())))
    current = Paginator(ids, COMPANIES_PER_PAGE).get_page(page)
    loaded = Company.objects.select_related("parent").in_bulk(list(current.object_list))
    rows = []
    for pk in current.object_list:
        company = loaded[pk]
        company.totals = totals.get(pk, CompanyTotals())
        rows.append(company)
    current.object_list = rows
    return current


# The part a company plays in a deal, as the timeline's `role` filter names it.
ROLES = {
    "investor": (_("Investments made"), "payer", DealType.INVESTMENT),
    "investee": (_("Investments received"), "payee", DealType.INVESTMENT),
    "buyer": (_("Compute bought"), "payer", DealType.COMPUTE_COMMITMENT),
    "provider": (_("Compute sold"), "payee", DealType.COMPUTE_COMMITMENT),
    "chip_buyer": (_("Chips bought"), "payer", DealType.CHIP_SUPPLY),
    "chip_vendor": (_("Chips sold"), "payee", DealType.CHIP_SUPPLY),
}


@dataclass
class DealTable:
    role: str
    title: str
    side: str  # "payer" when the company pays, so the counterparty is the payee
    deal_type: str
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
        return self.role if self.deal_type != DealType.CHIP_SUPPLY else self.side


@dataclass
class Counterparty:
    company: Company
    deals: int
    amount_usd: Decimal | None


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


def _role_case(company) -> Case:
    return Case(
        *(
            When(Q(**{side: company, "deal_type": deal_type}), then=Value(role))
            for role, (_title, side, deal_type) in ROLES.items()
        ),
        output_field=CharField(),
    )


def _latest_ids(company, side: str, deal_type: str) -> list[int]:
    """The newest deals of one role, dated ones first: two queries that each walk an index."""
    mine = Deal.objects.filter(**{side: company, "deal_type": deal_type})
    dated = mine.filter(announced_on__isnull=False).order_by("-announced_on", "-pk")
    undated = mine.filter(announced_on__isnull=True).order_by("-pk")
    ids = list(dated.values_list("pk", flat=True)[:DEALS_PER_TABLE])
    ids += list(undated.values_list("pk", flat=True)[:DEALS_PER_TABLE])
    return ids[:DEALS_PER_TABLE]


def _role_counts(company) -> dict[tuple[str, str], int]:
    counts = {}
    for side in ("payer", "payee"):
        rows = (
            Deal.objects.filter(**{side: company})
            .order_by()
            .values_list("deal_type")
            .annotate(total=Count("pk"))
        )
        for deal_type, total in rows:
            counts[(side, deal_type)] = total
    return counts


def _deal_tables(company) -> list[DealTable]:
    """One table per role with how many deals it has in all (counts cached); no deals yet."""
    totals = _cached(f"companies:roles:{company.pk}", lambda: _role_counts(company))
    return [
        DealTable(
            role=role,
            title=title,
            side=side,
            deal_type=deal_type,
            total=totals.get((side, deal_type), 0),
        )
        for role, (title, side, deal_type) in ROLES.items()
    ]


def load_deals(profile: "CompanyProfile") -> None:
    """Fill the profile's tables with their latest deals, and its sources: 2 queries per role
    with deals (each walks an index), then the deals, their chips, citations and articles."""
    company = profile.company
    # A role with no deal is not queried: on PostgreSQL, looking for the newest of none can
    # walk the whole timeline index (hubs skew the planner's estimates).
    shown = {
        table.role: _latest_ids(company, table.side, table.deal_type) if table.total else []
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


def _counterparties(company, side: str) -> list[Counterparty]:
    """Who the company pays (side="payer") or is paid by, with deal counts and totals."""
    other = "payee" if side == "payer" else "payer"
    rows = (
        Deal.objects.filter(**{side: company})
        .order_by()
        .values(other)
        .annotate(deals=Count("pk"), amount_usd=Sum("amount_usd"))
        .order_by(F("amount_usd").desc(nulls_last=True), "-deals")[:DEALS_PER_TABLE]
    )
    rows = list(rows)
    names = Company.objects.in_bulk([row[other] for row in rows])
    return [
        Counterparty(names[row[other]], row["deals"], row["amount_usd"])
        for row in rows
        if row[other] in names
    ]


@dataclass
class Source:
    article: Article
    quotes: int


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


def company_profile(slug: str) -> CompanyProfile:
    """Everything the company page shows but its deal rows (`load_deals`), in a fixed number of
    queries (404 if unknown)."""
    company = get_object_or_404(
        Company.objects.select_related("parent").prefetch_related(
            "aliases", "subsidiaries", "clouds", "chip_platforms"
        ),
        slug=slug,
    )
    involved = Deal.objects.involving(company)
    chips_used = ChipPlatform.objects.filter(
        pk__in=Deal.chip_platforms.through.objects.filter(deal__in=involved.values("pk")).values(
            "chipplatform_id"
        )
    ).select_related("vendor")
    key = f"companies:profile:{company.pk}"
    valuations = (
        Valuation.objects.filter(company=company)
        .prefetch_related("citations__article")
        .order_by("as_of", "pk")
    )
    data_centers = (
        DataCenterProject.objects.filter(Q(operator=company) | Q(tenants=company))
        .distinct()
        .select_related("operator")
    )
    return CompanyProfile(
        company=company,
        tables=_deal_tables(company),
        chips_used=_cached(f"{key}:chips", lambda: list(chips_used)),
        valuations=list(valuations),
        paid_to=_cached(f"{key}:paid-to", lambda: _counterparties(company, "payer")),
        received_from=_cached(f"{key}:paid-by", lambda: _counterparties(company, "payee")),
        data_centers=list(data_centers),
    )
