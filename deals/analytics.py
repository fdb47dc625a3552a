"""Figures the overview and the graph page show, aggregated in SQL and shaped with pandas.

Every function takes a Deal queryset (already filtered by the page) and returns a small frame or
dict. Sums happen in the database (`values().annotate(Sum(...))`), so the rows that reach
Python grow with the number of companies and platforms, never with the number of deals.

How the headline figures count (the pages say the same in words):
- cancelled deals are left out of every sum;
- "up to $10B" and "about $10B" count at face value, "more than $3B" at the stated minimum;
- an undisclosed amount is not counted, and the number of such deals is reported beside the sum;
- gigawatts are the power of compute commitments only: a chip-supply deal usually describes the
  same capacity again, so adding it would count those gigawatts twice.
"""

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.utils.translation import get_language, gettext

from companies.models import Company

from .models import Deal, DealCitation, DealStatus, DealType, Qualifier

LIVE = ~Q(status=DealStatus.CANCELLED)
COMPUTE = Q(deal_type=DealType.COMPUTE_COMMITMENT)


def is_arabic(language: str | None = None) -> bool:
    return (language or get_language() or "en").startswith("ar")


def pick_name(frame: pd.DataFrame, prefix: str, language: str | None = None) -> pd.Series:
    """The Arabic name where the reader reads Arabic and one is known, else the English one."""
    english = frame[f"{prefix}name"].fillna("")
    if not is_arabic(language):
        return english
    arabic = frame[f"{prefix}name_ar"].fillna("")
    return arabic.where(arabic != "", english)


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
        deals.filter(LIVE & COMPUTE, cloud__isnull=False)
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
        by_first_chip_vendor(deals.filter(LIVE).exclude(deal_type=DealType.INVESTMENT))
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


# The investment graph ---------------------------------------------------------------------

OTHERS = 0  # the node that stands for every company outside the graph's top N
DONE = [DealStatus.SIGNED, DealStatus.COMPLETED]
MIXED = "mixed"  # the status of an edge that merges deals of several statuses
MAX_EDGES = 50  # beyond a few dozen arrows a network is a hairball
NODE_COLUMNS = ["id", "slug", "name", "kind", "money"]
EDGE_COLUMNS = [
    "source",
    "target",
    "deal_type",
    "status",
    "amount",
    "deals",
    "undisclosed",
    "qualifier",
]


def _company_money(deals) -> pd.Series:
    """Money each company has paid or received, summed in SQL. 2 queries."""
    paid = deals.order_by().values_list("payer_id").annotate(money=Sum("amount_usd"))
    received = deals.order_by().values_list("payee_id").annotate(money=Sum("amount_usd"))
    frame = pd.DataFrame.from_records([*paid, *received], columns=["id", "money"])
    if frame.empty:
        return pd.Series(dtype=float)
    frame["money"] = frame["money"].fillna(Decimal(0)).astype(float)
    return frame.groupby("id")["money"].sum().sort_values(ascending=False)


MAX_NEIGHBOURS = 60


def graph_companies(deals, company: Company | None = None, top_n: int = 25) -> list[int]:
    """The ids the graph draws: the top N by money, or `company`'s neighbourhood. 2–3 queries.

    The neighbourhood is the companies one deal away, and two deals away while that keeps the
    graph under `top_n` (the nearest first, then by money).
    """
    money = _company_money(deals)
    if company is None:
        return [int(pk) for pk in money.index[:top_n]]
    hops = list(deals.involving(company).order_by().values_list("payer_id", "payee_id").distinct())
    near = {company.pk} | {pk for pair in hops for pk in pair}
    second = deals.filter(Q(payer__in=near) | Q(payee__in=near)).order_by()
    far = {pk for pair in second.values_list("payer_id", "payee_id").distinct() for pk in pair}
    rank = {pk: position for position, pk in enumerate(money.index)}
    by_money = lambda ids: sorted(ids, key=lambda pk: rank.get(pk, len(rank)))  # noqa: E731
    keep = [company.pk, *by_money(near - {company.pk})]
    keep += by_money(far - near)[: max(0, top_n - len(keep))]
    # Past top_n, every neighbour is kept up to MAX_NEIGHBOURS (the largest by money): a hub
    # with thousands of counterparties would otherwise be a hairball of a page.
    return keep[: max(top_n, min(len(near), MAX_NEIGHBOURS))]


