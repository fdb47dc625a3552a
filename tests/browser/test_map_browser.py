"""The map of data-centre sites draws offline: outlines and markers, nothing from another host.

plotly.js fetches its map outlines (TopoJSON) from cdn.plot.ly unless told otherwise; the page
fixture fails any test whose page asks another host for anything, so these tests prove the
outlines came from our own static folder and the map was drawn with them.
"""

import pytest

from tests.browser.lazy_charts import draw_every_chart

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def drawn_map(page, topojson: list[str]) -> dict:
    """What the map drew: its land and state outlines, and its markers."""
    # Charts are drawn as they come near the screen: on a phone the map is below the first.
    draw_every_chart(page, "[data-plotly-figure='site-map-figure']")
    page.wait_for_function(
        "() => document.querySelectorAll('#site-map .geo .layer.subunits path').length > 0"
    )
    assert any("/static/vendor/topojson/usa_110m.json" in url for url in topojson), topojson
    return page.evaluate(
        """() => {
          const map = document.getElementById('site-map');
          return {
            // The land and the states' borders, each one long SVG path.
            outlines: Array.from(
              map.querySelectorAll('.geo .layer.land path, .geo .layer.subunits path')
            ).map(path => (path.getAttribute('d') || '').length),
            markers: map.querySelectorAll('.trace.scattergeo .point').length,
            width: map.querySelector('.main-svg').getBoundingClientRect().width,
            pageWidth: document.documentElement.scrollWidth,
          };
        }"""
    )


def watch_topojson(page) -> list[str]:
    fetched: list[str] = []
    page.on(
        "response",
        lambda response: (
            "topojson" in response.url and response.ok and fetched.append(response.url)
        ),
    )
    return fetched


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("path", ["/data-centres/", "/ar/data-centres/"])
def test_the_map_draws_every_site_from_our_own_files(page, path, size):
    page.set_viewport_size(SIZES[size])
    topojson = watch_topojson(page)
    assert page.goto(path).status == 200
    drawn = drawn_map(page, topojson)
    assert drawn["markers"] == 2
    assert len(drawn["outlines"]) == 2 and min(drawn["outlines"]) > 1000, drawn["outlines"]
    assert drawn["width"] <= SIZES[size]["width"]
    assert drawn["pageWidth"] <= SIZES[size]["width"]  # nothing sticks out on a phone


def test_a_site_page_maps_its_one_site_and_a_marker_opens_its_page(page):
    page.set_viewport_size(SIZES["desktop"])
    topojson = watch_topojson(page)
    page.goto("/data-centres/project-rainier/")
    assert drawn_map(page, topojson)["markers"] == 1
    page.goto("/data-centres/")
    drawn_map(page, topojson)
    # chart_links.js follows the customdata of a clicked marker.
    page.wait_for_selector("#site-map [data-links-followed=true]")
    page.locator("#site-map .trace.scattergeo .point").first.click(force=True)
    page.wait_for_url("**/data-centres/*/")
    assert page.locator("h1").inner_text() in {"Project Rainier", "Oracle's Texas site for OpenAI"}


def map_bands(page) -> dict:
    """The map figure's height and the empty bands above and below its map, once fitted."""
    page.wait_for_selector("#site-map [data-map-fitted=true]")
    # site_map.js fits the height after plotly has drawn (and redrawn at a new width): wait
    # for the figure to fill its box's width and keep its size.
    page.wait_for_function(
        """() => {
          const canvas = document.querySelector('#site-map .chart-canvas');
          const layout = canvas._fullLayout;
          const seen = `${layout.width}x${layout.height}`;
          const settled = canvas.dataset.lastSize === seen;
          canvas.dataset.lastSize = seen;
          return settled && Math.abs(layout.width - canvas.clientWidth) < 2;
        }""",
        polling=300,
    )
    return page.evaluate(
        """() => {
          const canvas = document.querySelector('#site-map .chart-canvas');
          const size = canvas._fullLayout._size;
          const frame = canvas.querySelector('.geo .layer.bg').getBoundingClientRect();
          return {
            height: canvas._fullLayout.height,
            box: canvas.getBoundingClientRect().height,
            bands: size.h - frame.height,
          };
        }"""
    )


@pytest.mark.parametrize("path", ["/data-centres/", "/ar/data-centres/project-rainier/"])
def test_on_a_phone_the_map_figure_is_as_tall_as_its_map(page, path):
    page.set_viewport_size(SIZES["phone"])
    topojson = watch_topojson(page)
    assert page.goto(path).status == 200
    drawn_map(page, topojson)
    phone = map_bands(page)
    assert phone["bands"] < 3, phone  # no empty band above or below the map
    assert phone["height"] < 380 and abs(phone["box"] - phone["height"]) < 3, phone
    # Widened to a desktop, the figure is its own height again, the map filling it.
    page.set_viewport_size(SIZES["desktop"])
    desktop = map_bands(page)
    assert desktop["height"] == 380 and desktop["bands"] < 3, desktop
