"""The overview's headline figures: money invested, money committed to compute, gigawatts.

How they count (the overview says the same in words):
- cancelled deals are left out of every sum;
- "up to $10B" and "about $10B" count at face value, "more than $3B" at the stated minimum;
- an undisclosed amount is not counted, and the number of such deals is reported beside the sum;
- gigawatts are the power of compute commitments only: a chip-supply deal usually describes the
  same capacity again, so adding it would count those gigawatts twice.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from deals.models import LIVE, DealType, Qualifier


@dataclass(frozen=True)
class Figure:
    """A headline sum and what it leaves out."""

    total: Decimal
    deals: int
    counted: int
    undisclosed: int
    up_to: int
    about: int
    more_than: int


@dataclass(frozen=True)
class Headline:
    invested: Figure
    compute: Figure
    power: Figure
    deals: int
    cancelled: int


def headline_figures(deals) -> Headline:
    """Money invested, money committed to compute, gigawatts and the number of deals: 1 query."""
    rows = (
        deals.order_by()
        .values("deal_type")
        .annotate(
            deals=Count("pk"),
            cancelled=Count("pk", filter=~LIVE),
            amount=Sum("amount_usd", filter=LIVE),
            counted=Count("pk", filter=LIVE & Q(amount_usd__isnull=False)),
            undisclosed=Count("pk", filter=LIVE & Q(amount_usd__isnull=True)),
            up_to=Count("pk", filter=LIVE & Q(amount_qualifier=Qualifier.UP_TO)),
            about=Count("pk", filter=LIVE & Q(amount_qualifier=Qualifier.ABOUT)),
            more_than=Count("pk", filter=LIVE & Q(amount_qualifier=Qualifier.MORE_THAN)),
            power=Sum("power_gw", filter=LIVE),
            power_counted=Count("pk", filter=LIVE & Q(power_gw__isnull=False)),
            power_up_to=Count("pk", filter=LIVE & Q(power_qualifier=Qualifier.UP_TO)),
            power_about=Count("pk", filter=LIVE & Q(power_qualifier=Qualifier.ABOUT)),
            power_more_than=Count("pk", filter=LIVE & Q(power_qualifier=Qualifier.MORE_THAN)),
        )
    )
    by_type = {row["deal_type"]: row for row in rows}

    def money(deal_type):
        row = by_type.get(deal_type, {})
        live = (row.get("deals") or 0) - (row.get("cancelled") or 0)
        return Figure(
            total=row.get("amount") or Decimal(0),
            deals=live,
            counted=row.get("counted") or 0,
            undisclosed=row.get("undisclosed") or 0,
            up_to=row.get("up_to") or 0,
            about=row.get("about") or 0,
            more_than=row.get("more_than") or 0,
        )

    compute = by_type.get(DealType.COMPUTE_COMMITMENT, {})
    live_compute = (compute.get("deals") or 0) - (compute.get("cancelled") or 0)
    power = Figure(
        total=compute.get("power") or Decimal(0),
        deals=live_compute,
        counted=compute.get("power_counted") or 0,
        undisclosed=live_compute - (compute.get("power_counted") or 0),
        up_to=compute.get("power_up_to") or 0,
        about=compute.get("power_about") or 0,
        more_than=compute.get("power_more_than") or 0,
    )
    return Headline(
        invested=money(DealType.INVESTMENT),
        compute=money(DealType.COMPUTE_COMMITMENT),
        power=power,
        deals=sum(row["deals"] for row in by_type.values()),
        cancelled=sum(row["cancelled"] for row in by_type.values()),
    )