def graph_frames(
    deals,
    company: Company | None = None,
    top_n: int = 25,
    language: str | None = None,
    max_edges: int = MAX_EDGES,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes and edges of the investment graph; deals with others fold into an "others" node.

    Edges are summed per (from, to, type, status) in SQL. When there are more of them than the
    graph draws, one pair's statuses of one type merge into one edge (status `MIXED` when they
    differ; cancelled deals apart). `firm_share` is the part of an edge's money signed or
    completed, `by_status` its (status, amount, deals) from the largest. Every company gets its
    largest edge, then the largest of the rest fill up to `max_edges`; what is left out is
    summed in `edges.attrs["omitted"]` (see `omitted_flows`), so the page can say so.
    Companies are sized by every flow, drawn or not.
    """
    keep = graph_companies(deals, company, top_n)
    if not keep:
        edges = pd.DataFrame(columns=EDGE_COLUMNS)
        edges.attrs["omitted"] = omitted_flows(edges, of=0)
        return pd.DataFrame(columns=NODE_COLUMNS), edges
    side = lambda column: Case(  # noqa: E731
        When(**{f"{column}__in": keep}, then=F(column)),
        default=Value(OTHERS),
        output_field=IntegerField(),
    )
    rows = (
        deals.order_by()
        .annotate(source=side("payer_id"), target=side("payee_id"))
        .exclude(source=OTHERS, target=OTHERS)
        .values("source", "target", "deal_type", "status")
        .annotate(
            amount=Sum("amount_usd"),
            deals=Count("pk"),
            undisclosed=Count("pk", filter=Q(amount_usd__isnull=True)),
            # One qualifier when the least and the greatest agree (a DISTINCT count would
            # make PostgreSQL sort every deal instead of aggregating in parallel).
            lowest_qualifier=Min("amount_qualifier"),
            qualifier=Max("amount_qualifier"),
        )
    )
    edges = pd.DataFrame.from_records(list(rows), columns=[*EDGE_COLUMNS, "lowest_qualifier"])
    if company is not None:
        # Around one company, flows between its neighbours and the rest would swamp the view.
        edges = edges[(edges["source"] != OTHERS) & (edges["target"] != OTHERS)]
    edges["amount"] = edges["amount"].fillna(Decimal(0)).astype(float)
    # "up to $5B" + "up to $10B" is "up to $15B"; mixed qualifiers sum to a plain figure.
    edges["qualifier"] = edges["qualifier"].where(
        edges["lowest_qualifier"] == edges["qualifier"], Qualifier.EXACT
    )
    edges = _with_statuses(edges[EDGE_COLUMNS])
    if len(edges) > max_edges:
        edges = _merge_statuses(edges)
    every_edge = edges
    edges, left_out = _largest_edges(edges, max_edges)

    companies = pd.DataFrame.from_records(
        list(Company.objects.filter(pk__in=keep).values("pk", "slug", "name", "name_ar", "kind")),
        columns=["pk", "slug", "name", "name_ar", "kind"],
    ).rename(columns={"pk": "id"})
    companies["name"] = pick_name(companies, "", language)
    if (edges[["source", "target"]] == OTHERS).any(axis=None):
        others = pd.DataFrame(
            [{"id": OTHERS, "slug": "", "name": gettext("all other companies"), "kind": "others"}]
        )
        companies = pd.concat([companies, others], ignore_index=True)
    spent = every_edge.groupby("source")["amount"].sum()
    got = every_edge.groupby("target")["amount"].sum()
    companies["money"] = companies["id"].map(spent).fillna(0.0) + companies["id"].map(got).fillna(
        0.0
    )
    nodes = companies[NODE_COLUMNS].sort_values("money", ascending=False, ignore_index=True)
    edges.attrs["omitted"] = omitted_flows(left_out, of=len(every_edge))
    return nodes, edges


def _with_statuses(edges: pd.DataFrame) -> pd.DataFrame:
    """Per-status edges, with the columns a merged edge has too."""
    firm = edges["status"].isin(DONE)
    return edges.assign(
        firm_share=firm.astype(float),
        by_status=[
            ((status, amount, deals),)
            for status, amount, deals in zip(
                edges["status"], edges["amount"], edges["deals"], strict=True
            )
        ],
    )


def _merge_statuses(edges: pd.DataFrame) -> pd.DataFrame:
    """One edge per (from, to, type): its statuses summed, with the share signed or completed.

    Cancelled deals stay apart. The share is of the money, or of the deals where no amount is
    known.
    """
    edges = edges.sort_values(["amount", "deals"], ascending=False)
    firm = edges["status"].isin(DONE)
    edges = edges.assign(
        firm_amount=edges["amount"].where(firm, 0.0),
        firm_deals=edges["deals"].where(firm, 0),
        cancelled=edges["status"] == DealStatus.CANCELLED,
    )
    # A cancelled deal's money never moved: it keeps an edge of its own.
    pair = ["source", "target", "deal_type", "cancelled"]
    merged = edges.groupby(pair, sort=False, as_index=False).agg(
        status=("status", "first"),
        statuses=("status", "nunique"),
        amount=("amount", "sum"),
        deals=("deals", "sum"),
        undisclosed=("undisclosed", "sum"),
        lowest_qualifier=("qualifier", "min"),
        qualifier=("qualifier", "max"),
        firm_amount=("firm_amount", "sum"),
        firm_deals=("firm_deals", "sum"),
        by_status=("by_status", "sum"),  # tuples concatenate, the largest status first
    )
    merged["status"] = merged["status"].where(merged["statuses"] == 1, MIXED)
    merged["qualifier"] = merged["qualifier"].where(
        merged["lowest_qualifier"] == merged["qualifier"], Qualifier.EXACT
    )
    merged["firm_share"] = (merged["firm_amount"] / merged["amount"]).where(
        merged["amount"] > 0, merged["firm_deals"] / merged["deals"]
    )
    return merged[[*EDGE_COLUMNS, "firm_share", "by_status"]]


def _largest_edges(edges: pd.DataFrame, limit: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The edges drawn and those left out.

    Each company's largest edge comes first (so that none is drawn without an arrow), then the
    largest of the rest, `limit` in all; cancelled deals, whose money never moved, come last.
    """
    ranked = edges.assign(live=edges["status"] != DealStatus.CANCELLED)
    ranked = ranked.sort_values(["live", "amount", "deals"], ascending=False, ignore_index=True)
    ranked = ranked.drop(columns="live")
    largest_of_someone = {}
    for position, pair in enumerate(zip(ranked["source"], ranked["target"], strict=True)):
        for node in pair:
            largest_of_someone.setdefault(node, position)
    chosen = sorted(set(largest_of_someone.values()))[:limit]
    taken = set(chosen)
    chosen += [position for position in range(len(ranked)) if position not in taken][
        : limit - len(chosen)
    ]
    drawn = ranked.index.isin(chosen)
    return ranked[drawn].reset_index(drop=True), ranked[~drawn]


