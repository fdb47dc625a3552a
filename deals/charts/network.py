"""Who funds whom: the investment graph, its hover text, its table and what it leaves out."""

import math
from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deals.formatting import format_money, money_words
from deals.models import FIRM_STATUSES, MIXED_STATUS, DealStatus, DealType
from dealwatch.language import reader_is_arabic

from .common import layout, plain, short
from .network_layout import (
    GRAPH_LEGEND_PX,
    GRAPH_X_RANGE,
    NARROWEST_PX,
    curve,
    graph_layout,
    graph_plot,
    node_size,
    place_labels,
    tail,
)
from .network_sites import site_traces, with_sites

KIND_COLOURS = {
    "investor": "#6b4fbb",
    "ai_lab": "#c2410c",
    "cloud_provider": "#0b5cad",
    "chipmaker": "#15803d",
    "data_center_operator": "#0e7490",
    "other": "#6b7280",
    "others": "#9ca3af",
}
TYPE_COLOURS = {
    DealType.INVESTMENT: "#6b4fbb",
    DealType.COMPUTE_COMMITMENT: "#0b5cad",
    DealType.CHIP_SUPPLY: "#15803d",
}


def _edge_style(edge) -> str:
    """Solid when signed or completed, dashed before; dotted when merged deals are partly signed."""
    share = getattr(edge, "firm_share", None)
    if share is None or share != share:  # no share (per-status edges) or NaN
        share = 1.0 if edge.status in FIRM_STATUSES else 0.0
    return "solid" if share >= 1 else "dash" if share <= 0 else "dot"


def edge_status_words(edge) -> str:
    """An edge's status in words: one status, or how much of merged deals is signed."""
    if edge.status == MIXED_STATUS:
        return _("%(share)s%% signed or completed") % {"share": round(100 * edge.firm_share)}
    return str(DealStatus(edge.status).label)


def omitted_words(omitted: dict | None, language: str | None = None, brief: bool = False) -> str:
    """What the graph leaves out, in a sentence (`brief`: a line under the chart's title).

    Empty when it draws every flow.
    """
    if not omitted or not omitted["flows"]:
        return ""
    numbers = {
        "drawn": f"{omitted['of'] - omitted['flows']:,}",
        "total": f"{omitted['of']:,}",
        "count": f"{omitted['flows']:,}",
        "deals": f"{omitted['deals']:,}",
        "amount": money_words(Decimal(str(omitted["amount"])), language) or _("undisclosed"),
    }
    if brief:
        return (
            ngettext(
                "%(drawn)s of %(total)s flows drawn; the other one (%(amount)s) is in the table.",
                "%(drawn)s of %(total)s flows drawn; the other %(count)s (%(amount)s) are in the "
                "table.",
                omitted["flows"],
            )
            % numbers
        )
    return (
        ngettext(
            "%(drawn)s of %(total)s flows are drawn: each company's largest, then the largest of "
            "the rest. %(count)s other flow (%(deals)s deals, %(amount)s) is left out and summed "
            "in the last row of the table.",
            "%(drawn)s of %(total)s flows are drawn: each company's largest, then the largest of "
            "the rest. %(count)s other flows (%(deals)s deals, %(amount)s) are left out and summed "
            "in the last row of the table.",
            omitted["flows"],
        )
        % numbers
    )


