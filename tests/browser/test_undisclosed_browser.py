"""Only a browser proves the undisclosed marks are drawn and that names stay text in hovers."""

from decimal import Decimal

import pytest

from companies.models import Company
from deals.models import Deal

from .lazy_charts import draw_every_chart

pytestmark = pytest.mark.browser


def drawn(page):
    draw_every_chart(page)


@pytest.mark.parametrize(("path", "word"), [("/", "undisclosed"), ("/ar/", "غير معلنة القيمة")])
def test_undisclosed_deals_are_visible_marks_and_described_in_the_accessible_text(
    page, seeded_live_server, path, word
):
    page.set_viewport_size({"width": 1280, "height": 900})
    # Not waiting for "load": the charts are drawn once the fonts are ready, which is the wait.
    assert page.goto(path, wait_until="domcontentloaded").status == 200
    drawn(page)
    grid = page.locator("#lab-cloud")
    # Drawn: three dashed outlines, and the word in the cells themselves.
    assert grid.locator(".shapelayer path").count() == 3
    cells = grid.locator(".main-svg").first.text_content()
    assert cells.count(word) == 3
    # The chip vendors' bars: AMD's and Nvidia's undisclosed deals are hatched stubs.
    chips = page.locator("#by-chip")
    assert chips.locator("pattern").count() > 0
    assert word in chips.locator(".main-svg").first.text_content()
    # Said to a screen reader: the chart's text alternative and its table.
    assert word in chips.locator(".chart-description").text_content()
    table = grid.locator("table").text_content()
    assert table.count(word) == 3


def test_a_company_name_in_html_is_plain_text_in_chart_hovers(page, seeded_live_server):
    """Issue 17, item 10: plotly reads HTML in labels; a name must not become a link."""
    evil = Company.objects.create(
        slug="linky", name='<a href="https://example.org">x</a> <b>bold</b>', kind="investor"
    )
    Deal.objects.create(
        slug="linky-anthropic",
        deal_type=Deal.Type.INVESTMENT,
        payer=evil,
        payee=Company.objects.get(slug="anthropic"),
        amount_usd=Decimal("90000000000"),
        status="announced",
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/graph/")
    drawn(page)
    for chart in ("#investment-graph", "#money-sankey"):
        svg = page.locator(f"{chart} .main-svg").first
        assert svg.locator("a[href='https://example.org']").count() == 0, chart
    # The Sankey's node label is drawn: it reads as typed (shortened), not as a link.
    sankey = page.locator("#money-sankey .main-svg").first.text_content()
    assert '<a href="https://' in sankey
    # The graph's hover text holds the name escaped, which plotly shows as typed.
    hover = page.evaluate(
        "() => document.querySelector('#investment-graph .js-plotly-plot').data"
        ".flatMap(t => [].concat(t.hovertext || [])).join(' ')"
    )
    assert "&lt;a href=&quot;" in hover or '&lt;a href="https://example.org"&gt;' in hover
    # (The data-centre sites' hovers use plotly's own <b> for their names, escaped inside.)
    assert "<a href" not in hover and "<b>bold</b>" not in hover
