"""What every analytics module shares: names in the reader's script, and chips per deal.

Every analytics function takes a Deal queryset (already filtered by the page) and returns a
small frame or dict. Sums happen in the database (`values().annotate(Sum(...))`), so the rows
that reach Python grow with the number of companies and platforms, never with the number of
deals.
"""

import pandas as pd
from django.db.models import Exists, F, OuterRef, Q

from deals.models import Deal, DealType
from dealwatch.language import reader_is_arabic

COMPUTE = Q(deal_type=DealType.COMPUTE_COMMITMENT)


def pick_name(frame: pd.DataFrame, prefix: str, language: str | None = None) -> pd.Series:
    """The Arabic name where the reader reads Arabic and one is known, else the English one."""
    english = frame[f"{prefix}name"].fillna("")
    if not reader_is_arabic(language):
        return english
    arabic = frame[f"{prefix}name_ar"].fillna("")
    return arabic.where(arabic != "", english)


def by_first_chip_vendor(deals):
    """The deals that name chips, each once, with the vendor of its first chip as `vendor_id`.

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
    return (
        deals.annotate(vendor_id=F("chip_platforms__vendor_id"))
        .alias(chip_id=F("chip_platforms__id"))
        .filter(vendor_id__isnull=False)
        .exclude(Exists(earlier_chip))
    )
