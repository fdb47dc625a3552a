"""The investment graph's frames: which companies it draws, and the flows between them."""

from decimal import Decimal

import pandas as pd
from django.db.models import Case, Count, F, IntegerField, Max, Min, Q, Sum, Value, When
from django.utils.translation import gettext

from companies.models import Company
from deals.models import FIRM_STATUSES, MIXED_STATUS, DealCitation, DealStatus, Qualifier

from .common import pick_name

OTHERS = 0  # the node that stands for every company outside the graph's top N
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
    graph draws, one pair's statuses of one type merge into one edge (status `MIXED_STATUS` when
    they differ; cancelled deals apart). `firm_share` is the part of an edge's money signed or
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
    firm = edges["status"].isin(FIRM_STATUSES)
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
    firm = edges["status"].isin(FIRM_STATUSES)
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
    merged["status"] = merged["status"].where(merged["statuses"] == 1, MIXED_STATUS)
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


def named(nodes: pd.DataFrame, language: str | None = None) -> pd.DataFrame:
    """`nodes` (of `graph_frames`) with each name in `language` (default: the reader's), as a
    copy: the sums behind a graph name no language, so one pair of frames serves both. 1 query.
    """
    ids = [int(pk) for pk in nodes["id"] if int(pk) != OTHERS]
    companies = pd.DataFrame.from_records(
        list(Company.objects.filter(pk__in=ids).values("pk", "name", "name_ar")),
        columns=["pk", "name", "name_ar"],
    )
    names = dict(zip(companies["pk"], pick_name(companies, "", language), strict=True))
    names[OTHERS] = gettext("all other companies")
    return nodes.assign(name=nodes["id"].map(names))


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
