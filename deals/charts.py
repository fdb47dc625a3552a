"""Every plotly figure DealWatch draws: functions of small frames, returning `go.Figure`.

The views place each figure as JSON (`figure_json`) with templates/includes/chart.html, and
static/js/charts.js draws it. Nothing here touches the request or the database, except for
the translation of labels into the active language.
"""

import json
import math
import re
from collections import Counter
from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from plotly.subplots import make_subplots

from .analytics import MIXED, is_arabic
from .formatting import format_money, format_power, money_words
from .models import DealStatus, DealType, Qualifier
from .money_flows import LAYERS

FONT = '"IBM Plex Sans Arabic", "IBM Plex Sans", "Noto Sans Arabic", "DejaVu Sans", sans-serif'
BILLION = 1e9
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
FIRM = {DealStatus.SIGNED, DealStatus.COMPLETED}


# Keys of a figure whose strings are read by people: labels, hover text, titles, tick text.
_READ_KEYS = {
    "text", "hovertext", "hovertemplate", "texttemplate", "name", "label", "customdata",
    "ticktext", "legendgrouptitle",
}  # fmt: skip
_ARABIC = re.compile("[\u0600-\u06ff]")
_RLM = "\u200f"


def _right_to_left(value):
    """Arabic lines start with a right-to-left mark, so "38 مليار دولار" keeps its order.

    Charts are drawn left-to-right (plotly positions its SVG text that way); a line that
    begins with a digit or a Latin name would otherwise be laid out left-to-right too, with
    its words in the wrong order. Arrows point the way Arabic reads.
    """
    if isinstance(value, str):
        if not _ARABIC.search(value):
            return value
        lines = value.replace(" → ", " ← ").split("<br>")
        return "<br>".join(line if line.startswith(_RLM) else _RLM + line for line in lines)
    if isinstance(value, list):
        return [_right_to_left(item) for item in value]
    if isinstance(value, dict):
        return {key: _right_to_left(item) for key, item in value.items()}
    return value


def _mark_text(value):
    if isinstance(value, list):
        return [_mark_text(item) for item in value]
    if isinstance(value, dict):
        return {
            key: _right_to_left(item) if key in _READ_KEYS or key == "title" else _mark_text(item)
            for key, item in value.items()
        }
    return value


def figure_json(figure: go.Figure, language: str | None = None) -> dict:
    """The figure as plain JSON data (numpy numbers and all) for `json_script`."""
    data = json.loads(figure.to_json())
    if is_arabic(language):
        data = _mark_text(data)
    return data


def _layout(figure: go.Figure, title: str, language: str | None, height: int = 380) -> None:
    arabic = is_arabic(language)
    figure.update_layout(
        title={"text": title, "x": 1 if arabic else 0, "xanchor": "right" if arabic else "left"},
        font={"family": FONT, "size": 13},
        height=height,
        margin={"l": 10, "r": 10, "t": 48, "b": 10},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        hoverlabel={"font": {"family": FONT}, "align": "right" if arabic else "left"},
        legend={
            "orientation": "h",
            "yanchor": "top",
            "y": -0.08,
            "x": 1 if arabic else 0,
            "xanchor": "right" if arabic else "left",
        },
    )


def _mirror_for_arabic(figure: go.Figure, language: str | None) -> None:
    """Right-to-left reading: category labels on the right, bars growing leftwards."""
    if is_arabic(language):
        figure.update_yaxes(side="right")
        figure.update_xaxes(autorange="reversed")


def _label_room(labels) -> int:
    """Pixels for a column of names: plotly's automargin misses right-hand axes in RTL pages."""
    return 20 + round(6.5 * max((len(str(label)) for label in labels), default=0))


