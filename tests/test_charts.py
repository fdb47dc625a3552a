import pandas as pd
import pytest
from django.utils import translation

from deals import charts


def test_runs_on_bars_show_money_and_power_with_words_on_hover():
    frame = pd.DataFrame(
        {"name": ["Azure", "AWS"], "money": [30e9, 38e9], "gw": [1.0, 0.0], "deals": [1, 1],
         "undisclosed": [0, 0]}
    )  # fmt: skip
    figure = charts.runs_on_bars(frame, "Money and power by cloud", language="en")
    assert figure.layout.title.text == "Money and power by cloud"
    assert [trace.type for trace in figure.data] == ["bar", "bar"]
    assert list(figure.data[0].x) == [38.0, 30.0]  # billions, largest on top
    assert "$38B" in figure.data[0].hovertext[0]
    assert figure.layout.annotations[0].text == "Money (US$ billions)"


def test_arabic_bars_put_the_axis_on_the_right_and_read_right_to_left():
    frame = pd.DataFrame(
        {"name": ["أزور"], "money": [30e9], "gw": [1.0], "deals": [1], "undisclosed": [0]}
    )
    with translation.override("ar"):
        figure = charts.runs_on_bars(frame, "x", language="ar")
    assert figure.layout.yaxis.side == "right"
    assert figure.layout.yaxis2.side == "right"
    assert figure.layout.xaxis.autorange == "reversed"
    assert "30 مليار دولار" in figure.data[0].text[0]


def small_graph():
    nodes = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "slug": ["microsoft", "anthropic", "nvidia"],
            "name": ["Microsoft", "Anthropic", "Nvidia"],
            "kind": ["investor", "ai_lab", "chipmaker"],
            "money": [35e9, 45e9, 10e9],
        }
    )
    edges = pd.DataFrame(
        {
            "source": [1, 2, 3],
            "target": [2, 1, 2],
            "deal_type": ["investment", "compute_commitment", "investment"],
            "status": ["announced", "signed", "announced"],
            "amount": [5e9, 30e9, 10e9],
            "deals": [1, 1, 1],
            "undisclosed": [0, 0, 0],
            "qualifier": ["up_to", "exact", "up_to"],
        }
    )
    return nodes, edges


def test_investment_graph_has_dashed_unsigned_edges_a_legend_and_hover_amounts():
    nodes, edges = small_graph()
    sources = pd.DataFrame(
        {"source": [1], "target": [2], "deal_type": ["investment"], "status": ["announced"],
         "title": ["Microsoft, Nvidia and Anthropic"]}
    )  # fmt: skip
    figure = charts.investment_graph(nodes, edges, sources, language="en", centre="anthropic")
    lines = [trace for trace in figure.data if trace.mode == "lines"]
    assert [trace.line.dash for trace in lines] == ["dash", "solid", "dash"]
    legend = {trace.name for trace in lines if trace.showlegend}
    assert legend == {"investment, not yet signed", "compute commitment, signed or completed"}
    hover = next(trace for trace in figure.data if trace.name == "Deals").hovertext
    assert "investment: up to $5B" in hover[0]
    assert "Source: Microsoft, Nvidia and Anthropic" in hover[0]
    node_traces = [trace for trace in figure.data if trace.mode == "markers+text"]
    assert {trace.name for trace in node_traces} == {
        "Investor / conglomerate", "AI lab", "Chipmaker"
    }  # fmt: skip
    assert len(figure.layout.annotations) == 3  # one arrowhead per edge


def test_money_sankey_has_a_node_per_stage_and_words_on_hover():
    links = pd.DataFrame(
        {
            "kind": ["investment", "compute", "runs_on"],
            "source_stage": ["investor", "lab", "cloud"],
            "source": [1, 2, 1],
            "source_name": ["Microsoft", "Anthropic", "Microsoft"],
            "target_stage": ["lab", "cloud", "chips"],
            "target": [2, 1, 3],
            "target_name": ["Anthropic", "Microsoft", "Nvidia"],
            "amount": [5e9, 30e9, 30e9],
            "deals": [1, 1, 1],
        }
    )
    figure = charts.money_sankey(links, language="en")
    sankey = figure.data[0]
    # Microsoft appears twice: as an investor and as a cloud.
    assert list(sankey.node.label) == ["Microsoft", "Anthropic", "Microsoft", "Nvidia"]
    assert sankey.link.customdata[1] == "Anthropic buys compute from Microsoft: $30B"


def test_figure_json_is_plain_json():
    nodes, edges = small_graph()
    data = charts.figure_json(charts.investment_graph(nodes, edges))
    assert isinstance(data["data"], list)
    assert data["layout"]["title"]["text"] == "Who funds whom"


