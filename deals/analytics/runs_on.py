"""What compute runs on: money and gigawatts per cloud, per chip vendor, per buyer and cloud.

Each frame keeps the bare sums the bars are drawn with (`money`, `gw`: stated figures at face
value) and, in `frame.attrs["totals"]`, the honest `Total` of money and of power behind each row
(qualifiers, statuses and undisclosed amounts kept), which the charts' words and tables say.
"""

from decimal import Decimal

import pandas as pd
from django.db.models import Count, Max, Q, Sum

from companies.models import Company
from deals.models import DealType
from deals.totals import MONEY, POWER

from .common import COMPUTE, add_totals, by_first_chip_vendor, pick_name, total_from_row, total_sums

_RUNS_ON_COLUMNS = ["slug", "name", "money", "gw", "deals", "undisclosed"]


def _runs_on_frame(rows, language) -> pd.DataFrame:
    """Rows of (slug, name, name_ar, money, gw, deals, undisclosed, money Total, power Total)."""
    frame = pd.DataFrame.from_records(
        list(rows),
        columns=[
            "slug", "name", "name_ar", "money", "gw", "deals", "undisclosed", "money_total",
            "power_total",
        ],
    )  # fmt: skip
    if frame.empty:
        empty = pd.DataFrame(columns=_RUNS_ON_COLUMNS)
        empty.attrs["totals"] = {}
        return empty
    frame["name"] = pick_name(frame, "", language)
    frame["money"] = frame["money"].fillna(Decimal(0)).astype(float)
    frame["gw"] = frame["gw"].fillna(Decimal(0)).astype(float)
    # The largest first; among deals of undisclosed amount, the most deals first.
    frame = frame.sort_values(["money", "gw", "deals"], ascending=False, ignore_index=True)
    totals = {
        slug: (money, power)
        for slug, money, power in zip(
            frame["slug"], frame["money_total"], frame["power_total"], strict=True
        )
    }
    frame = frame[_RUNS_ON_COLUMNS].copy()
    frame.attrs["totals"] = totals
    return frame


def _runs_on_totals():
    return {
        "money": Sum("amount_usd"),
        "gw": Sum("power_gw"),
        "deals": Count("pk"),
        "undisclosed": Count("pk", filter=Q(amount_usd__isnull=True)),
        **total_sums(MONEY),
        **total_sums(POWER),
    }


def _with_totals(row: dict) -> tuple:
    return total_from_row(row, MONEY), total_from_row(row, POWER)


_BUYER_CLOUD_NAMES = [
    "payer__name",
    "payer__name_ar",
    "cloud__slug",
    "cloud__name",
    "cloud__name_ar",
]
_BUYER_CLOUD_COLUMNS = ["payer_id", "cloud_id", *_BUYER_CLOUD_NAMES]


def compute_by_buyer_and_cloud(deals) -> pd.DataFrame:
    """Compute commitments summed per buyer and cloud (money, GW, deals, undisclosed, and the
    `money_total` and `power_total` behind them). 1 query.

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
    )
    records = [
        (
            row["payer_id"],
            row["cloud_id"],
            *(row[name] for name in names),
            row["money"],
            row["gw"],
            row["deals"],
            row["undisclosed"],
            *_with_totals(row),
        )
        for row in rows
    ]
    return pd.DataFrame.from_records(
        records,
        columns=[
            *_BUYER_CLOUD_COLUMNS, "money", "gw", "deals", "undisclosed", "money_total",
            "power_total",
        ],
    )  # fmt: skip


def money_by_cloud(
    deals, language: str | None = None, by_buyer: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Compute commitments per cloud: money, GW, number of deals. One query, none with
    `by_buyer` (`compute_by_buyer_and_cloud` of the same deals)."""
    frame = compute_by_buyer_and_cloud(deals) if by_buyer is None else by_buyer
    if frame.empty:
        return _runs_on_frame([], language)
    # Exact sums of the Decimals (as SQL would) and of the totals; floats only for the chart.
    clouds: dict[str, list] = {}
    for row in frame.itertuples(index=False):
        key = row.cloud__slug
        if key not in clouds:
            clouds[key] = [
                row.cloud__name,
                row.cloud__name_ar,
                Decimal(0),
                Decimal(0),
                0,
                0,
                [],
                [],
            ]
        cloud = clouds[key]
        cloud[2] += row.money or Decimal(0)
        cloud[3] += row.gw or Decimal(0)
        cloud[4] += row.deals
        cloud[5] += row.undisclosed
        cloud[6].append(row.money_total)
        cloud[7].append(row.power_total)
    return _runs_on_frame(
        (
            (slug, name, name_ar, money, gw, count, undisclosed, add_totals(m), add_totals(p))
            for slug, (name, name_ar, money, gw, count, undisclosed, m, p) in clouds.items()
        ),
        language,
    )


