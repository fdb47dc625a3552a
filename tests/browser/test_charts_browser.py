"""Only a browser proves the charts are drawn: plotly's SVG inside every chart element."""

import pytest

from .lazy_charts import draw_every_chart

pytestmark = pytest.mark.browser
# The deal flow over time on the overview (templates/includes/flow_over_time.html).
FLOW = {"flow-money-figure", "flow-power-figure", "flow-deals-figure"}
OVERVIEW = {"by-cloud-figure", "by-chip-figure", "lab-cloud-figure", "promises-figure", *FLOW}


def drawn_charts(page) -> dict[str, int]:
    draw_every_chart(page)
    return page.eval_on_selector_all(
        "[data-plotly-figure]",
        "elements => Object.fromEntries(elements.map("
        "e => [e.dataset.plotlyFigure, e.querySelectorAll('.main-svg').length]))",
    )


@pytest.mark.parametrize(
    ("path", "charts"),
    [
        ("/", OVERVIEW),
        ("/graph/", {"investment-graph-figure", "money-sankey-figure"}),
        ("/graph/?company=anthropic", {"investment-graph-figure", "money-sankey-figure"}),
        ("/ar/", OVERVIEW),
        ("/ar/graph/", {"investment-graph-figure", "money-sankey-figure"}),
    ],
)
def test_every_chart_is_drawn_with_no_console_errors_or_other_hosts(page, path, charts):
    assert page.goto(path).status == 200
    drawn = drawn_charts(page)
    assert set(drawn) == charts
    assert all(count > 0 for count in drawn.values()), drawn
    # The numbers are one click away.
    table = page.locator("figure.chart details").first
    table.locator("summary").click()
    assert table.locator("tbody tr").count() > 0


def test_hovering_an_arrow_shows_its_amount_status_and_source(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/graph/?company=anthropic")
    drawn_charts(page)
    texts = page.evaluate(
        "() => document.getElementById('investment-graph').querySelector('.js-plotly-plot')"
        ".data.filter(t => t.name === 'Deals')[0].hovertext"
    )
    nvidia = next(text for text in texts if text.startswith("Nvidia → Anthropic"))
    assert "up to $10B" in nvidia
    assert "Status: announced" in nvidia
    assert "Source:" in nvidia


def test_charts_fit_a_phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/ar/")
    drawn_charts(page)
    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= 390


# The month names Django writes in Arabic (plotly's own "ar" locale lists آذار twice).
ARABIC_MONTHS = ("يناير", "فبراير", "مارس", "إبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
                 "أكتوبر", "نوفمبر", "ديسمبر")  # fmt: skip


@pytest.mark.parametrize(("path", "months"), [("/ar/", ARABIC_MONTHS), ("/", ("Jan", "Jul"))])
def test_the_flow_charts_name_their_months_in_the_pages_language(page, path, months):
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.goto(path).status == 200
    draw_every_chart(page, "#flow-money [data-plotly-figure]")
    page.locator("#flow-money .xaxislayer-above text").first.wait_for(state="attached")
    ticks = page.eval_on_selector_all(
        "#flow-money .xaxislayer-above text", "texts => texts.map(t => t.textContent)"
    )
    assert ticks
    named = [tick for tick in ticks if any(month in tick for month in months)]
    assert named, ticks
    if path == "/ar/":
        assert not any(english in " ".join(ticks) for english in ("Jan", "Jul", "Oct", "Apr"))
