"""Circularity per company: how much of the money a company invests comes back to it as purchases.

The definition, in words and with a worked example, is in docs/circularity.md. In short:

- The graph is `flows.money_graph` of every live deal: companies (subsidiaries folded into their
  top-most parent, so money reaching AWS reaches Amazon), an edge per pair that money flows
  between (investments, compute and chip purchases, and a cloud's capacity running on a chip
  vendor's chips).
- A **loop of C** is a simple cycle of at most `MAX_LEGS` companies that leaves C as one of C's
  investments and comes back to C as a purchase from C (compute or chips). Between the two,
  any kind of money.
- **What comes back** is the most money that can go round C's loops together, no deal carrying
  more than its amount: a maximum flow from C's investments to the purchases from C, through
  the edges of its loops. So a loop returns no more than its smallest leg, and two loops
  sharing a leg share its money. It is computed for the certain amounts (exact, "about", the
  floor of "more than") and for the possible ones ("up to" ceilings included): a loop through
  an "up to" figure is an "up to" return.
- **Firm versus promised**: the same maximum flow through firm deals only, then through firm
  and promised deals, then through every live deal. A loop is only as firm as its least firm
  leg.
- An amount nobody disclosed is never taken as zero nor as any number: a loop with a leg of
  undisclosed amount (the share of a compute deal spent on one vendor's chips always is) is
  counted and listed, and left out of the sums.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice

import networkx as nx

from companies.models import Company
from deals.models import Deal, DealCitation, DealType
from deals.totals import MONEY, STANDINGS, Span, Standing, Total

from .common import total_from_row, total_sums
from .flows import (
    CHIPS,
    COMPUTE,
    INVESTMENT,
    KIND_OF_TYPE,
    RUNS_ON,
    flow_edges,
    largest_leg_deals,
    money_graph,
    parent_map,
)

MAX_LEGS = 6
MAX_CYCLES = 2000
LOOPS_LISTED = 12
DEALS_PER_STEP = 3
MAX_STEP_DEALS = 600
PURCHASES = (COMPUTE, CHIPS, RUNS_ON)
# Through firm deals only; firm and promised; every live deal.
LEVELS = (STANDINGS[:1], STANDINGS[:2], STANDINGS)
CENT = Decimal("0.01")


@dataclass
class Step:
    """One leg of a loop: money from `source` to `target` of the `kinds` the loop may use."""

    source: int
    target: int
    kinds: list[str]
    total: Total
    # Its money at each level (`_key`), None: no ceiling; and the qualifiers in it.
    capacities: dict = field(default_factory=dict, repr=False)
    qualifiers: frozenset = frozenset()
    is_disclosed: bool = True  # some deal of it states an amount
    firmest: Standing = Standing.FIRM  # the firmest standing of its deals
    deals: list[Deal] = field(default_factory=list)
    companies: dict = field(default_factory=dict)  # filled with the two Company objects

    @property
    def kind(self) -> str:
        return self.kinds[0]


@dataclass
class RoundTrip:
    """One loop of a company: its steps, and what it could bring back on its own."""

    steps: list[Step]
    levels: list[Span]  # what comes back through firm, firm and promised, and every deal

    @property
    def is_disclosed(self) -> bool:
        return all(step.is_disclosed for step in self.steps)

    @property
    def standing(self) -> Standing:
        """Its least firm leg's firmest deal: how far the whole loop can be counted on."""
        return max((step.firmest for step in self.steps), key=STANDINGS.index)

    @property
    def returned(self) -> Span:
        return self.levels[-1]


