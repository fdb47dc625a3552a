"""The money flows of every deal and the loops they close: shared by the overview and the graph.

Each has one key, filled here only. The loops always cover every deal (a filter of the graph
only picks among them), and the flows are read once for the loops and the unfiltered Sankey
(two of the slowest queries at a million deals).
"""

from django.utils.safestring import SafeString

from deals.analytics import flows
from deals.models import Deal
from dealwatch.language import reader_language

from .cache import cached
from .fragments import rendered

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


def loops_html() -> SafeString:
    """The loops of every deal as their section's HTML (`deals/_loops.html`), per language:
    each loop lists its steps' deals with their sources, which at a million deals was most of
    a warm overview's rendering."""
    return cached(
        "loops:html",
        lambda: rendered("deals/_loops.html", {"loops": circular_loops()}),
        reader_language(),
    )
