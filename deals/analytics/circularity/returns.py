"""What comes back round a company's loops: a maximum flow through them, at every level.

A loop returns no more than its smallest leg, and two loops sharing a leg share its money:
the most that can go round the loops together is a maximum flow from the company's
investments to the purchases from it, each leg carrying at most its money at the level.
"""

from __future__ import annotations

from decimal import Decimal

import networkx as nx

from deals.totals import Span

from .loops import LEVELS, Step, level_key

CENT = Decimal("0.01")


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
        value = nx.maximum_flow_value(
            network, "out", "in", capacity=level_key(level_index, possible)
        )
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


def returned_levels(loops: list[list[Step]]) -> list[Span]:
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


def trip_levels(steps: list[Step]) -> list[Span]:
    """The same for one loop alone: the smallest step at each level."""
    qualifiers = _qualifiers([steps])
    return [
        _span(
            _bottleneck(steps, level_key(index, False)),
            _bottleneck(steps, level_key(index, True)),
            1,
            qualifiers,
        )  # fmt: skip
        for index in range(len(LEVELS))
    ]
