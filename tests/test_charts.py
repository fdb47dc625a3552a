import pandas as pd
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