@dataclass
class Circularity:
    """One company's (and its subsidiaries') money going round."""

    company: Company
    invested: Total
    levels: list[Span]  # what comes back through firm, firm and promised, and every deal
    loops: list[RoundTrip]
    undisclosed: dict[Standing, int]  # loops through an undisclosed amount, by standing
    loop_count: int = 0  # every loop found (only the first LOOPS_LISTED are kept)

    @property
    def returned(self) -> Span:
        return self.levels[-1]

    @property
    def share(self) -> tuple[Decimal | None, Decimal | None] | None:
        """(least, most) of what it put in, at face value, that comes back; None without a
        stated investment. The most is None when a "more than" leaves it without a ceiling."""
        put_in = self.invested.certain + self.invested.span().ceilings
        if not put_in or self.returned.is_empty:
            return None
        high = self.returned.high
        return self.returned.low / put_in, None if high is None else high / put_in

    @property
    def rank_key(self) -> tuple:
        low, high = self.share or (Decimal(0), Decimal(0))
        most = high if high is not None else low
        reach = self.returned.high if self.returned.high is not None else self.returned.low
        return (-most, -low, -reach, -sum(self.undisclosed.values()), self.company.name)


def _firmest(total: Total) -> Standing:
    present = [s for s in STANDINGS if not total.span(s).is_empty or total.undisclosed.get(s)]
    return present[0] if present else Standing.REPORTED


def _undisclosed(total: Total) -> Total:
    """Every deal of `total` as an undisclosed amount (the chips' share of a compute deal)."""
    counts = {
        s: total.span(s).stated + total.undisclosed.get(s, 0)
        for s in STANDINGS
        if total.span(s).stated + total.undisclosed.get(s, 0)
    }
    return Total(MONEY, {}, counts)


def _leg(data: dict, kinds) -> tuple[list[str], Total]:
    """The kinds of an edge a leg may use (in order) and their money, added."""
    used = [kind for kind in (INVESTMENT, COMPUTE, CHIPS, RUNS_ON) if kind in kinds]
    total = Total(MONEY)
    for kind in used:
        part = data["totals"].get(kind, Total(MONEY))
        total = total + (_undisclosed(part) if kind == RUNS_ON else part)
    return [kind for kind in used if kind in data["kinds"]], total


FIRST, MIDDLE, LAST = "first", "middle", "last"
ALLOWED = {
    FIRST: (INVESTMENT,),
    MIDDLE: (INVESTMENT, COMPUTE, CHIPS, RUNS_ON),
    LAST: PURCHASES,
}


def _steps(graph: nx.DiGraph, cycle: list[int], legs: dict) -> list[Step] | None:
    """The steps of `cycle` as a loop of its first company, or None when it is not one (no
    investment out of it first, or no purchase from it last). `legs` memoizes each edge's
    kinds and money per position: many loops share an edge."""
    pairs = list(zip(cycle, cycle[1:] + cycle[:1], strict=True))
    steps = []
    for index, pair in enumerate(pairs):
        role = FIRST if index == 0 else LAST if index == len(pairs) - 1 else MIDDLE
        if (pair, role) not in legs:
            data = graph.edges[pair]
            kinds, total = _leg(data, [k for k in ALLOWED[role] if k in data["kinds"]])
            capacities = {
                _key(index, possible): _capacity(total, level, possible)
                for index, level in enumerate(LEVELS)
                for possible in (False, True)
            }
            legs[pair, role] = (kinds, total, capacities, total.span().qualifiers,
                                total.stated_count > 0, _firmest(total))  # fmt: skip
        kinds, *described = legs[pair, role]
        if not kinds:
            return None
        steps.append(Step(pair[0], pair[1], kinds, *described))
    return steps


def _capacity(total: Total, level, possible: bool) -> Decimal | None:
    spans = [total.span(s) for s in level if not total.span(s).is_empty]
    if not possible:
        return sum((span.low for span in spans), Decimal(0))
    if any(span.high is None for span in spans):
        return None
    return sum((span.high for span in spans), Decimal(0))


def _key(level_index: int, possible: bool) -> str:
    return f"{'possible' if possible else 'certain'}-{level_index}"


