"""Every plotly figure DealWatch draws: functions of small frames, returning `go.Figure`.

One module per chart family (`runs_on`, `network` with its geometry in `network_layout`,
`sankey`, `valuation`), each with the table and words that go with its chart; `common` has
`figure_json`, the layout and the right-to-left marks. Nothing here queries: the frames come
from `deals.analytics`, and `deals.pages` places the figures.
"""

from .common import figure_json
from .network import (
    edge_status_words,
    graph_description,
    graph_table,
    investment_graph,
    omitted_words,
)
from .runs_on import (
    lab_cloud_description,
    lab_cloud_heatmap,
    lab_cloud_table,
    runs_on_amounts,
    runs_on_bars,
    runs_on_table,
)
from .sankey import money_sankey, sankey_description, sankey_table
from .valuation import valuation_history, valuation_table

__all__ = [
    "edge_status_words",
    "figure_json",
    "graph_description",
    "graph_table",
    "investment_graph",
    "lab_cloud_description",
    "lab_cloud_heatmap",
    "lab_cloud_table",
    "money_sankey",
    "omitted_words",
    "runs_on_amounts",
    "runs_on_bars",
    "runs_on_table",
    "sankey_description",
    "sankey_table",
    "valuation_history",
    "valuation_table",
]
