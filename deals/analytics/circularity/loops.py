"""Finding each company's loops in the money graph, each leg with its money at every level.

A loop of C leaves C as one of C's investments and comes back to C as a purchase from C
(compute or chips); between the two, any kind of money (docs/circularity.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice

import networkx as nx

from deals.models import Deal
from deals.totals import MONEY, STANDINGS, Standing, Total

from ..flows import CHIPS, COMPUTE, INVESTMENT, RUNS_ON

MAX_LEGS = 6
MAX_CYCLES = 2000
PURCHASES = (COMPUTE, CHIPS, RUNS_ON)
# Through firm deals only; firm and promised; every live deal.
LEVELS = (STANDINGS[:1], STANDINGS[:2], STANDINGS)


@dataclass
class Step:
    """One leg of a loop: money from `source` to `target` of the `kinds` the loop may use."""

    source: int
    target: int
    kinds: list[str]
    total: Total
    # Its money at each level (`level_key`), None: no ceiling; and the qualifiers in it.
    capacities: dict = field(default_factory=dict, repr=False)
    qualifiers: frozenset = frozenset()
    is_disclosed: bool = True  # some deal of it states an amount
    firmest: Standing = Standing.FIRM  # the firmest standing of its deals
    deals: list[Deal] = field(default_factory=list)
    companies: dict = field(default_factory=dict)  # filled with the two Company objects

    @property
    def kind(self) -> str:
        return self.kinds[0]


def level_key(level_index: int, possible: bool) -> str:
    """The name of a step's money at one level of LEVELS, certain or possible."""
    return f"{'possible' if possible else 'certain'}-{level_index}"


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
                level_key(index, possible): _capacity(total, level, possible)
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
