"""The deal-flow charts and the circularity figure, drawn on a phone in both languages; the
timeline's chart follows its filters; a deal's mark opens the deal."""

import pytest

from .lazy_charts import draw_every_chart

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def drawn(page, selector: str) -> int:
    """How many plotly drawings the element `selector` holds, once drawn."""
    draw_every_chart(page, f"{selector} [data-plotly-figure]")
    return page.eval_on_selector_all(
        f"{selector} [data-plotly-figure]",
        "elements => elements.filter(e => e.querySelector('.main-svg')).length",
    )


@pytest.mark.parametrize(
    ("path", "section", "charts"),
    [
        ("/", "#flow-over-time", 3),
        ("/ar/", "#flow-over-time", 3),
        ("/deals/", "#flow-over-time", 3),
        ("/ar/deals/", "#flow-over-time", 3),
        ("/companies/microsoft/", "#flow-over-time", 3),
        ("/ar/companies/microsoft/", "#flow-over-time", 3),
        ("/companies/microsoft/", "#circularity", 1),
        ("/ar/companies/microsoft/", "#circularity", 1),
    ],
)
def test_the_charts_are_drawn_and_fit_a_phone(page, path, section, charts):
    page.set_viewport_size(PHONE)
    # The first page of a fresh server builds every cached figure: give it time.
    assert page.goto(path, timeout=60_000).status == 200
    assert drawn(page, section) == charts
    # Nothing pushes the page sideways, and each drawing stays inside the screen.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    widths = page.eval_on_selector_all(
        f"{section} .main-svg", "svgs => svgs.map(s => s.getBoundingClientRect().right)"
    )
    assert max(widths) <= PHONE["width"]
    # The numbers are one click away.
    table = page.locator(f"{section} figure.chart details").first
    table.locator("summary").click()
    assert table.locator("tbody tr").count() > 0


def test_the_timeline_chart_follows_a_filter_swap(page):
    page.goto("/deals/")
    drawn(page, "#flow-over-time")
    before = page.eval_on_selector("#flow-money-figure", "e => e.textContent")
    page.select_option("select[name=type]", "compute_commitment")
    page.wait_for_function(
        "before => { const e = document.getElementById('flow-money-figure');"
        " return e && e.textContent !== before; }",
        arg=before,
    )
    drawn(page, "#flow-over-time")
    rows = page.eval_on_selector_all(
        "#flow-money tbody tr td:nth-child(2)", "cells => cells.map(c => c.textContent)"
    )
    assert rows and set(rows) == {"Compute commitments"}


def test_clicking_a_mark_opens_its_deal(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    drawn(page, "#flow-over-time")
    page.wait_for_function(
        "() => document.querySelector('#flow-deals [data-plotly-figure]').dataset.linksFollowed"
    )
    # Amazon's $8B into Anthropic, alone on its row in 2023: click where plotly drew it.
    point = page.evaluate(
        """url => {
          const gd = document.querySelector('#flow-deals [data-plotly-figure]');
          const trace = gd._fullData.findIndex(t => (t.customdata || []).includes(url));
          const index = gd._fullData[trace].customdata.indexOf(url);
          const node = gd.querySelectorAll('.scatterlayer .trace')[trace]
            .querySelectorAll('path.point')[index];
          node.scrollIntoView({block: 'center'});
          const box = node.getBoundingClientRect();
          return {x: box.x + box.width / 2, y: box.y + box.height / 2};
        }""",
        "/deals/amazon-anthropic-investment-8b/",
    )
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url("**/deals/amazon-anthropic-investment-8b/")
