"""Arabic pages read right to left in Chromium: mirrored layout, flows and charts, phone-wide.

What a reader of Arabic sees, measured on the drawn page: the brand and headings start at the
right, a deal's payer stands to the right of its payee with the arrow pointing left, chart
labels sit on the right of their bars, and nothing is wider than a phone.
"""

import pytest

from .lazy_charts import draw_every_chart

DEAL = "/ar/deals/anthropic-azure-compute-30b/"
PAGES = [
    "/ar/",
    "/ar/deals/",
    DEAL,
    "/ar/graph/",
    "/ar/companies/anthropic/",
    "/ar/articles/article-001/",
]


def _box(page, selector):
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("path", PAGES)
def test_arabic_pages_are_mirrored_and_fit_the_screen(page, path, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(path)
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    brand, heading = _box(page, ".brand"), _box(page, "main h1")
    assert brand["x"] + brand["width"] > width * 0.75, "the brand starts at the right"
    assert heading["x"] + heading["width"] > width * 0.75, "the heading starts at the right"
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_deal_reads_from_payer_on_the_right_to_payee_on_the_left(page):
    page.goto(DEAL)
    names = page.locator("h1.deal-parties a")
    payer, payee = names.nth(0).bounding_box(), names.nth(1).bounding_box()
    assert payer["x"] > payee["x"] + payee["width"]
    assert page.locator("h1.deal-parties .deal-arrow").inner_text() == "←"
    page.goto(DEAL.removeprefix("/ar"))
    names = page.locator("h1.deal-parties a")
    payer, payee = names.nth(0).bounding_box(), names.nth(1).bounding_box()
    assert payer["x"] + payer["width"] < payee["x"]
    assert page.locator("h1.deal-parties .deal-arrow").inner_text() == "→"


def test_arabic_bar_charts_put_their_names_on_the_right(page):
    page.goto("/ar/")
    draw_every_chart(page, "#by-cloud [data-plotly-figure]")
    page.wait_for_selector("#by-cloud [data-drawn='true'] .ytick text")
    bars = _box(page, "#by-cloud .barlayer")
    labels = page.locator("#by-cloud .ytick text")
    assert labels.count() > 0
    for index in range(labels.count()):
        label = labels.nth(index).bounding_box()
        assert label["x"] >= bars["x"] + bars["width"] - 2, labels.nth(index).text_content()
