"""The money flows of every deal and the loops they close: shared by the overview and the graph.

Each has one key, filled here only. The loops always cover every deal (a filter of the graph
only picks among them), and the flows are read once for the loops and the unfiltered Sankey
(two of the slowest queries at a million deals).
"""

from deals.analytics import flows
from deals.models import Deal

from .cache import cached

LOOPS_SHOWN = 8


def every_flow() -> list[dict]:
    """`flows.flow_edges` of every deal, until the data change."""
    return cached("flows", lambda: flows.flow_edges(Deal.objects.all()))


def circular_loops() -> list[flows.Loop]:
    """The loops of circular money among every deal, until the data change."""
    return cached(
        "loops",
        lambda: flows.circular_money(Deal.objects.all(), limit=LOOPS_SHOWN, flows=every_flow()),
    )
