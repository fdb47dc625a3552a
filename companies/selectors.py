"""Reads for the company pages: the directory, and one company's profile.

Totals are computed in SQL (correlated subqueries on the indexed payer/payee columns), and a
profile loads each of its tables in one query whatever the company's number of deals, so
both pages cost a fixed number of queries at any data size.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, NullIf, RowNumber
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from deals.models import (
    Article,
    DataCenterProject,
    Deal,
    DealCitation,
    DealType,
    Valuation,
    ValuationCitation,
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

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=20, decimal_places=2))


def _deal_total(side: str, aggregate):
    """`aggregate` over the deals where the outer company is `side` (payer or payee)."""
    return Subquery(
        Deal.objects.filter(**{side: OuterRef("pk")})
        .order_by()
        .values(side)
        .annotate(total=aggregate)
        .values("total")
    )


def company_list(*, kind: str = "", sort: str = "name"):
    """Companies with their deal counts and disclosed money in and out, filtered and sorted."""
    companies = (
        Company.objects.select_related("parent")
        .annotate(
            deals_paid_count=Coalesce(
                _deal_total("payer", Count("pk")), 0, output_field=IntegerField()
            ),
            deals_received_count=Coalesce(
                _deal_total("payee", Count("pk")), 0, output_field=IntegerField()
            ),
            paid_usd=Coalesce(_deal_total("payer", Sum("amount_usd")), ZERO),
            received_usd=Coalesce(_deal_total("payee", Sum("amount_usd")), ZERO),
        )
        .annotate(deal_count=F("deals_paid_count") + F("deals_received_count"))
    )
    if kind:
        companies = companies.filter(kind=kind)
    return companies.order_by(*_ordering(sort))


def _ordering(sort: str) -> list:
    if (get_language() or "en").startswith("ar"):
        by_name = Coalesce(NullIf("name_ar", Value("")), "name")
    else:
        by_name = F("name")
    return {
        "deals": [F("deal_count").desc(), by_name.asc()],
        "paid": [F("paid_usd").desc(), by_name.asc()],
        "received": [F("received_usd").desc(), by_name.asc()],
    }.get(sort, [by_name.asc(), "slug"])


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
    company: Company
    tables: list[DealTable]
    chips_used: list
    valuations: list
    sources: list
    paid_to: list[Counterparty]
    received_from: list[Counterparty]
    data_centers: list

    @property
    def deal_count(self) -> int:
        return sum(table.total for table in self.tables)


def _role_case(company) -> Case:
    return Case(
        *(
            When(Q(**{side: company, "deal_type": deal_type}), then=Value(role))
            for role, (_title, side, deal_type) in ROLES.items()
        ),
        output_field=CharField(),
    )


def _deal_tables(company) -> list[DealTable]:
    """The latest deals for each role in one query (ranked per role), plus their counts."""
    ranked = (
        Deal.objects.involving(company)
        .annotate(role=_role_case(company))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("role")],
                order_by=[F("announced_on").desc(nulls_last=True), F("pk").desc()],
            )
        )
        .filter(rank__lte=DEALS_PER_TABLE)
        .select_related("payer", "payee", "cloud", "data_center")
        .prefetch_related("chip_platforms", "citations__article")
        .order_by(F("announced_on").desc(nulls_last=True), "-pk")
    )
    counts = (
        Deal.objects.involving(company)
        .annotate(role=_role_case(company))
        .order_by()
        .values("role")
        .annotate(total=Count("pk"))
    )
    totals = {row["role"]: row["total"] for row in counts}
    by_role = defaultdict(list)
    for deal in ranked:
        by_role[deal.role].append(deal)
    return [
        DealTable(
            role=role,
            title=title,
            side=side,
            deal_type=deal_type,
            deals=by_role[role],
            total=totals.get(role, 0),
        )
        for role, (title, side, deal_type) in ROLES.items()
    ]


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


def _sources(company):
    """Articles citing the company's deals or valuations, with how many quotes each."""

    def quotes(queryset):
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

    deal_citations = DealCitation.objects.filter(Q(deal__payer=company) | Q(deal__payee=company))
    return (
        Article.objects.defer("body")
        .annotate(
            deal_quotes=quotes(deal_citations),
            valuation_quotes=quotes(ValuationCitation.objects.filter(valuation__company=company)),
        )
        .annotate(quotes=F("deal_quotes") + F("valuation_quotes"))
        .filter(quotes__gt=0)
        .order_by(F("published_on").desc(nulls_last=True), "slug")
    )


def company_profile(slug: str) -> CompanyProfile:
    """Everything the company page shows, in a fixed number of queries (404 if unknown)."""
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
        chips_used=list(chips_used),
        valuations=list(valuations),
        sources=list(_sources(company)),
        paid_to=_counterparties(company, "payer"),
        received_from=_counterparties(company, "payee"),
        data_centers=list(data_centers),
    )
