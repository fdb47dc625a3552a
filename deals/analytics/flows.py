"""Circular money: investments that come back to the investor as cloud or chip spending.

The graph of money flows has an edge for every kind of payment the seed records:
- investment: investor → investee;
- compute: buyer → cloud provider (a compute commitment);
- chips: buyer → chip vendor (a chip-supply deal), and cloud provider → chip vendor when a
  compute commitment runs on that vendor's chips (Azure capacity on Nvidia systems).

Subsidiaries are folded into their parent company first (AWS into Amazon), so "Amazon invests in
OpenAI, OpenAI buys from AWS" closes a loop. A loop is a simple cycle of at most four companies
with at least one investment in it: money that an investor puts in and that flows back.
Graph work is networkx's; this module only builds the graph and fetches each loop's deals.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from itertools import islice
from operator import or_

import networkx as nx
from django.db.models import Count, F, Prefetch, Q, Sum, Window
from django.db.models.functions import RowNumber

from companies.models import ChipPlatform, Company
from deals.models import Deal, DealCitation, DealStatus, DealType
from deals.totals import MONEY, Total

from .common import by_first_chip_vendor, total_from_row, total_sums

INVESTMENT = "investment"
COMPUTE = "compute"
CHIPS = "chips"
RUNS_ON = "runs_on"
KIND_OF_TYPE = {
    DealType.INVESTMENT: INVESTMENT,
    DealType.COMPUTE_COMMITMENT: COMPUTE,
    DealType.CHIP_SUPPLY: CHIPS,
}
# Which kind names a leg when one pair of companies is joined by several.
_KIND_ORDER = [INVESTMENT, COMPUTE, CHIPS, RUNS_ON]
MAX_CYCLES = 500
DEALS_PER_PAIR = 3
DEALS_PER_LEG = 3
MAX_LOOP_DEALS = 300
# Flows kept, the largest first: a million deals make a quarter of a million pairs of
# companies, too many to load into Python or search for loops; loops and Sankey read the largest.
MAX_FLOWS = 2000


def parent_map() -> dict[int, int]:
    """Each company id to the id of its top-most parent (itself when it has none). 1 query."""
    parents = dict(Company.objects.filter(parent__isnull=False).values_list("pk", "parent_id"))

    def root(pk, seen=()):
        parent = parents.get(pk)
        return pk if parent is None or parent in seen else root(parent, (*seen, pk))

    return {pk: root(pk) for pk in parents}


def _flow_sums() -> dict:
    """What each flow sums: the bare amount (for widths and loops), the deals, the honest
    `Total` behind them and how many deals are in each status."""
    return {
        "amount": Sum("amount_usd"),
        "deals": Count("pk"),
        **total_sums(MONEY),
        **{f"status_{status}": Count("pk", filter=Q(status=status)) for status in DealStatus},
    }


def _flow(row: dict, source: int, target: int, kind: str) -> dict:
    return {
        "source": source,
        "target": target,
        "kind": kind,
        "amount": row["amount"] or Decimal(0),
        "deals": row["deals"],
        "total": total_from_row(row, MONEY),
        "statuses": {
            str(status): row[f"status_{status}"] for status in DealStatus if row[f"status_{status}"]
        },
    }


def flow_edges(deals, limit: int = MAX_FLOWS) -> list[dict]:
    """Money flows between companies, summed per pair and kind in SQL. 2 queries.

    Each flow has its bare `amount` (stated figures at face value), its `deals`, the honest
    `total` (a `deals.totals.Total`: qualifiers, standings, undisclosed amounts) and its
    `statuses` ({status: deals}). Only the largest flows are returned (3 × `limit` between
    companies, `limit` from clouds to chip vendors; on small data all of them), so what
    reaches Python is bounded whatever the number of deals.
    """
    live = deals.live().order_by()
    largest = [F("amount").desc(nulls_last=True), "payer_id", "payee_id", "deal_type"]
    pairs = (
        live.values("payer_id", "payee_id", "deal_type")
        .annotate(**_flow_sums())
        .order_by(*largest)[: limit * len(KIND_OF_TYPE)]
    )
    rows = [
        _flow(row, row["payer_id"], row["payee_id"], KIND_OF_TYPE[row["deal_type"]])
        for row in pairs
    ]
    runs_on = (
        by_first_chip_vendor(live.filter(deal_type=DealType.COMPUTE_COMMITMENT))
        .values("payee_id", "vendor_id")
        .annotate(**_flow_sums())
        .order_by(F("amount").desc(nulls_last=True), "payee_id", "vendor_id")[:limit]
    )
    rows += [_flow(row, row["payee_id"], row["vendor_id"], RUNS_ON) for row in runs_on]
    return rows


def money_graph(edges: list[dict], roots: dict[int, int] | None = None) -> nx.DiGraph:
    """A DiGraph of companies (subsidiaries folded into parents) with the kinds on each edge."""
    roots = roots or {}
    graph = nx.DiGraph()
    for edge in edges:
        source = roots.get(edge["source"], edge["source"])
        target = roots.get(edge["target"], edge["target"])
        if source == target:
            continue  # Amazon paying AWS is money staying in the family, not a flow.
        if graph.has_edge(source, target):
            data = graph.edges[source, target]
            data["kinds"].add(edge["kind"])
            data["amounts"][edge["kind"]] = (
                data["amounts"].get(edge["kind"], Decimal(0)) + edge["amount"]
            )
            data["deals"][edge["kind"]] = data["deals"].get(edge["kind"], 0) + edge["deals"]
            if edge.get("total") is not None:
                before = data["totals"].get(edge["kind"])
                data["totals"][edge["kind"]] = (
                    edge["total"] if before is None else before + edge["total"]
                )
        else:
            graph.add_edge(
                source,
                target,
                kinds={edge["kind"]},
                amounts={edge["kind"]: edge["amount"]},
                deals={edge["kind"]: edge["deals"]},
                totals={edge["kind"]: edge["total"]} if edge.get("total") is not None else {},
            )
    return graph


def find_loops(graph: nx.DiGraph, length_bound: int = 4) -> list[list]:
    """Simple cycles with an investment in them, each starting at its (largest) investor.

    A cycle [a, b, c] means a → b → c → a.
    """
    loops = []
    for cycle in islice(nx.simple_cycles(graph, length_bound=length_bound), MAX_CYCLES):
        pairs = list(zip(cycle, cycle[1:] + cycle[:1], strict=True))
        investments = [
            (graph.edges[pair]["amounts"].get(INVESTMENT, Decimal(0)), index)
            for index, pair in enumerate(pairs)
            if INVESTMENT in graph.edges[pair]["kinds"]
        ]
        if not investments:
            continue
        amount, start = max(investments, key=lambda item: (item[0], -item[1]))
        loops.append((len(cycle), -amount, cycle[start:] + cycle[:start]))
    # The shortest loops read most plainly; among them, the largest investments first.
    return [loop for _length, _amount, loop in sorted(loops, key=lambda item: item[:2])]


@dataclass
class Leg:
    source: Company
    target: Company
    kinds: list[str]
    deals: list[Deal] = field(default_factory=list)
    total: Decimal = Decimal(0)  # every deal of the leg, disclosed amounts at face value
    deal_count: int = 0
    # The same deals added up honestly (qualifiers, standings, undisclosed): what is shown.
    honest_total: Total | None = None

    @property
    def more(self) -> int:
        """Deals of this leg not listed (only the largest few are)."""
        return max(0, self.deal_count - len(self.deals))

    @property
    def kind(self) -> str:
        return self.kinds[0]


@dataclass
class Loop:
    legs: list[Leg]

    @property
    def companies(self) -> list[Company]:
        return [leg.source for leg in self.legs]

    @property
    def slugs(self) -> list[str]:
        return [company.slug for company in self.companies]

    def involves(self, company: Company) -> bool:
        return any(company.pk in (leg.source.pk, leg.target.pk) for leg in self.legs)


def largest_leg_deals(deals, keys, *, per_pair: int, limit: int, citations) -> list[Deal]:
    """The largest `per_pair` live deals of each leg in `keys` ((payer ids, payee ids, kind)),
    at most `limit` in all, largest first, with parties, cloud, chips and `citations` (a
    queryset: what each caller needs of them). Ranked on the ids alone, so only the few hundred
    chosen deals are read whole (with their names)."""
    wanted = reduce(or_, (_leg_query(s, t, kind) for s, t, kind in sorted(keys)))
    largest_first = Window(
        RowNumber(),
        partition_by=[F("payer_id"), F("payee_id"), F("deal_type")],
        order_by=[F("amount_usd").desc(nulls_last=True), F("slug").asc()],
    )
    in_order = [F("amount_usd").desc(nulls_last=True), "slug"]
    chosen = (
        deals.live()
        .filter(wanted)
        .annotate(rank=largest_first)
        .filter(rank__lte=per_pair)
        .order_by(*in_order)
        .values("pk")[:limit]
    )
    return list(
        Deal.objects.filter(pk__in=chosen)
        .select_related("payer", "payee", "cloud")
        .prefetch_related(
            Prefetch("chip_platforms", queryset=ChipPlatform.objects.select_related("vendor")),
            Prefetch("citations", queryset=citations),
        )
        .order_by(*in_order)
    )


def _leg_query(source_ids, target_ids, kind) -> Q:
    if kind == RUNS_ON:
        # A subquery, not a join: a deal on two of the vendor's chips is still one row.
        on_their_chips = Deal.chip_platforms.through.objects.filter(
            chipplatform__vendor__in=target_ids
        ).values("deal_id")
        return Q(
            deal_type=DealType.COMPUTE_COMMITMENT,
            payee__in=source_ids,
            pk__in=on_their_chips,
        )
    deal_type = {value: key for key, value in KIND_OF_TYPE.items()}[kind]
    return Q(deal_type=deal_type, payer__in=source_ids, payee__in=target_ids)


def _leg_deals(deal: Deal, source_ids, target_ids, kind) -> bool:
    if kind == RUNS_ON:
        return (
            deal.deal_type == DealType.COMPUTE_COMMITMENT
            and deal.payee_id in source_ids
            and any(chip.vendor_id in target_ids for chip in deal.chip_platforms.all())
        )
    return (
        KIND_OF_TYPE[deal.deal_type] == kind
        and deal.payer_id in source_ids
        and deal.payee_id in target_ids
    )


def circular_money(
    deals=None, length_bound: int = 4, limit: int = 12, flows: list[dict] | None = None
) -> list[Loop]:
    """The loops of circular money among `deals`, each leg with its deals and their sources.

    A constant number of queries: parents, two for the flows (none when `flows`, the
    `flow_edges` of these deals, are given), the companies, and the loops' deals with their
    chips and citations.
    """
    deals = Deal.objects.all() if deals is None else deals
    roots = parent_map()
    graph = money_graph(flow_edges(deals) if flows is None else flows, roots)
    cycles = find_loops(graph, length_bound)[:limit]
    if not cycles:
        return []
    members: dict[int, set[int]] = {}
    for pk, root in roots.items():
        members.setdefault(root, {root}).add(pk)
    group = lambda root: members.get(root, {root})  # noqa: E731

    legs = []
    for cycle in cycles:
        pairs = list(zip(cycle, cycle[1:] + cycle[:1], strict=True))
        legs.append(
            [(s, t, sorted(graph.edges[s, t]["kinds"], key=_KIND_ORDER.index)) for s, t in pairs]
        )
    companies = Company.objects.in_bulk({node for cycle in cycles for node in cycle})
    # Loops share legs (Microsoft → Anthropic is in several): each distinct leg once.
    leg_keys = {
        (tuple(sorted(group(s))), tuple(sorted(group(t))), kind)
        for cycle_legs in legs
        for s, t, kinds in cycle_legs
        for kind in kinds
    }
    loop_deals = largest_leg_deals(
        deals,
        leg_keys,
        per_pair=DEALS_PER_PAIR,
        limit=MAX_LOOP_DEALS,
        citations=DealCitation.objects.select_related("article"),
    )
    loops = []
    for cycle_legs in legs:
        loop = Loop(legs=[])
        for s, t, kinds in cycle_legs:
            data = graph.edges[s, t]
            leg = Leg(
                source=companies[s],
                target=companies[t],
                kinds=kinds,
                total=data["amounts"][kinds[0]],
                deal_count=data["deals"][kinds[0]],
                honest_total=data.get("totals", {}).get(kinds[0]),
            )
            leg.deals = [
                deal for deal in loop_deals if _leg_deals(deal, group(s), group(t), kinds[0])
            ][:DEALS_PER_LEG]
            loop.legs.append(leg)
        loops.append(loop)
    return loops
