"""What the graph page shows: who funds whom, where the money goes, and the loops it makes."""

from django.utils.translation import gettext as _

from deals import analytics, charts
from deals.analytics.sites import graph_sites
from deals.filters import DealFilter
from dealwatch.language import reader_language

from .cache import cached, per_round
from .flows import circular_loops, every_flow, loops_html
from .fragments import chart_html, rendered
from .keys import filter_key

TOP_COMPANIES = 25


def graph_page(filters: DealFilter) -> dict:
    """The graph page's context for these filters: its charts cached per language and filter."""
    deals = filters.qs  # validates the form (lazily: no query yet)
    company = filters.form.cleaned_data.get("company") if filters.is_bound else None
    # Canonical, validated values only: a refused or unknown parameter makes no new entry, and
    # filtered graphs are a bounded kind of their own (pages.keys).
    params = filter_key(filters)
    figures = cached(
        "graph:filtered" if params else "graph",
        lambda: graph_sections(graph_figures(deals, company, filtered=bool(params))),
        reader_language(),
        params,
    )
    # The loops always cover every deal; a company's graph shows those it is in.
    if company is None:
        loops = loops_html()
    else:
        mine = [loop for loop in circular_loops() if loop.involves(company)]
        loops = rendered("deals/_loops.html", {"loops": mine})
    return {
        "filters": filters,
        "problems": filters.error_messages,
        "company": company,
        **figures,
        "loops_html": loops,
    }


def _frames(deals, company):
    nodes, edges = analytics.graph_frames(deals, company=company, top_n=TOP_COMPANIES)
    return nodes, edges, analytics.edge_sources(deals, [int(pk) for pk in nodes["id"]])


def graph_sections(figures: dict) -> dict:
    """The graph page's two charts as their HTML (`pages.fragments`), to be cached."""
    return {
        "graph_html": chart_html(figures["graph_chart"], wide=True),
        "sankey_html": chart_html(figures["sankey_chart"], wide=True),
    }


def graph_figures(deals, company, filtered: bool = True) -> dict:
    """The graph page's charts for these (filtered) deals: the expensive part."""
    if filtered:
        nodes, edges, sources = _frames(deals, company)
    else:
        # Every deal's sums name no language: a warm round computes them once for both
        # languages (`per_round`), and each names its companies in its own.
        nodes, edges, sources = per_round("graph:frames", lambda: _frames(deals, company))
        nodes = analytics.named(nodes)
    links = analytics.sankey_links(analytics.flow_edges(deals) if filtered else every_flow())
    sites = graph_sites([int(pk) for pk in nodes["id"] if int(pk) != analytics.OTHERS])
    network = charts.investment_graph(
        nodes, edges, sources, centre=company.slug if company else None, sites=sites
    )
    return {
        "graph_chart": {
            "chart_id": "investment-graph",
            "title": _("Who funds whom")
            if company is None
            else _("Who funds whom around %(company)s") % {"company": company.display_name},
            "figure": charts.figure_json(network),
            "table": charts.graph_table(nodes, edges),
            "description": charts.graph_description(nodes, edges),
        },
        "sankey_chart": {
            "chart_id": "money-sankey",
            "title": _("Where the money goes"),
            "figure": charts.figure_json(charts.money_sankey(links)),
            "table": charts.sankey_table(links),
            "description": charts.sankey_description(links),
        },
    }