def omitted_flows(left_out: pd.DataFrame, of: int) -> dict:
    """What the graph leaves out: how many of its `of` flows, deals and dollars, undisclosed."""
    return {
        "flows": len(left_out),
        "of": of,
        "deals": int(left_out["deals"].sum()) if len(left_out) else 0,
        "amount": float(left_out["amount"].sum()) if len(left_out) else 0.0,
        "undisclosed": int(left_out["undisclosed"].sum()) if len(left_out) else 0,
    }


def edge_sources(deals, keep: list[int], limit: int = 400) -> pd.DataFrame:
    """The articles behind the graph's edges, for the hover text. 1 query, at most `limit` rows."""
    rows = (
        DealCitation.objects.filter(deal__in=deals, deal__payer__in=keep, deal__payee__in=keep)
        .order_by("article__title")
        .values_list(
            "deal__payer_id", "deal__payee_id", "deal__deal_type", "deal__status", "article__title"
        )
        .distinct()[:limit]
    )
    return pd.DataFrame.from_records(
        list(rows), columns=["source", "target", "deal_type", "status", "title"]
    )


def sankey_links(flows: list[dict], language: str | None = None, per_stage: int = 30):
    """Money from investors to labs to clouds to chip vendors, from `money_flows.flow_edges`.

    A company can sit in two stages (Microsoft invests and sells cloud); each stage gets its own
    node. Chip links count the compute bought on a vendor's chips (what the deal is worth, not
    what the vendor is paid, which the sources do not give). 1 query for the names.
    """
    stages = {
        "investment": ("investor", "lab"),
        "compute": ("lab", "cloud"),
        "runs_on": ("cloud", "chips"),
        "chips": ("cloud", "chips"),
    }
    columns = ["kind", "source_stage", "source", "target_stage", "target", "amount", "deals"]
    frame = pd.DataFrame.from_records(
        [
            (
                flow["kind"],
                *stages[flow["kind"]][:1],
                flow["source"],
                stages[flow["kind"]][1],
                flow["target"],
                float(flow["amount"]),
                flow["deals"],
            )
            for flow in flows
        ],
        columns=columns,
    )
    if frame.empty:
        return frame.assign(source_name=[], target_name=[])
    frame = (
        frame.sort_values("amount", ascending=False)
        .groupby("kind", sort=False)
        .head(per_stage)
        .reset_index(drop=True)
    )
    ids = set(frame["source"]) | set(frame["target"])
    names = pd.DataFrame.from_records(
        list(Company.objects.filter(pk__in=ids).values_list("pk", "name", "name_ar")),
        columns=["pk", "name", "name_ar"],
    )
    names = pd.Series(pick_name(names, "", language).to_numpy(), index=names["pk"])
    frame["source_name"] = frame["source"].map(names)
    frame["target_name"] = frame["target"].map(names)
    return frame