def _short(name: str, limit: int = 22) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def runs_on_bars(frame: pd.DataFrame, title: str, language: str | None = None) -> go.Figure:
    """Money (US$ billions) above gigawatts, per cloud or chip vendor, as horizontal bars.

    `frame` has columns name, money (USD), gw, deals, undisclosed (from analytics). The two
    panels are stacked so that each keeps the full width on a phone.
    """
    arabic = is_arabic(language)
    frame = frame.iloc[::-1]  # largest at the top of a horizontal bar chart
    figure = make_subplots(
        rows=2,
        cols=1,
        vertical_spacing=0.16,
        subplot_titles=(_("Money (US$ billions)"), _("Power (GW)")),
    )
    labels = [_short(name) for name in frame["name"]]
    money_words_list = [
        money_words(Decimal(str(value)), language) if value else _("undisclosed")
        for value in frame["money"]
    ]
    power_words = [
        format_power(Decimal(str(value)), Qualifier.EXACT, language) if value else "—"
        for value in frame["gw"]
    ]
    hover = [
        f"{name}<br>{money} · {power}<br>"
        + ngettext("%(count)s deal", "%(count)s deals", int(deals)) % {"count": deals}
        for name, money, power, deals in zip(
            frame["name"], money_words_list, power_words, frame["deals"], strict=True
        )
    ]
    for row, values, words, colour, name in (
        (1, frame["money"] / BILLION, money_words_list, "#0b5cad", _("Money")),
        (2, frame["gw"], power_words, "#15803d", _("Power")),
    ):
        figure.add_trace(
            go.Bar(
                x=values,
                y=labels,
                orientation="h",
                name=name,
                marker_color=colour,
                text=words,
                textposition=["auto" if value else "outside" for value in values],
                insidetextanchor="middle",
                cliponaxis=False,
                hovertext=hover,
                hoverinfo="text",
                showlegend=False,
            ),
            row=row,
            col=1,
        )
    _layout(figure, title, language, height=160 + 2 * 40 * max(1, len(frame)))
    figure.update_xaxes(rangemode="tozero", automargin=True)
    figure.update_yaxes(automargin=True)
    if arabic:
        figure.update_yaxes(side="right")
        figure.update_xaxes(autorange="reversed")
        # plotly's automargin misses right-hand axes inside right-to-left pages.
        figure.update_layout(margin={"r": _label_room(labels)})
        figure.update_annotations(x=1, xanchor="right")
    return figure


