"""Each company's circularity: its loops, what comes back round them against what it put in,
ranked, every listed step with its largest deals and their sources."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from companies.models import Company
from deals.models import Deal, DealCitation, DealType
from deals.totals import MONEY, STANDINGS, Span, Standing, Total

from ..common import total_from_row, total_sums
from ..flows import KIND_OF_TYPE, RUNS_ON, flow_edges, largest_leg_deals, money_graph, parent_map
from .loops import Step, find_round_trips
from .returns import returned_levels, trip_levels

LOOPS_LISTED = 12
DEALS_PER_STEP = 3
MAX_STEP_DEALS = 600


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
        round_trips = [RoundTrip(steps, trip_levels(steps)) for steps in loops]
        undisclosed: dict[Standing, int] = {}
        for trip in round_trips:
            if not trip.is_disclosed:
                undisclosed[trip.standing] = undisclosed.get(trip.standing, 0) + 1
        ranking.append(
            Circularity(
                company=companies[root],
                invested=invested.get(root, Total(MONEY)),
                levels=returned_levels(disclosed),
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
