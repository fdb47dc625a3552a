"""On a phone every table reads as cards: nothing off screen, no page wider than the phone.

The wide tables (a company's deals, its valuations, each chart's numbers) turn each row into a
card on narrow screens, each cell under its column's name (static/css/app.css, `.stack-table`);
they stay tables for screen readers.
"""

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PAGES = [
    "/companies/anthropic/",
    "/ar/companies/anthropic/",
    "/graph/",
    "/ar/graph/",
    "/deals/",
    "/ar/deals/",
]
DATA_CENTRE_PAGES = [
    "/data-centres/project-rainier/",
    "/ar/data-centres/project-rainier/",
]

# Every table cell the page shows, with its box; the charts' tables are opened first.
CELLS = """() => {
  document.querySelectorAll('details').forEach(details => { details.open = true; });
  return Array.from(document.querySelectorAll('table')).flatMap(table =>
    Array.from(table.querySelectorAll('td, th')).map(cell => {
      const box = cell.getBoundingClientRect();
      return {table: table.className, text: cell.textContent.trim().slice(0, 40),
              left: box.left, right: box.right, shown: box.width > 0 && box.height > 0};
    }));
}"""


def open_on_a_phone(page, path: str) -> None:
    page.set_viewport_size(PHONE)
    assert page.goto(path).status == 200


@pytest.mark.parametrize(
    "path", [*PAGES, "/data-centres/project-rainier/", "/ar/data-centres/project-rainier/"]
)
def test_no_page_scrolls_sideways_on_a_phone(page, path):
    open_on_a_phone(page, path)
    page.evaluate(CELLS)  # every table opened
    assert page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth"), (
        page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    )


@pytest.mark.parametrize("path", [*PAGES, *DATA_CENTRE_PAGES])
def test_no_table_reaches_past_the_edge_of_a_phone(page, path):
    open_on_a_phone(page, path)
    cells = [cell for cell in page.evaluate(CELLS) if cell["shown"]]
    assert cells, "the page shows no table"
    off_screen = [cell for cell in cells if cell["left"] < 0 or cell["right"] > PHONE["width"]]
    assert not off_screen, off_screen[:5]


@pytest.mark.parametrize("path", ["/companies/anthropic/", "/ar/companies/anthropic/"])
def test_each_deal_is_a_card_whose_cells_name_their_column(page, path):
    open_on_a_phone(page, path)
    table = page.locator("#deals-investee table")
    head = table.locator("thead th")
    columns = [head.nth(index).inner_text().strip() for index in range(head.count())]
    first_row = table.locator("tbody tr").first
    # The column names are hidden as a row (the cards carry them) but still read out.
    assert table.locator("thead").bounding_box()["height"] <= 1
    labels = first_row.evaluate(
        "row => Array.from(row.children).map(cell => "
        "getComputedStyle(cell, '::before').content.replace(/^\"|\"$/g, ''))"
    )
    assert labels == columns
    # Cards: the row spans the page's width, its cells in at most two columns.
    row_box = first_row.bounding_box()
    assert row_box["width"] <= PHONE["width"]
    lefts = first_row.evaluate(
        "row => Array.from(row.children).filter(c => c.getBoundingClientRect().width > 0)"
        ".map(c => Math.round(c.getBoundingClientRect().left))"
    )
    assert len(set(lefts)) <= 2, lefts


@pytest.mark.parametrize("path", ["/companies/anthropic/", "/ar/companies/anthropic/"])
def test_a_card_stays_a_table_row_for_screen_readers(page, path):
    open_on_a_phone(page, path)
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    roles = [node.get("role", {}).get("value") for node in nodes if not node.get("ignored")]
    deal_rows = page.locator(".deal-table tbody tr").count()
    assert roles.count("table") >= page.locator(".deal-table").count()
    assert roles.count("row") >= deal_rows
    assert roles.count("rowheader") >= deal_rows  # each deal's counterparty heads its row
    assert roles.count("columnheader") >= page.locator(".deal-table thead th").count()


def test_a_wide_desktop_keeps_the_tables_as_tables(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.goto("/companies/anthropic/").status == 200
    display = page.locator("#deals-investee tbody tr").first.evaluate(
        "row => getComputedStyle(row).display"
    )
    assert display == "table-row"