def _network(loops: list[list[Step]]) -> nx.DiGraph:
    """The loops' steps as one flow network from "out" (the company's investments) to "in"
    (the purchases from it), each edge with its money at every level, in cents (an edge
    without a figure for a key has no ceiling for it)."""
    network = nx.DiGraph()
    for steps in loops:
        last = len(steps) - 1
        for index, step in enumerate(steps):
            source = "out" if index == 0 else step.source
            target = "in" if index == last else step.target
            if network.has_edge(source, target):
                continue
            capacities = {
                key: int(capacity / CENT)
                for key, capacity in step.capacities.items()
                if capacity is not None
            }
            network.add_edge(source, target, **capacities)
    return network


def most_returned(network: nx.DiGraph, level_index: int, possible: bool) -> Decimal | None:
    """The maximum flow out of the company's investments and back as purchases from it,
    each step carrying at most its money at the level. None: no ceiling."""
    if not network.number_of_edges():
        return Decimal(0)
    try:
        value = nx.maximum_flow_value(network, "out", "in", capacity=_key(level_index, possible))
    except nx.NetworkXUnbounded:
        return None
    return Decimal(value) * CENT


def _bottleneck(steps: list[Step], key: str) -> Decimal | None:
    """What one loop alone carries: its smallest step (None: no ceiling)."""
    finite = [step.capacities[key] for step in steps if step.capacities[key] is not None]
    return min(finite) if finite else None


def _span(low, high, count: int, qualifiers) -> Span:
    if not low and not high and high is not None:
        return Span()
    return Span(low, high, count, qualifiers, Decimal(0) if high is None else high - low)


def _qualifiers(loops: list[list[Step]]) -> frozenset:
    return frozenset(q for steps in loops for step in steps for q in step.qualifiers)


def _levels(loops: list[list[Step]]) -> list[Span]:
    """What comes back through firm deals, firm and promised, every deal: each a Span (least,
    most) with the qualifiers of the steps it went through."""
    network, qualifiers = _network(loops), _qualifiers(loops)
    return [
        _span(
            most_returned(network, index, False),
            most_returned(network, index, True),
            len(loops),
            qualifiers,
        )  # fmt: skip
        for index in range(len(LEVELS))
    ]


def _trip_levels(steps: list[Step]) -> list[Span]:
    """The same for one loop alone: the smallest step at each level."""
    qualifiers = _qualifiers([steps])
    return [
        _span(
            _bottleneck(steps, _key(index, False)),
            _bottleneck(steps, _key(index, True)),
            1,
            qualifiers,
        )  # fmt: skip
        for index in range(len(LEVELS))
    ]


def find_round_trips(graph: nx.DiGraph) -> dict[int, list[list[Step]]]:
    """Every company's loops among the graph's cycles (at most MAX_LEGS long, MAX_CYCLES in
    all), shortest first."""
    found: dict[int, list[list[Step]]] = {}
    legs: dict = {}
    for cycle in islice(nx.simple_cycles(graph, length_bound=MAX_LEGS), MAX_CYCLES):
        for start in range(len(cycle)):
            rotated = cycle[start:] + cycle[:start]
            steps = _steps(graph, rotated, legs)
            if steps is not None:
                found.setdefault(rotated[0], []).append(steps)
    for loops in found.values():
        loops.sort(key=lambda steps: (len(steps), [step.target for step in steps]))
    return found


def _invested(deals) -> dict[int, Total]:
    """Each company's live investments, honestly added. One query."""
    rows = (
        deals.live()
        .filter(deal_type=DealType.INVESTMENT)
        .order_by()
        .values("payer_id")
        .annotate(**total_sums(MONEY))
    )
    return {row["payer_id"]: total_from_row(row, MONEY) for row in rows}


