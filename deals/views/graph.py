"""The investment graph: who funds whom, where the money goes, and the loops it makes."""

from decimal import Decimal

from django.shortcuts import render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from deals import analytics, charts
from deals.caching import cached
from deals.filters import DealFilter
from deals.formatting import format_money, money_words
from deals.models import Deal, DealType
from deals.money_flows import circular_money, every_flow, flow_edges

TOP_COMPANIES = 25


def graph_table(nodes, edges) -> dict:
    """The graph's arrows as rows, largest first, and a last row for the flows it leaves out."""
    names = dict(zip(nodes["id"], nodes["name"], strict=True))
    rows = [
        (
            names.get(edge.source, "…"),
            names.get(edge.target, "…"),
            DealType(edge.deal_type).label,
            charts.edge_status_words(edge),
            format_money(edge.amount, edge.qualifier) if edge.amount else _("undisclosed"),
            f"{edge.deals:,}",
        )
        for edge in edges.sort_values("amount", ascending=False).itertuples(index=False)
    ]
    omitted = edges.attrs.get("omitted")
    if omitted and omitted["flows"]:
        smaller = ngettext(
            "%(count)s other flow, not drawn",
            "%(count)s other flows, not drawn",
            omitted["flows"],
        ) % {"count": f"{omitted['flows']:,}"}
        rows.append(
            (
                smaller,
                "",
                "",
                "",
                money_words(Decimal(str(omitted["amount"])))
                if omitted["amount"]
                else _("undisclosed"),
                f"{omitted['deals']:,}",
            )
        )
    return {
        "columns": [_("From"), _("To"), _("Type"), _("Status"), _("Amount"), _("Deals")],
        "rows": rows,
    }


def sankey_table(links) -> dict:
    return {
        "columns": [_("From"), _("To"), _("Flow"), _("Amount"), _("Deals")],
        "rows": [
            (
                row.source_name,
                row.target_name,
                {
                    "investment": _("investment"),
                    "compute": _("compute purchase"),
                    "runs_on": _("compute on these chips"),
                    "chips": _("chip purchase"),
                }[row.kind],
                money_words(row.amount) if row.amount else _("undisclosed"),
                row.deals,
            )
            for row in links.itertuples(index=False)
        ],
    }


def graph_figures(deals, company, filtered: bool = True) -> dict:
    """The graph page's charts and loops for these (filtered) deals: the expensive part."""
    nodes, edges = analytics.graph_frames(deals, company=company, top_n=TOP_COMPANIES)
    sources = analytics.edge_sources(deals, [int(pk) for pk in nodes["id"]])
    links = analytics.sankey_links(flow_edges(deals) if filtered else every_flow())
    # The loops always cover every deal: shared by every filter of the page (and cached).
    loops = cached("loops", lambda: circular_money(Deal.objects.all(), limit=8, flows=every_flow()))
    if company is not None:
        loops = [loop for loop in loops if loop.involves(company)]
    network = charts.investment_graph(
        nodes, edges, sources, centre=company.slug if company else None
    )
    summary = _("A network of %(nodes)s companies and %(edges)s flows of money between them.") % {
        "nodes": len(nodes),
        "edges": len(edges),
    }
    left_out = charts.omitted_words(edges.attrs.get("omitted"))
    if left_out:
        summary += " " + left_out
    return {
        "graph_chart": {
            "chart_id": "investment-graph",
            "title": _("Who funds whom")
            if company is None
            else _("Who funds whom around %(company)s") % {"company": company.display_name},
            "figure": charts.figure_json(network),
            "table": graph_table(nodes, edges),
            "description": summary,
        },
        "sankey_chart": {
            "chart_id": "money-sankey",
            "title": _("Where the money goes"),
            "figure": charts.figure_json(charts.money_sankey(links)),
            "table": sankey_table(links),
            "description": _(
                "A flow diagram from investors to labs to clouds to chip vendors, "
                "widths proportional to the amounts."
            ),
        },
        "loops": loops,
    }


def graph(request):
    filters = DealFilter(request.GET or None, queryset=Deal.objects.all())
    deals = filters.qs  # validates the form (lazily: no query yet)
    company = filters.form.cleaned_data.get("company") if filters.is_bound else None
    params = sorted(filters.active_params.items())
    figures = cached(
        "graph",
        lambda: graph_figures(deals, company, filtered=bool(params)),
        get_language(),
        params,
    )
    context = {
        "filters": filters,
        "problems": filters.error_messages,
        "company": company,
        **figures,
    }
    return render(request, "deals/graph.html", context)