def money_by_chip_vendor(
    deals, language: str | None = None, rows: list | None = None
) -> pd.DataFrame:
    """Compute commitments and chip supply per chip vendor (each deal once). Two queries, none
    with `rows` (`chip_vendor_rows` of the same deals, which name no language)."""
    return _runs_on_frame(chip_vendor_rows(deals) if rows is None else rows, language)


def chip_vendor_rows(deals) -> list[tuple]:
    """The sums of `money_by_chip_vendor` per vendor, its names in both languages. Two queries.

    A chip-supply deal that names no chip counts under its supplier: the vendor is the payee.
    """
    rows = list(
        by_first_chip_vendor(
            deals.live().exclude(deal_type=DealType.INVESTMENT), supplier_when_unnamed=True
        )
        .order_by()
        .values("vendor_id")
        .annotate(**_runs_on_totals())
    )
    vendors = Company.objects.in_bulk([row["vendor_id"] for row in rows])
    return [
        (
            vendors[row["vendor_id"]].slug,
            vendors[row["vendor_id"]].name,
            vendors[row["vendor_id"]].name_ar,
            row["money"],
            row["gw"],
            row["deals"],
            row["undisclosed"],
            *_with_totals(row),
        )
        for row in rows
    ]


def lab_cloud_matrix(
    deals,
    language: str | None = None,
    max_labs: int = 15,
    max_clouds: int = 8,
    by_buyer: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Money each buyer has committed to each cloud: buyers as rows, clouds as columns.

    A cell is the stated money at face value, 0 when every amount of the pair is undisclosed,
    and empty (NaN) when the buyer has no deal with that cloud; `matrix.attrs["totals"]` has
    the `Total` of each (buyer, cloud) pair with a deal, so no deal of unknown amount looks
    like no deal at all. One query, none with `by_buyer` (`compute_by_buyer_and_cloud` of the
    same deals).
    """
    frame = compute_by_buyer_and_cloud(deals) if by_buyer is None else by_buyer
    if frame.empty:
        empty = pd.DataFrame()
        empty.attrs["totals"] = {}
        return empty
    frame = frame.assign(
        lab=pick_name(frame, "payer__", language),
        cloud=pick_name(frame, "cloud__", language),
        money=frame["money"].fillna(Decimal(0)).astype(float),
    )
    matrix = frame.pivot_table(index="lab", columns="cloud", values="money", aggfunc="sum")
    pairs: dict[tuple[str, str], list] = {}
    for lab, cloud, total in zip(frame["lab"], frame["cloud"], frame["money_total"], strict=True):
        pairs.setdefault((lab, cloud), []).append(total)
    totals = {pair: add_totals(parts) for pair, parts in pairs.items()}
    # Ranked by money, then by how many deals: a buyer whose amounts are all undisclosed
    # still has a row.
    deal_counts = frame.pivot_table(index="lab", columns="cloud", values="deals", aggfunc="sum")
    labs = _ranked(matrix.sum(axis=1), deal_counts.sum(axis=1))[:max_labs]
    clouds = _ranked(matrix.sum(axis=0), deal_counts.sum(axis=0))[:max_clouds]
    matrix = matrix.loc[labs, clouds]
    matrix.attrs["totals"] = {
        pair: total for pair, total in totals.items() if pair[0] in labs and pair[1] in clouds
    }
    return matrix


def _ranked(money: pd.Series, deals: pd.Series) -> list:
    order = pd.DataFrame({"money": money, "deals": deals}).sort_values(
        ["money", "deals"], ascending=False
    )
    return list(order.index)
