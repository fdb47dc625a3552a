"""The honest totals of a set of deals: money and power per deal type, and beside them the
power of the data-centre projects the deals name. The overview's headline cards, its "how much
of it is promises?" chart and /export/summary.json are all read from here.

How they count (the pages say the same in words), through `deals.totals.Total`:
- cancelled deals are in no total (they are counted apart);
- an exact or "about" amount is certain, "more than $3B" is certain up to its floor and leaves
  the total without a ceiling, "up to $10B" is only possible: never added to what is certain;
- an undisclosed amount is counted as such, never as 0;
- money is split by standing: firm (signed, completed), promised (announced), reported (in
  talks, rumoured);
- power is stated by compute commitments; a chip-supply deal usually describes the same
  capacity again, so the headline leaves its power out (the summary still reports it per type);
- a data-centre project's power is shown beside the commitments', unless a live compute
  commitment that names the project states a power of its own (the same gigawatts twice).

Two queries whatever the number of deals: one GROUP BY over the deals, one over the sites.
"""

from dataclasses import dataclass, field

from django.db.models import Case, Count, Sum, Value, When

from companies.models import Company
from deals.models import LIVE, DataCenterProject, Deal, DealTally, DealType, Qualifier
from deals.totals import MONEY, POWER, SITE_STANDING, Total

DEAL_TYPES = tuple(DealType.values)


@dataclass(frozen=True)
class Figure:
    """The totals of one kind of deal (or of one side of a company's deals)."""

    money: Total = field(default_factory=lambda: Total(unit=MONEY))
    power: Total = field(default_factory=lambda: Total(unit=POWER))
    deals: int = 0  # live deals: those the totals are made of

    def __add__(self, other: "Figure") -> "Figure":
        return Figure(self.money + other.money, self.power + other.power, self.deals + other.deals)


@dataclass(frozen=True)
class Headline:
    """Every total of a set of deals.

    `by_type` has a Figure per deal type (each type present, empty or not); `by_side` a
    Figure per side ("payer": what the company paid, "payee": what it received) when the totals
    were asked for one company; `sites` is the power of the data-centre projects the deals name
    that no commitment's own power already counts, and `site_count` how many there are.
    """

    by_type: dict[str, Figure]
    deals: int
    cancelled: int
    sites: Total = field(default_factory=lambda: Total(unit=POWER))
    site_count: int = 0
    by_side: dict[str, Figure] = field(default_factory=dict)

    @property
    def invested(self) -> Figure:
        return self.by_type[DealType.INVESTMENT]

    @property
    def compute(self) -> Figure:
        return self.by_type[DealType.COMPUTE_COMMITMENT]

    @property
    def chips(self) -> Figure:
        return self.by_type[DealType.CHIP_SUPPLY]

    @property
    def power(self) -> Total:
        """The power compute commitments state (chip-supply power would count it twice)."""
        return self.compute.power

    @property
    def everything(self) -> Figure:
        """Every type added up, for a selection of deals (one company's): over all deals it
        counts a dollar invested and spent again on compute twice."""
        return sum(self.by_type.values(), Figure())


def headline_figures(deals, *, company: Company | None = None) -> Headline:
    """The totals of `deals` (any Deal queryset, filtered or not): two queries.

    With `company`, the totals are also split by the side the company is on.
    """
    group = ["deal_type", "status", "amount_qualifier", "power_qualifier"]
    queryset = deals.order_by()
    if company is not None:
        queryset = queryset.annotate(
            side=Case(When(payee_id=company.pk, then=Value("payee")), default=Value("payer"))
        )
        group.append("side")
    rows = list(
        queryset.values_list(*group).annotate(
            money=Sum("amount_usd"), power=Sum("power_gw"), count=Count("pk")
        )
    )
    by_side = (
        {side: _figure(row for row in rows if row[4] == side) for side in ("payer", "payee")}
        if company is not None
        else {}
    )
    return _headline(rows, deals, by_side)


def headline_of_every_deal() -> Headline:
    """The totals of every deal, as `headline_figures(Deal.objects.all())` gives them, read from
    the tally the database keeps in each write (`deals.tally`): a few hundred rows instead of
    every deal, and exact the moment a write commits, so the overview never shows old ones."""
    rows = list(
        DealTally.objects.filter(deals__gt=0)
        .order_by()
        .values_list(
            "deal_type", "status", "amount_qualifier", "power_qualifier", "money", "power", "deals"
        )
    )
    return _headline(rows, Deal.objects.all())


def _headline(rows: list[tuple], deals, by_side: dict | None = None) -> Headline:
    """The Headline of GROUP BY rows `(type, status, amount q., power q., …, money, power,
    count)` of `deals`, with the power of the sites they name."""
    by_type = {
        deal_type: _figure(row for row in rows if row[0] == deal_type) for deal_type in DEAL_TYPES
    }
    sites, site_count = _sites(deals)
    every = sum(row[-1] for row in rows)
    live = sum(figure.deals for figure in by_type.values())
    return Headline(
        by_type=by_type,
        deals=every,
        cancelled=every - live,
        sites=sites,
        site_count=site_count,
        by_side=by_side or {},
    )


def _figure(rows) -> Figure:
    """The Figure of some GROUP BY rows `(type, status, amount q., power q., …, money, power,
    count)`: money and power summed apart, each by its own qualifier."""
    rows = list(rows)
    money = Total.from_rows(((row[2], row[1], row[-3], row[-1]) for row in rows), MONEY)
    power = Total.from_rows(((row[3], row[1], row[-2], row[-1]) for row in rows), POWER)
    # The live deals: every deal with a standing is in the money total, disclosed or not.
    return Figure(money, power, money.deal_count)


def _sites(deals) -> tuple[Total, int]:
    """The power of the data-centre projects live `deals` name, except those whose power a
    live compute commitment naming them states already; with how many projects that is."""
    live = deals.filter(LIVE, data_center__isnull=False)
    stated = live.filter(deal_type=DealType.COMPUTE_COMMITMENT).exclude(
        power_qualifier=Qualifier.UNDISCLOSED
    )
    rows = list(
        DataCenterProject.objects.filter(pk__in=live.order_by().values("data_center"))
        .exclude(pk__in=stated.order_by().values("data_center"))
        .order_by()
        .values_list("power_qualifier", "status")
        .annotate(power=Sum("power_gw"), count=Count("pk"))
    )
    total = Total.from_rows(rows, POWER, standings=SITE_STANDING)
    return total, total.deal_count
