"""Charts are drawn as they come near the screen (static/js/charts.js): a test that measures
every chart of a page scrolls to each in turn, as a reader would, and waits until it is drawn."""

from playwright.sync_api import expect

EVERY_CHART = "[data-plotly-figure]"


def draw_every_chart(page, selector: str = EVERY_CHART) -> None:
    """Scroll to each chart matching `selector` and wait until plotly has drawn it."""
    charts = page.locator(selector)
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        expect(chart).to_have_attribute("data-drawn", "true", timeout=30_000)
    page.evaluate("() => window.scrollTo(0, 0)")