def crowded_graph():
    """A graph shaped like the one at a million deals: one tall column of clouds, a big hub."""
    kinds = ["others"] + ["cloud_provider"] * 13 + ["ai_lab"] * 6 + ["other"] * 4
    kinds += ["chipmaker"] * 2
    nodes = pd.DataFrame(
        {
            "id": range(len(kinds)),
            "slug": [f"company-{index}" for index in range(len(kinds))],
            "name": ["all other companies"]
            + [f"Company Web Services {index}" for index in range(1, len(kinds))],
            "kind": kinds,
            "money": [4e14 / (index + 1) for index in range(len(kinds))],
        }
    )
    edges = pd.DataFrame(
        {
            "source": [0] * (len(kinds) - 1),
            "target": range(1, len(kinds)),
            "deal_type": ["compute_commitment"] * (len(kinds) - 1),
            "status": ["mixed"] * (len(kinds) - 1),
            "amount": [1e13 / index for index in range(1, len(kinds))],
            "deals": [100] * (len(kinds) - 1),
            "undisclosed": [3] * (len(kinds) - 1),
            "qualifier": ["exact"] * (len(kinds) - 1),
            "firm_share": [0.4] * (len(kinds) - 1),
            "by_status": [(("announced", 6e12, 60), ("signed", 4e12, 40))] * (len(kinds) - 1),
        }
    )
    edges.attrs["omitted"] = {
        "flows": 700, "of": 725, "deals": 250_000, "amount": 1.8e14, "undisclosed": 25_000
    }  # fmt: skip
    return nodes, edges


def label_boxes(figure, canvas_width):
    """Each shown name's pixels (left, top, right, bottom), and each company's circle."""
    layout = figure.layout
    (x0, x1), (y0, y1) = layout.xaxis.range, layout.yaxis.range
    width = canvas_width - layout.margin.l - layout.margin.r
    height = layout.height - layout.margin.t - layout.margin.b
    labels, circles = [], []
    for trace in figure.data:
        if trace.mode != "markers+text":
            continue
        for x, y, size, text, place in zip(
            trace.x, trace.y, trace.marker.size, trace.text, trace.textposition, strict=True
        ):
            px, py, radius = (x - x0) / (x1 - x0) * width, (y1 - y) / (y1 - y0) * height, size / 2
            circles.append((px - radius, py - radius, px + radius, py + radius))
            if not text:
                continue
            half, line = 3.4 * len(text), 14  # 12 px text: about 6.8 px a character
            if place == "top center":
                box = (px - half, py - radius - line, px + half, py - radius)
            elif place == "bottom center":
                box = (px - half, py + radius, px + half, py + radius + line)
            elif place == "middle right":
                box = (px + radius, py - line / 2, px + radius + 2 * half, py + line / 2)
            else:
                box = (px - radius - 2 * half, py - line / 2, px - radius, py + line / 2)
            labels.append((text, box, circles[-1]))
    return labels, circles


def overlaps(first, second):
    return (
        first[0] < second[2]
        and second[0] < first[2]
        and first[1] < second[3]
        and (second[1] < first[3])
    )


def test_a_crowded_graph_spreads_its_columns_over_the_whole_width():
    nodes, edges = crowded_graph()
    figure = charts.investment_graph(nodes, edges, language="en")
    xs = sorted({x for trace in figure.data if trace.mode == "markers+text" for x in trace.x})
    assert xs == pytest.approx(
        [-1, -1 / 3, 1 / 3, 1]
    )  # others and "other", labs, clouds, chipmakers
    assert list(figure.layout.xaxis.range) == [-1.3, 1.3]
    # Thirteen clouds in one column: the chart grows tall enough to keep a name between two.
    assert figure.layout.height >= 13 * 55


def test_no_name_covers_another_name_or_company_even_on_a_phone():
    nodes, edges = crowded_graph()
    for language in ("en", "ar"):
        with translation.override(language):
            figure = charts.investment_graph(nodes, edges, language=language)
        for canvas in (640, 1140):  # a phone's scrolled canvas, a desktop's
            labels, circles = label_boxes(figure, canvas)
            assert len(labels) >= 0.8 * len(nodes), (language, canvas)
            for index, (text, box, own) in enumerate(labels):
                assert box[0] >= 0 and box[2] <= canvas, text
                assert not any(overlaps(box, other) for _t, other, _c in labels[index + 1 :]), text
                assert not any(overlaps(box, c) for c in circles if c != own), text


def test_merged_flows_are_dotted_and_say_how_much_is_signed():
    nodes, edges = crowded_graph()
    figure = charts.investment_graph(nodes, edges, language="en")
    lines = [trace for trace in figure.data if trace.mode == "lines"]
    assert {trace.line.dash for trace in lines} == {"dot"}
    assert {trace.name for trace in lines if trace.showlegend} == {
        "compute commitment, partly signed"
    }
    hover = next(trace for trace in figure.data if trace.name == "Deals").hovertext[0]
    assert "Status: 40% signed or completed" in hover
    # What is left out is said under the title.
    note = [note.text for note in figure.layout.annotations if note.text]
    assert note == ["25 of 725 flows drawn; the other 700 ($180T) are in the table."]


def test_every_arrow_keeps_its_head_on_the_narrowest_canvas():
    # plotly drops an arrow whose head and standoff do not fit on its shaft.
    nodes, edges = crowded_graph()
    figure = charts.investment_graph(nodes, edges, language="en")
    layout = figure.layout
    per_x = 620 / abs(layout.xaxis.range[1] - layout.xaxis.range[0])
    per_y = (layout.height - layout.margin.t - layout.margin.b) / (
        layout.yaxis.range[1] - layout.yaxis.range[0]
    )
    arrows = [note for note in layout.annotations if note.showarrow]
    assert len(arrows) == len(edges)
    for arrow in arrows:
        shaft = ((arrow.x - arrow.ax) * per_x, (arrow.y - arrow.ay) * per_y)
        head = arrow.arrowsize * arrow.arrowwidth
        assert (shaft[0] ** 2 + shaft[1] ** 2) ** 0.5 > arrow.standoff + head
