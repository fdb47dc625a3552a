"""What every analytics module shares: names in the reader's script, and chips per deal.

Every analytics function takes a Deal queryset (already filtered by the page) and returns a
small frame or dict. Sums happen in the database (`values().annotate(Sum(...))`), so the rows
that reach Python grow with the number of companies and platforms, never with the number of
deals.
"""

from functools import reduce
from operator import add

import pandas as pd
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Sum, When
from django.db.models.functions import Coalesce

from deals.models import Deal, DealType, Qualifier
from deals.totals import MONEY, POWER, STANDING_OF_STATUS, STANDINGS, Standing, Total
from dealwatch.language import reader_is_arabic

COMPUTE = Q(deal_type=DealType.COMPUTE_COMMITMENT)


def pick_name(frame: pd.DataFrame, prefix: str, language: str | None = None) -> pd.Series:
    """The Arabic name where the reader reads Arabic and one is known, else the English one."""
    english = frame[f"{prefix}name"].fillna("")
    if not reader_is_arabic(language):
        return english
    arabic = frame[f"{prefix}name_ar"].fillna("")
    return arabic.where(arabic != "", english)


def by_first_chip_vendor(deals, supplier_when_unnamed: bool = False):
    """The deals that name chips, each once, with the vendor of its first chip as `vendor_id`.

    With `supplier_when_unnamed`, a chip-supply deal that names no chip counts under its
    supplier (the payee): "OpenAI buys chips from AMD" is on AMD's chips even when the source
    names no AMD platform.

    The first chip is the one of the lowest vendor id (then the lowest chip id): a deal that
    names two platforms of one vendor (Grace Blackwell and Vera Rubin) is counted once for that
    vendor, not twice. Written as a join plus "no earlier chip" (NOT EXISTS) rather than a
    subquery per deal, which PostgreSQL ran once per row (3 s at a million deals); the
    anti-join it plans as a hash join (0.6 s).
    """
    chips = Deal.chip_platforms.through
    if chips._meta.db_table in {join.table_name for join in deals.query.alias_map.values()}:
        # Filtered by a chip: the join below would reuse that filter's join and see only the
        # chosen chip, not the deal's first one. A fresh query keeps every chip in view.
        deals = Deal.objects.filter(pk__in=deals.values("pk"))
    earlier_chip = chips.objects.filter(deal=OuterRef("pk")).filter(
        Q(chipplatform__vendor_id__lt=OuterRef("vendor_id"))
        | Q(chipplatform__vendor_id=OuterRef("vendor_id"), chipplatform_id__lt=OuterRef("chip_id"))
    )
    vendor = F("chip_platforms__vendor_id")
    if supplier_when_unnamed:
        vendor = Coalesce(
            vendor, Case(When(deal_type=DealType.CHIP_SUPPLY, then=F("payee_id")), default=None)
        )
    return (
        deals.annotate(vendor_id=vendor)
        .alias(chip_id=F("chip_platforms__id"))
        .filter(vendor_id__isnull=False)
        .exclude(Exists(earlier_chip))
    )


# -- honest sums in SQL ---------------------------------------------------------------------------

# The qualifiers a stated figure can have; an undisclosed one is counted, never summed.
_STATED = (Qualifier.EXACT, Qualifier.ABOUT, Qualifier.UP_TO, Qualifier.MORE_THAN)
_UNITS = {MONEY: ("amount_usd", "amount_qualifier"), POWER: ("power_gw", "power_qualifier")}


def _statuses(standing: Standing) -> list[str]:
    return [status for status, of in STANDING_OF_STATUS.items() if of == standing]


def total_sums(unit: str = MONEY, prefix: str = "") -> dict:
    """Aggregates that let `total_from_row` rebuild a `deals.totals.Total` from one GROUP BY row.

    Per standing and qualifier, the sum and the number of stated figures, and per standing the
    number of undisclosed ones: the rows that reach Python stay one per group, however many
    deals and qualifiers the group holds (grouping by qualifier and status too would multiply
    them).
    """
    amount, qualifier = _UNITS[unit]
    sums = {}
    for standing in STANDINGS:
        in_standing = Q(status__in=_statuses(standing))
        for stated in _STATED:
            which = in_standing & Q(**{qualifier: stated, f"{amount}__isnull": False})
            sums[f"{prefix}{unit}_{standing}_{stated}"] = Sum(amount, filter=which)
            sums[f"{prefix}{unit}_{standing}_{stated}_n"] = Count("pk", filter=which)
        unknown = in_standing & (
            Q(**{qualifier: Qualifier.UNDISCLOSED}) | Q(**{f"{amount}__isnull": True})
        )
        sums[f"{prefix}{unit}_{standing}_undisclosed"] = Count("pk", filter=unknown)
    return sums


def total_from_row(row: dict, unit: str = MONEY, prefix: str = "") -> Total:
    """The `Total` of one row aggregated with `total_sums(unit, prefix)`."""
    grouped = []
    for standing in STANDINGS:
        # Any status of the standing stands for it: the total keeps standings, not statuses.
        status = _statuses(standing)[0]
        for stated in _STATED:
            count = row.get(f"{prefix}{unit}_{standing}_{stated}_n") or 0
            grouped.append((stated, status, row.get(f"{prefix}{unit}_{standing}_{stated}"), count))
        unknown = row.get(f"{prefix}{unit}_{standing}_undisclosed") or 0
        grouped.append((Qualifier.UNDISCLOSED, status, None, unknown))
    return Total.from_rows(grouped, unit)


def add_totals(totals) -> Total | None:
    """The sum of some totals (None when there are none)."""
    totals = list(totals)
    return reduce(add, totals) if totals else None
