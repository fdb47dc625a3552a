"""The map of data-centre sites draws offline: outlines and markers, nothing from another host.

plotly.js fetches its map outlines (TopoJSON) from cdn.plot.ly unless told otherwise; the page
fixture fails any test whose page asks another host for anything, so these tests prove the
outlines came from our own static folder and the map was drawn with them.
"""

import pytest

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def drawn_map(page, topojson: list[str]) -> dict:
    """What the map drew: its land and state outlines, and its markers."""
    page.wait_for_selector("[data-plotly-figure='site-map-figure'][data-drawn=true]")
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
