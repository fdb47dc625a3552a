"""Figures the pages show, aggregated in SQL and shaped with pandas: frames in, frames out.

One module per question: `headline` (the overview's sums), `runs_on` (what compute runs on),
`network` (the investment graph's nodes and edges), `flows` (money flows between companies and
the loops they close), `sankey` (the flows by stage), `valuations` (a company's valuations).
Nothing here caches, formats words for a page or draws: `deals.pages` does the first two,
`deals.charts` the last. The names below are the package's public surface.
"""

from .flows import circular_money, flow_edges
from .headline import Figure, Headline, headline_figures, headline_of_every_deal
from .network import OTHERS, edge_sources, graph_frames, named
from .runs_on import (
    chip_vendor_rows,
    compute_by_buyer_and_cloud,
    lab_cloud_matrix,
    money_by_chip_vendor,
    money_by_cloud,
)
from .sankey import sankey_links
from .valuations import valuation_frame

__all__ = [
    "OTHERS",
    "Figure",
    "Headline",
    "circular_money",
    "chip_vendor_rows",
    "compute_by_buyer_and_cloud",
    "edge_sources",
    "flow_edges",
    "graph_frames",
    "named",
    "headline_figures",
    "headline_of_every_deal",
    "lab_cloud_matrix",
    "money_by_chip_vendor",
    "money_by_cloud",
    "sankey_links",
    "valuation_frame",
]