def investment_graph(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    sources: pd.DataFrame | None = None,
    language: str | None = None,
    centre: str | None = None,
    sites: pd.DataFrame | None = None,
) -> go.Figure:
    """Who funds whom: companies as nodes (size by money, colour by kind), deals as arrows.

    `nodes`: id, slug, name, kind, money (largest first). `edges`: source, target, deal_type,
    status, amount, deals, undisclosed, qualifier, and from `analytics.graph_frames` also
    firm_share and by_status, and `attrs["omitted"]` (the flows it left out, said under the
    title). Arrows are solid once signed or completed, dashed before, dotted when they merge
    deals of which only some are signed; their width follows the amount. `sites`
    (analytics.sites.graph_sites) are drawn as sites, linked to their pages (network_sites.py).
    """
    arabic = reader_is_arabic(language)
    positions = graph_layout(with_sites(nodes, sites))  # sites: a column of their own
    # Names and titles are data: plain text in every label and hover (see `plain`).
    names = {node: plain(name) for node, name in zip(nodes["id"], nodes["name"], strict=True)}
    sizes = {
        node: node_size(money, nodes["money"].max())
        for node, money in zip(nodes["id"], nodes["money"], strict=True)
    }
    titles: dict[tuple, list[str]] = {}
    if sources is not None and not sources.empty:
        for key, group in sources.groupby(["source", "target", "deal_type", "status"]):
            titles[key] = list(group["title"])
    figure = go.Figure()
    largest = edges["amount"].max() if not edges.empty else 0
    shown_styles = set()
    parallel: dict[frozenset, int] = {}
    mid_x, mid_y, mid_text, mid_colour = [], [], [], []
    lines, arrows = [], []  # added at once: plotly copies its lists on every single addition
    legends = {
        "solid": _("%(type)s, signed or completed"),
        "dot": _("%(type)s, partly signed"),
        "dash": _("%(type)s, not yet signed"),
    }
    x_range = list(GRAPH_X_RANGE[::-1] if arabic else GRAPH_X_RANGE)
    plot_px, y_range = graph_plot(positions)
    # Pixels per unit on the narrowest canvas, where arrows are shortest.
    scale = (NARROWEST_PX / abs(x_range[1] - x_range[0]), plot_px / (y_range[1] - y_range[0]))
    for edge in edges.itertuples(index=False):
        if edge.source not in positions or edge.target not in positions:
            continue
        pair = frozenset((edge.source, edge.target))
        parallel[pair] = parallel.get(pair, 0) + 1
        (x0, _y0), (x1, _y1) = positions[edge.source], positions[edge.target]
        # Longer arrows bow more, so they pass around the companies between their ends; a
        # second arrow between the same two bows further.
        bend = (0.12 + 0.1 * abs(x1 - x0)) * parallel[pair]
        points = curve(positions[edge.source], positions[edge.target], bend)
        if any(abs(y) > 1.02 for _x, y in points):  # it would leave the plot: bow inwards
            points = curve(positions[edge.source], positions[edge.target], -bend)
        dash = _edge_style(edge)
        style = (edge.deal_type, dash)
        type_label = DealType(edge.deal_type).label
        width = 1.5 + (7 * math.sqrt(edge.amount / largest) if largest else 0)
        lines.append(
            go.Scatter(
                x=[x for x, _y in points],
                y=[y for _x, y in points],
                mode="lines",
                line={
                    "color": TYPE_COLOURS.get(edge.deal_type, "#6b7280"),
                    "width": round(width, 2),
                    "dash": dash,
                },
                opacity=0.75,
                hoverinfo="skip",
                legendgroup=f"{edge.deal_type}-{dash}",
                # Only the legend reads the name: one per style keeps the page small.
                name=str(legends[dash] % {"type": type_label}) if style not in shown_styles else "",
                showlegend=style not in shown_styles,
                legendrank=list(TYPE_COLOURS).index(edge.deal_type) * 3 + list(legends).index(dash)
                if edge.deal_type in TYPE_COLOURS
                else 99,
            )
        )
        shown_styles.add(style)
        # A thin shaft, from as near the head as the node's edge allows (plotly drops an arrow
        # whose head does not fit on its shaft): the line keeps its dashes up to the head.
        head = max(1.5, width / 2.5)
        reach = sizes.get(edge.target, 16) / 2 + 3 * head + 4
        (ax, ay), (x, y) = tail(points, reach, scale), points[-1]
        arrows.append(
            {
                "x": x, "y": y, "ax": ax, "ay": ay, "xref": "x", "yref": "y", "axref": "x",
                "ayref": "y", "showarrow": True, "arrowhead": 2,
                "arrowsize": round(head, 2), "arrowwidth": 1,
                "arrowcolor": TYPE_COLOURS.get(edge.deal_type, "#6b7280"),
                "standoff": round(sizes.get(edge.target, 16) / 2, 1), "text": "",
            }
        )  # fmt: skip
        mid_x.append(points[len(points) // 2][0])
        mid_y.append(points[len(points) // 2][1])
        mid_text.append("<br>".join(_edge_hover(edge, names, titles, language)))
        mid_colour.append(TYPE_COLOURS.get(edge.deal_type, "#6b7280"))
    figure.add_traces(lines)
    figure.update_layout(annotations=arrows)
    figure.add_trace(
        go.Scatter(
            x=mid_x,
            y=mid_y,
            mode="markers",
            marker={"size": 14, "color": mid_colour, "opacity": 0.01},
            hovertext=mid_text,
            hoverinfo="text",
            showlegend=False,
            name=_("Deals"),
        )
    )
    labels = {
        node: plain(short(name, 22)) for node, name in zip(nodes["id"], nodes["name"], strict=True)
    }
    drawn = [node for node in nodes["id"] if node in positions]
    places = place_labels(
        sorted(drawn, key=lambda node: -sizes[node]), positions, sizes, labels, x_range,
        y_range, plot_px,
    )  # fmt: skip
    kind_labels = {
        "investor": _("Investor / conglomerate"),
        "ai_lab": _("AI lab"),
        "cloud_provider": _("Cloud provider"),
        "chipmaker": _("Chipmaker"),
        "data_center_operator": _("Data-centre operator"),
        "other": _("Other"),
        "others": _("All other companies"),
    }
    for kind, group in nodes.groupby("kind", sort=False):
        group = group[group["id"].isin(positions)]
        figure.add_trace(
            go.Scatter(
                x=[positions[node][0] for node in group["id"]],
                y=[positions[node][1] for node in group["id"]],
                mode="markers+text",
                marker={
                    "size": [sizes[node] for node in group["id"]],
                    "color": KIND_COLOURS.get(kind, "#6b7280"),
                    "opacity": 1,  # not plotly's see-through bubbles: arrows pass under
                    "line": {
                        "color": [
                            "#f2a900" if slug == centre else "#ffffff" for slug in group["slug"]
                        ],
                        "width": [4 if slug == centre else 1.5 for slug in group["slug"]],
                    },
                },
                # A name with no room stays in the hover text and the table.
                text=[labels[node] if node in places else "" for node in group["id"]],
                textposition=[places.get(node, "top center") for node in group["id"]],
                textfont={"size": 12, "shadow": "auto"},  # a halo where arrows pass
                hovertext=[
                    f"{plain(name)}<br>"
                    + _("money in and out: %(amount)s")
                    % {"amount": money_words(Decimal(str(money)), language) or "—"}
                    for name, money in zip(group["name"], group["money"], strict=True)
                ],
                hoverinfo="text",
                customdata=list(group["slug"]),
                name=str(kind_labels.get(kind, kind)),
                legendgroup="kinds",
                legendgrouptitle_text=_("Node colour: kind"),
            )
        )
    figure.add_traces(site_traces(sites, positions, names, language))
    note = omitted_words(edges.attrs.get("omitted"), language, brief=True)
    top = 48 + (24 if note else 0)
    layout(figure, _("Who funds whom"), language, height=top + plot_px + GRAPH_LEGEND_PX)
    if note:
        figure.add_annotation(
            text=note, xref="paper", yref="paper", x=1 if arabic else 0, y=1,
            xanchor="right" if arabic else "left", yanchor="bottom", yshift=6, showarrow=False,
            align="right" if arabic else "left", font={"size": 12, "color": "#4f5b67"},
        )  # fmt: skip
    axis = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": False}
    figure.update_xaxes(**axis, range=x_range)
    figure.update_yaxes(**axis, range=y_range)
    figure.update_layout(
        hovermode="closest",
        legend={"groupclick": "toggleitem"},
        margin={"t": top, "b": GRAPH_LEGEND_PX},
    )
    return figure


def _edge_hover(edge, names, titles, language) -> list[str]:
    """An arrow's hover lines: who pays whom, how much, in which status, from which sources."""
    type_label = DealType(edge.deal_type).label
    amount = (
        format_money(Decimal(str(edge.amount)), edge.qualifier, language)
        if edge.amount
        else _("undisclosed")
    )
    if edge.amount and edge.undisclosed:
        amount += " " + _("(+%(count)s undisclosed)") % {"count": f"{edge.undisclosed:,}"}
    hover = [
        f"{names.get(edge.source, '…')} → {names.get(edge.target, '…')}",
        f"{type_label}: {amount}",
        _("Status: %(status)s") % {"status": edge_status_words(edge)},
        ngettext("%(count)s deal", "%(count)s deals", int(edge.deals))
        % {"count": f"{edge.deals:,}"},
    ]
    # A merged edge's sources are those of each of its statuses.
    by_status = getattr(edge, "by_status", None) or ((edge.status, edge.amount, edge.deals),)
    statuses = [status for status, _amount, _deals in by_status]
    found = [
        title
        for status in statuses
        for title in titles.get((edge.source, edge.target, edge.deal_type, status), [])
    ]
    if found:
        shown, more = found[:2], len(found) - 2
        text = "; ".join(plain(short(title, 60)) for title in shown)
        if more > 0:
            text += " " + ngettext("(+%(count)s more)", "(+%(count)s more)", int(more)) % {
                "count": more
            }
        hover.append(_("Source: %(title)s") % {"title": text})
    return hover


def graph_table(nodes: pd.DataFrame, edges: pd.DataFrame) -> dict:
    """The graph's arrows as rows, largest first, and a last row for the flows it leaves out."""
    names = dict(zip(nodes["id"], nodes["name"], strict=True))
    rows = [
        (
            names.get(edge.source, "…"),
            names.get(edge.target, "…"),
            DealType(edge.deal_type).label,
            edge_status_words(edge),
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


def graph_description(nodes: pd.DataFrame, edges: pd.DataFrame) -> str:
    """The graph's text alternative: how many companies and flows, and what is left out."""
    summary = _("A network of %(nodes)s companies and %(edges)s flows of money between them.") % {
        "nodes": len(nodes),
        "edges": len(edges),
    }
    left_out = omitted_words(edges.attrs.get("omitted"))
    return f"{summary} {left_out}" if left_out else summary