def lab_cloud_heatmap(matrix: pd.DataFrame, language: str | None = None) -> go.Figure:
    """Money each buyer committed to each cloud, as a grid coloured by amount."""
    text = [
        [money_words(Decimal(str(value)), language) if value else "" for value in row]
        for row in matrix.to_numpy()
    ]
    figure = go.Figure(
        go.Heatmap(
            z=matrix.to_numpy() / BILLION,
            x=[_short(name, 18) for name in matrix.columns],
            y=[_short(name) for name in matrix.index],
            text=text,
            texttemplate="%{text}",
            hovertemplate="%{y} → %{x}: %{text}<extra></extra>",
            colorscale="Blues",
            showscale=False,  # every cell prints its amount
            xgap=2,
            ygap=2,
        )
    )
    _layout(
        figure,
        _("Compute bought, by buyer and cloud"),
        language,
        height=max(240, 120 + 44 * len(matrix.index)),
    )
    figure.update_xaxes(title_text=_("Cloud"), side="bottom", automargin=True)
    figure.update_yaxes(title_text=_("Buyer"), autorange="reversed", automargin=True)
    if is_arabic(language):
        # On the right the axis title would sit on the names; the caption names the rows.
        figure.update_yaxes(side="right", title_text=None)
        figure.update_xaxes(autorange="reversed")
        figure.update_layout(
            margin={"r": _label_room(matrix.index) + 24, "b": _label_room(matrix.columns) // 2 + 50}
        )
    return figure


def _curve(start, end, bend: float, steps: int = 10):
    """Points of a quadratic curve from start to end, bowed to the left of travel by `bend`."""
    (x0, y0), (x1, y1) = start, end
    dx, dy = x1 - x0, y1 - y0
    cx, cy = (x0 + x1) / 2 - dy * bend, (y0 + y1) / 2 + dx * bend
    points = []
    for step in range(steps + 1):
        t = step / steps
        points.append(  # three decimals are finer than a pixel and keep the page small
            (
                round((1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t**2 * x1, 3),
                round((1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t**2 * y1, 3),
            )
        )
    return points


def _tail(points, reach: float, scale: tuple[float, float]):
    """The last point of a curve at least `reach` pixels from its end (or its start)."""
    (x1, y1), (per_x, per_y) = points[-1], scale
    for x, y in reversed(points[:-1]):
        if math.hypot((x1 - x) * per_x, (y1 - y) * per_y) >= reach:
            return x, y
    return points[0]


def _node_size(money: float, largest: float) -> float:
    return 16 + 34 * math.sqrt(money / largest) if largest else 16


def graph_layout(nodes: pd.DataFrame) -> dict[int, tuple[float, float]]:
    """Positions for the investment graph: money flows left to right across the whole width.

    One column per kind (investors, labs, clouds and data centres, chipmakers: `LAYERS`), the
    columns present spread from x = -1 to 1; inside a column the companies keep the order of
    `nodes` (largest first), evenly from the top (y = 1) to the bottom (y = -1).
    """
    columns: dict[int, list] = {}
    for node, kind in zip(nodes["id"], nodes["kind"], strict=True):
        columns.setdefault(LAYERS.get(kind, 0), []).append(node)
    positions = {}
    for index, layer in enumerate(sorted(columns)):
        x = -1 + 2 * index / (len(columns) - 1) if len(columns) > 1 else 0.0
        members = columns[layer]
        for rank, node in enumerate(members):
            y = 0.0 if len(members) == 1 else 1 - 2 * rank / (len(members) - 1)
            positions[node] = (x, y)
    return positions


# The graph's geometry in pixels. Its height follows its tallest column, so that neighbours in
# a column keep room for a name between them; its width is the page's (at least 640 px,
# .chart-wide), so labels are placed for the narrowest canvas.
GRAPH_ROW_PX = 60
GRAPH_TOP_PX, GRAPH_BOTTOM_PX = 46, 30  # above the top company and below the bottom one
GRAPH_LEGEND_PX = 190  # the legend under the plot
GRAPH_X_RANGE = (-1.3, 1.3)
NARROWEST_PX = 620
LABEL_CHAR_PX, LABEL_LINE_PX = 7.2, 16  # 12 px text, a little wider than it is on average
LABEL_PLACES = ("top center", "bottom center", "middle right", "middle left")


def _graph_plot(positions) -> tuple[int, list[float]]:
    """The plot's height in pixels and its y range, from the tallest column."""
    columns = Counter(x for x, _y in positions.values())
    rows = max(columns.values(), default=1)
    plot = max(400, GRAPH_ROW_PX * (rows - 1) + GRAPH_TOP_PX + GRAPH_BOTTOM_PX)
    unit = (plot - GRAPH_TOP_PX - GRAPH_BOTTOM_PX) / 2  # pixels from y = 0 to y = 1
    return plot, [-1 - GRAPH_BOTTOM_PX / unit, 1 + GRAPH_TOP_PX / unit]


def label_box(x: float, y: float, size: float, text: str, place: str) -> tuple:
    """The pixels (left, top, right, bottom) a name takes beside a marker at pixel (x, y)."""
    radius, width, height = size / 2, LABEL_CHAR_PX * len(text), LABEL_LINE_PX
    vertical, horizontal = place.split()
    if vertical == "top":
        return (x - width / 2, y - radius - 2 - height, x + width / 2, y - radius - 2)
    if vertical == "bottom":
        return (x - width / 2, y + radius + 2, x + width / 2, y + radius + 2 + height)
    if horizontal == "right":
        return (x + radius + 3, y - height / 2, x + radius + 3 + width, y + height / 2)
    return (x - radius - 3 - width, y - height / 2, x - radius - 3, y + height / 2)


def _overlap(first: tuple, second: tuple) -> bool:
    return (
        first[0] < second[2] and second[0] < first[2] and first[1] < second[3]
        and second[1] < first[3]
    )  # fmt: skip


def _place_labels(order, positions, sizes, labels, x_range, y_range, plot_px) -> dict:
    """Where each company's name goes: above it if there is room, else below, right, left.

    Placed for the narrowest canvas, largest companies first; a name that fits nowhere
    without covering another name or company is left out (it is in the hover text and the
    table).
    """

    def pixels(node):
        x, y = positions[node]
        return (
            (x - x_range[0]) / (x_range[1] - x_range[0]) * NARROWEST_PX,
            (y_range[1] - y) / (y_range[1] - y_range[0]) * plot_px,
        )

    markers = {}
    for node in order:
        x, y = pixels(node)
        radius = sizes[node] / 2
        markers[node] = (x - radius, y - radius, x + radius, y + radius)
    taken: list[tuple] = []
    places = {}
    for node in order:
        for place in LABEL_PLACES:
            box = label_box(*pixels(node), sizes[node], labels[node], place)
            inside = box[0] >= 0 and box[2] <= NARROWEST_PX
            if (
                inside
                and not any(_overlap(box, other) for other in taken)
                and not any(
                    _overlap(box, marker) for other, marker in markers.items() if other != node
                )
            ):
                places[node] = place
                taken.append(box)
                break
    return places


def _edge_style(edge) -> str:
    """Solid when signed or completed, dashed before; dotted when merged deals are partly signed."""
    share = getattr(edge, "firm_share", None)
    if share is None or share != share:  # no share (per-status edges) or NaN
        share = 1.0 if edge.status in FIRM else 0.0
    return "solid" if share >= 1 else "dash" if share <= 0 else "dot"


def edge_status_words(edge) -> str:
    """An edge's status in words: one status, or how much of merged deals is signed."""
    if edge.status == MIXED:
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
) -> go.Figure:
    """Who funds whom: companies as nodes (size by money, colour by kind), deals as arrows.

    `nodes`: id, slug, name, kind, money (largest first). `edges`: source, target, deal_type,
    status, amount, deals, undisclosed, qualifier, and from `analytics.graph_frames` also
    firm_share and by_status, and `attrs["omitted"]` (the flows it left out, said under the
    title). Arrows are solid once signed or completed, dashed before, dotted when they merge
    deals of which only some are signed; their width follows the amount.
    """
    arabic = is_arabic(language)
    positions = graph_layout(nodes)
    names = dict(zip(nodes["id"], nodes["name"], strict=True))
    sizes = {
        node: _node_size(money, nodes["money"].max())
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
    plot_px, y_range = _graph_plot(positions)
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
        points = _curve(positions[edge.source], positions[edge.target], bend)
        if any(abs(y) > 1.02 for _x, y in points):  # it would leave the plot: bow inwards
            points = _curve(positions[edge.source], positions[edge.target], -bend)
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
        (ax, ay), (x, y) = _tail(points, reach, scale), points[-1]
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
    labels = {node: _short(name, 22) for node, name in names.items()}
    drawn = [node for node in nodes["id"] if node in positions]
    places = _place_labels(
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
                    f"{name}<br>"
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
    note = omitted_words(edges.attrs.get("omitted"), language, brief=True)
    top = 48 + (24 if note else 0)
    _layout(figure, _("Who funds whom"), language, height=top + plot_px + GRAPH_LEGEND_PX)
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
        text = "; ".join(_short(title, 60) for title in shown)
        if more > 0:
            text += " " + ngettext("(+%(count)s more)", "(+%(count)s more)", int(more)) % {
                "count": more
            }
        hover.append(_("Source: %(title)s") % {"title": text})
    return hover


STAGE_LABELS = {
    "investor": gettext_lazy("Investors"),
    "lab": gettext_lazy("Labs and other buyers"),
    "cloud": gettext_lazy("Clouds"),
    "chips": gettext_lazy("Chip vendors"),
}


def money_sankey(links: pd.DataFrame, language: str | None = None) -> go.Figure:
    """Money from investors to labs to clouds to chip vendors.

    `links`: kind, source_stage, source, source_name, target_stage, target, target_name,
    amount (USD). A company in two stages gets a node in each.
    """
    arabic = is_arabic(language)
    links = links[links["amount"] > 0]
    keys: list[tuple[str, int]] = []
    labels = []
    for stage, node, name in [
        *zip(links["source_stage"], links["source"], links["source_name"], strict=True),
        *zip(links["target_stage"], links["target"], links["target_name"], strict=True),
    ]:
        if (stage, node) not in keys:
            keys.append((stage, node))
            labels.append(_short(str(name), 20))
    index = {key: position for position, key in enumerate(keys)}
    # A node's size is the larger of what flows in and what flows out.
    flowing = (
        pd.concat(
            [
                links.groupby(["source_stage", "source"])["amount"].sum(),
                links.groupby(["target_stage", "target"])["amount"].sum(),
            ]
        )
        .groupby(level=[0, 1])
        .max()
    )
    node_words = [money_words(Decimal(str(flowing.get(key, 0))), language) for key in keys]
    # Each stage in its own column (a cloud whose chips are unknown stays among the clouds),
    # mirrored for Arabic; inside a column, the biggest on top.
    columns = [stage for stage in STAGE_LABELS if any(key[0] == stage for key in keys)]
    xs, ys = [], []
    for stage, node in keys:
        column = columns.index(stage)
        x = 0.01 + 0.98 * column / (len(columns) - 1) if len(columns) > 1 else 0.5
        members = sorted((k for k in keys if k[0] == stage), key=lambda k: -flowing.get(k, 0))
        total = sum(flowing.get(k, 0) for k in members) or 1
        above = sum(flowing.get(k, 0) for k in members[: members.index((stage, node))])
        xs.append(1 - x if arabic else x)
        ys.append(0.02 + 0.96 * (above + flowing.get((stage, node), 0) / 2) / total)
    kind_words = {
        "investment": _("invests in"),
        "compute": _("buys compute from"),
        "runs_on": _("runs compute on chips of"),
        "chips": _("buys chips from"),
    }
    colours = {
        "investment": "rgba(107,79,187,0.45)",
        "compute": "rgba(11,92,173,0.45)",
        "runs_on": "rgba(21,128,61,0.45)",
        "chips": "rgba(21,128,61,0.45)",
    }
    figure = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": labels,
                "x": xs,
                "y": ys,
                "customdata": node_words,
                "pad": 18,
                "thickness": 14,
                "color": "#4f5b67",
                "hovertemplate": "%{label}: %{customdata}<extra></extra>",
            },
            link={
                "source": [
                    index[key] for key in zip(links["source_stage"], links["source"], strict=True)
                ],
                "target": [
                    index[key] for key in zip(links["target_stage"], links["target"], strict=True)
                ],
                "value": list(links["amount"]),
                "color": [colours[kind] for kind in links["kind"]],
                "customdata": [
                    f"{source} {kind_words[kind]} {target}: "
                    f"{money_words(Decimal(str(amount)), language)}"
                    for source, kind, target, amount in zip(
                        links["source_name"],
                        links["kind"],
                        links["target_name"],
                        links["amount"],
                        strict=True,
                    )
                ],
                "hovertemplate": "%{customdata}<extra></extra>",
            },
        )
    )
    _layout(
        figure,
        _("Where the money goes: investors → labs → clouds → chip vendors"),
        language,
        height=max(380, 40 * len(keys) // 2 + 260),
    )
    # Plotly puts the columns evenly across the width, one per stage present.
    for position, stage in enumerate(columns):
        x = position / (len(columns) - 1) if len(columns) > 1 else 0.5
        x = 1 - x if arabic else x
        figure.add_annotation(
            x=x, y=1.06, xref="paper", yref="paper", text=f"<b>{STAGE_LABELS[stage]}</b>",
            showarrow=False, xanchor="left" if x == 0 else "right" if x == 1 else "center",
            font={"size": 12, "color": "#4f5b67"},
        )  # fmt: skip
    figure.update_layout(margin={"t": 80})
    return figure
