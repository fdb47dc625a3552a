"""What compute runs on: money and gigawatts per cloud, per chip vendor, per buyer and cloud."""

from decimal import Decimal

import pandas as pd
from django.db.models import Count, Max, Q, Sum

from companies.models import Company
from deals.models import DealType

from .common import COMPUTE, by_first_chip_vendor, pick_name

_RUNS_ON_COLUMNS = ["slug", "name", "money", "gw", "deals", "undisclosed"]


def _runs_on_frame(rows, language) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(
        list(rows), columns=["slug", "name", "name_ar", "money", "gw", "deals", "undisclosed"]
    )
    if frame.empty:
        return pd.DataFrame(columns=_RUNS_ON_COLUMNS)
    frame["name"] = pick_name(frame, "", language)
    frame["money"] = frame["money"].fillna(Decimal(0)).astype(float)
    frame["gw"] = frame["gw"].fillna(Decimal(0)).astype(float)
    return frame[_RUNS_ON_COLUMNS].sort_values(["money", "gw"], ascending=False, ignore_index=True)


def _runs_on_totals():
    return {
        "money": Sum("amount_usd"),
        "gw": Sum("power_gw"),
        "deals": Count("pk"),
        "undisclosed": Count("pk", filter=Q(amount_usd__isnull=True)),
    }


_BUYER_CLOUD_NAMES = [
    "payer__name",
    "payer__name_ar",
    "cloud__slug",
    "cloud__name",
    "cloud__name_ar",
]
_BUYER_CLOUD_COLUMNS = ["payer_id", "cloud_id", *_BUYER_CLOUD_NAMES]


def compute_by_buyer_and_cloud(deals) -> pd.DataFrame:
    """Compute commitments summed per buyer and cloud (money, GW, deals, undisclosed). 1 query.

    Both the by-cloud bars and the buyer × cloud grid are sums of these rows: one pass over
    the deals serves the two (a few tens of thousands of rows at a million deals).
    """
    # Grouped by the two ids alone; each name is the same on every row of a group (MAX just
    # picks it), which spares PostgreSQL sorting 300k rows by five text columns.
    names = {f"name_{index}": Max(path) for index, path in enumerate(_BUYER_CLOUD_NAMES)}
    rows = (
        deals.live()
        .filter(COMPUTE, cloud__isnull=False)
        .order_by()
        .values("payer_id", "cloud_id")
        .annotate(**names, **_runs_on_totals())
        .values_list("payer_id", "cloud_id", *names, "money", "gw", "deals", "undisclosed")
    )
    return pd.DataFrame.from_records(
        list(rows), columns=[*_BUYER_CLOUD_COLUMNS, "money", "gw", "deals", "undisclosed"]
    )


def money_by_cloud(
    deals, language: str | None = None, by_buyer: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Compute commitments per cloud: money, GW, number of deals. One query, none with
    `by_buyer` (`compute_by_buyer_and_cloud` of the same deals)."""
    frame = compute_by_buyer_and_cloud(deals) if by_buyer is None else by_buyer
    if frame.empty:
        return pd.DataFrame(columns=_RUNS_ON_COLUMNS)
    # Exact sums of the Decimals first, as SQL would; floats only for the chart.
    totals = (
        frame.assign(
            money=frame["money"].map(lambda value: value or Decimal(0)),
            gw=frame["gw"].map(lambda value: value or Decimal(0)),
        )
        .groupby(["cloud__slug", "cloud__name", "cloud__name_ar"], sort=False)[
            ["money", "gw", "deals", "undisclosed"]
        ]
        .sum()
        .reset_index()
    )
    return _runs_on_frame(totals.itertuples(index=False), language)


def money_by_chip_vendor(deals, language: str | None = None) -> pd.DataFrame:
    """Compute commitments and chip supply per chip vendor (each deal once). Two queries."""
    rows = list(
        by_first_chip_vendor(deals.live().exclude(deal_type=DealType.INVESTMENT))
        .order_by()
        .values("vendor_id")
        .annotate(**_runs_on_totals())
        .values_list("vendor_id", "money", "gw", "deals", "undisclosed")
    )
    vendors = Company.objects.in_bulk([row[0] for row in rows])
    return _runs_on_frame(
        (
            (vendors[pk].slug, vendors[pk].name, vendors[pk].name_ar, *totals)
            for pk, *totals in rows
        ),
        language,
    )


def lab_cloud_matrix(
    deals,
    language: str | None = None,
    max_labs: int = 15,
    max_clouds: int = 8,
    by_buyer: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Money each buyer has committed to each cloud: buyers as rows, clouds as columns.

    One query, none with `by_buyer` (`compute_by_buyer_and_cloud` of the same deals).
    """
    frame = compute_by_buyer_and_cloud(deals) if by_buyer is None else by_buyer
    if frame.empty:
        return pd.DataFrame()
    frame = frame.assign(
        lab=pick_name(frame, "payer__", language),
        cloud=pick_name(frame, "cloud__", language),
        money=frame["money"].fillna(Decimal(0)).astype(float),
    )
    matrix = frame.pivot_table(
        index="lab", columns="cloud", values="money", aggfunc="sum", fill_value=0.0
    )
    labs = matrix.sum(axis=1).sort_values(ascending=False).index[:max_labs]
    clouds = matrix.sum(axis=0).sort_values(ascending=False).index[:max_clouds]
    return matrix.loc[labs, clouds]
