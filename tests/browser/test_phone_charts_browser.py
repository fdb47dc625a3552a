"""On a phone every chart fits its box: nothing drawn off screen, no sideways scrolling, legible.

static/js/charts.js turns the wide charts (the network, the money flows) upright and the
buyer x cloud grid on its side below 560 px; at desktop width they keep the server's figure.
"""

import pytest

from .lazy_charts import draw_every_chart

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# Every drawn chart: its box, the plot's svg, and the furthest text plotly put in it.
MEASURE = """() => Array.from(document.querySelectorAll('[data-plotly-figure]')).map(element => {
  const box = element.getBoundingClientRect();
  const texts = Array.from(element.querySelectorAll('text')).filter(t => t.textContent.trim())
    .map(t => t.getBoundingClientRect()).filter(r => r.width > 0);
  return {
    id: element.dataset.plotlyFigure,
    narrow: element.dataset.narrow || '',
    left: box.left, right: box.right,
    svg: element.querySelector('.main-svg').getBoundingClientRect().width,
    textLeft: Math.min(...texts.map(r => r.left)),
    textRight: Math.max(...texts.map(r => r.right)),
    smallestText: Math.min(...texts.map(r => r.height)),
  };
})"""


def charts_on(page, path: str, size: dict) -> list[dict]:
    page.set_viewport_size(size)
    page.set_default_timeout(60_000)  # a busy CI machine: a graph page's first build
    assert page.goto(path).status == 200
    draw_every_chart(page)
    return page.evaluate(MEASURE)


@pytest.mark.parametrize("path", ["/graph/", "/ar/graph/", "/", "/ar/", "/companies/anthropic/"])
def test_every_chart_fits_a_phone_with_nothing_off_screen(page, path):
    charts = charts_on(page, path, PHONE)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    for chart in charts:
        assert chart["left"] >= 0 and chart["right"] <= PHONE["width"], chart
        assert chart["svg"] <= chart["right"] - chart["left"] + 1, chart
        # No name or amount is cut by the edge of the chart (a bar's words included: charts.js
        # lengthens the axis for them), none shrunk below legibility.
        assert chart["textLeft"] >= chart["left"] - 1, chart
        assert chart["textRight"] <= chart["right"] + 1, chart
        assert chart["smallestText"] >= 9, chart


@pytest.mark.parametrize("path", ["/graph/", "/ar/graph/"])
def test_the_network_and_the_flows_turn_upright_on_a_phone_only(page, path):
    narrow = {chart["id"]: chart["narrow"] for chart in charts_on(page, path, PHONE)}
    assert narrow == {"investment-graph-figure": "true", "money-sankey-figure": "true"}
    # Back to a desktop window: the figures are drawn again as the server made them.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_function(
        "() => document.querySelector('[data-plotly-figure=investment-graph-figure]')"
        ".dataset.narrow === 'false'"
    )
    sankey = page.evaluate(
        "() => document.querySelector('[data-plotly-figure=money-sankey-figure]')"
        ".data[0].orientation"
    )
    assert sankey in (None, "h")


def test_the_grid_of_buyers_and_clouds_prints_amounts_at_a_legible_size_on_a_phone(page):
    charts = {chart["id"]: chart for chart in charts_on(page, "/ar/", PHONE)}
    grid = charts["lab-cloud-figure"]
    assert grid["narrow"] == "true"
    heights = page.evaluate(
        "() => Array.from(document.querySelectorAll("
        "'[data-plotly-figure=lab-cloud-figure] .heatmaplayer text, "
        "[data-plotly-figure=lab-cloud-figure] text.textpoint'))"
        ".map(t => parseFloat(getComputedStyle(t).fontSize))"
    )
    assert heights and min(heights) >= 11, heights


@pytest.mark.parametrize("path", ["/graph/", "/ar/graph/"])
def test_the_upright_flows_write_no_name_over_another_node_or_name(page, path):
    charts_on(page, path, PHONE)
    # charts.js leaves out the names that would clash once plotly has settled the nodes.
    page.wait_for_function(
        "() => document.querySelectorAll('#money-sankey .node-label[display=none]').length > 0"
    )
    clashes = page.evaluate(
        """() => {
          const inside = (a, b) => a.left < b.right && b.left < a.right
            && a.top < b.bottom && b.top < a.bottom;
          const nodes = Array.from(document.querySelectorAll('#money-sankey .sankey-node'));
          const names = nodes.map(node => ({node, box: node.querySelector('.node-label')
            .getBoundingClientRect()})).filter(name => name.box.width > 0);
          return names.flatMap(name => nodes.filter(node => node !== name.node
              && inside(name.box, node.querySelector('.node-rect').getBoundingClientRect()))
            .map(node => name.node.textContent + ' on ' + node.textContent))
            .concat(names.flatMap(name => names.filter(other => other !== name
              && inside(name.box, other.box)).map(other => name.node.textContent + ' on '
              + other.node.textContent)));
        }"""
    )
    assert not clashes
    # The largest nodes keep their names.
    named = page.evaluate(
        "() => Array.from(document.querySelectorAll('#money-sankey .node-label'))"
        ".filter(label => label.getBoundingClientRect().width > 0).length"
    )
    assert named >= 5