def circularity(deals=None, flows: list[dict] | None = None) -> dict:
    """Every company's circularity, ranked, with the loops it sits on and their deals.

    Returns {"ranking": [Circularity, ...], "roots": {company id: its group's id}}. A constant
    number of queries: parents, investments, the companies, the steps' deals with their chips
    and citations (and two for the flows unless `flows` are given).
    """
    deals = Deal.objects.all() if deals is None else deals
    roots = parent_map()
    graph = money_graph(flow_edges(deals) if flows is None else flows, roots)
    trips = find_round_trips(graph)
    invested: dict[int, Total] = {}
    for payer, total in _invested(deals).items():
        root = roots.get(payer, payer)
        invested[root] = invested[root] + total if root in invested else total
    companies = Company.objects.in_bulk(
        set(trips) | {step.target for loops in trips.values() for s in loops for step in s}
    )
    ranking = []
    for root, loops in trips.items():
        disclosed = [steps for steps in loops if all(step.is_disclosed for step in steps)]
        round_trips = [RoundTrip(steps, _trip_levels(steps)) for steps in loops]
        undisclosed: dict[Standing, int] = {}
        for trip in round_trips:
            if not trip.is_disclosed:
                undisclosed[trip.standing] = undisclosed.get(trip.standing, 0) + 1
        ranking.append(
            Circularity(
                company=companies[root],
                invested=invested.get(root, Total(MONEY)),
                levels=_levels(disclosed),
                loops=sorted(round_trips, key=_trip_order)[:LOOPS_LISTED],
                undisclosed=undisclosed,
                loop_count=len(loops),
            )
        )
    ranking.sort(key=lambda item: item.rank_key)
    _attach_deals(deals, ranking, companies, roots)
    return {"ranking": ranking, "roots": roots}


def _trip_order(trip: RoundTrip) -> tuple:
    """Loops with a stated return first, the largest first; then the shortest."""
    span = trip.returned
    reach = span.high if span.high is not None else span.low
    return (not trip.is_disclosed, -(reach or 0), len(trip.steps))


def _attach_deals(deals, ranking: list[Circularity], companies: dict, roots: dict) -> None:
    """Give each listed step its largest few deals, with their sources. Three queries."""
    members: dict[int, set[int]] = {}
    for pk, root in roots.items():
        members.setdefault(root, {root}).add(pk)

    def group(root):
        return tuple(sorted(members.get(root, {root})))

    steps = [step for item in ranking for trip in item.loops for step in trip.steps]
    if not steps:
        return
    keys = {(group(s.source), group(s.target), kind) for s in steps for kind in s.kinds}
    found = largest_leg_deals(
        deals,
        keys,
        per_pair=DEALS_PER_STEP,
        limit=MAX_STEP_DEALS,
        # Links to the quote, not its text: kilobytes per citation kept out of the cache.
        citations=DealCitation.objects.select_related("article").defer("quote", "article__body"),
    )
    index = _deal_index(found, roots)
    for step in steps:
        step.companies = {"source": companies[step.source], "target": companies[step.target]}
        step.deals = [
            deal for kind in step.kinds for deal in index.get((step.source, step.target, kind), [])
        ][: DEALS_PER_STEP * len(step.kinds)]


def _deal_index(found: list[Deal], roots: dict) -> dict[tuple, list[Deal]]:
    """The deals by the step they make: (payer's group, payee's group, kind), and for a compute
    deal on a vendor's chips also (provider's group, vendor's group, runs_on)."""
    index: dict[tuple, list[Deal]] = {}
    for deal in found:
        payer, payee = (
            roots.get(deal.payer_id, deal.payer_id),
            roots.get(deal.payee_id, deal.payee_id),
        )
        index.setdefault((payer, payee, KIND_OF_TYPE[deal.deal_type]), []).append(deal)
        if deal.deal_type == DealType.COMPUTE_COMMITMENT:
            vendors = {roots.get(c.vendor_id, c.vendor_id) for c in deal.chip_platforms.all()}
            for vendor in sorted(vendors):
                index.setdefault((payee, vendor, RUNS_ON), []).append(deal)
    return index
