"""The header search box in a real browser: an ARIA combobox whose suggestions never trap the page.

Keyboard (ArrowDown/ArrowUp/Enter/Escape), a click outside, focus leaving, the closing
"All N results" option, the combobox attributes a screen reader follows, a phone's width and
Arabic, and axe-core on the open list.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import CompanyFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def box(page):
    return page.locator("#site-search-q")


def listbox(page):
    return page.locator("#site-search-listbox")


def options(page):
    return listbox(page).get_by_role("option")


def type_query(page, text: str) -> None:
    """Type as a person does (each key an input event), then wait for the suggestions."""
    box(page).click()
    box(page).press_sequentially(text, delay=20)
    expect(listbox(page)).to_be_visible()
    expect(box(page)).to_have_attribute("aria-expanded", "true")


def active_option_id(page) -> str | None:
    return box(page).get_attribute("aria-activedescendant")


def test_the_box_is_a_combobox_that_controls_a_listbox(page):
    page.goto("/articles/")
    expect(box(page)).to_have_attribute("role", "combobox")
    expect(box(page)).to_have_attribute("aria-expanded", "false")
    expect(box(page)).to_have_attribute("aria-autocomplete", "list")
    expect(box(page)).to_have_attribute("aria-controls", "site-search-listbox")
    expect(listbox(page)).to_have_attribute("role", "listbox")
    expect(listbox(page)).to_be_hidden()
    assert active_option_id(page) is None


def test_arrow_keys_move_through_grouped_suggestions_and_enter_opens_one(page):
    page.goto("/articles/")
    type_query(page, "nvid")
    expect(listbox(page).locator('[role="group"]').first).to_contain_text("Companies")
    first, second = options(page).nth(0), options(page).nth(1)

    box(page).press("ArrowDown")
    assert active_option_id(page) == first.get_attribute("id")
    expect(first).to_have_attribute("aria-selected", "true")
    box(page).press("ArrowDown")
    assert active_option_id(page) == second.get_attribute("id")
    expect(first).to_have_attribute("aria-selected", "false")
    box(page).press("ArrowUp")
    assert active_option_id(page) == first.get_attribute("id")
    # Focus never left the box: a screen reader follows aria-activedescendant.
    assert page.evaluate("document.activeElement.id") == "site-search-q"

    box(page).press("Enter")
    expect(page).to_have_url(re.compile(r"/companies/nvidia/$"))


def test_arrow_up_from_the_box_wraps_to_all_results(page):
    page.goto("/articles/")
    type_query(page, "nvid")
    box(page).press("ArrowDown")
    box(page).press("ArrowUp")
    assert active_option_id(page) == "site-search-all"


def test_enter_without_an_active_suggestion_opens_the_search_page(page):
    page.goto("/articles/")
    type_query(page, "Anthropic")
    box(page).press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=Anthropic$"))
    expect(page.get_by_role("heading", name="Companies")).to_be_visible()


def test_escape_closes_the_list_and_a_second_escape_clears_the_box(page):
    page.goto("/articles/")
    type_query(page, "anthropic")
    box(page).press("ArrowDown")
    box(page).press("Escape")
    expect(listbox(page)).to_be_hidden()
    expect(box(page)).to_have_attribute("aria-expanded", "false")
    assert active_option_id(page) is None
    expect(box(page)).to_have_value("anthropic")  # the first Escape keeps what was typed

    box(page).press("Escape")
    expect(box(page)).to_have_value("")
    expect(listbox(page)).to_be_hidden()

    # Typing again opens the list again.
    type_query(page, "openai")
    expect(options(page).first).to_contain_text("OpenAI")


def test_a_click_outside_closes_the_list(page):
    page.goto("/articles/")
    type_query(page, "anthropic")
    size = page.viewport_size
    page.mouse.click(size["width"] - 10, size["height"] - 10)  # the page's empty margin
    expect(listbox(page)).to_be_hidden()
    expect(box(page)).to_have_attribute("aria-expanded", "false")
    # A click on the box brings the same list back.
    box(page).click()
    expect(listbox(page)).to_be_visible()


def test_focus_leaving_the_box_closes_the_list(page):
    page.goto("/articles/")
    type_query(page, "anthropic")
    box(page).press("Tab")
    expect(listbox(page)).to_be_hidden()
    assert page.evaluate("document.activeElement.id") != "site-search-q"


def test_a_click_on_a_suggestion_opens_it(page):
    page.goto("/articles/")
    type_query(page, "Microsoft")
    listbox(page).get_by_role("option", name="Microsoft", exact=True).click()
    expect(page).to_have_url(re.compile(r"/companies/microsoft/$"))


def test_the_list_ends_with_all_n_results_which_the_search_page_lists(page):
    page.goto("/articles/")
    type_query(page, "Amazon")
    last = options(page).last
    expect(last).to_have_text(re.compile(r"^All (\d+) results$"))
    count = re.match(r"All (\d+) results", last.text_content().strip())[1]
    last.click()
    expect(page).to_have_url(re.compile(r"/search/\?q=Amazon$"))
    expect(page.get_by_role("status").filter(has_text="results for")).to_contain_text(
        f"{count} results for"
    )


def test_too_many_matches_say_more_than_without_counting_them(page):
    for n in range(25):
        CompanyFactory(slug=f"testco-{n:02}", name=f"Testco {n:02}", name_ar="")
    page.goto("/articles/")
    type_query(page, "testco")
    expect(options(page)).to_have_count(5)  # four companies, then the link
    expect(options(page).last).to_have_text("More than 20 results")


def test_nothing_found_says_so_and_enter_still_searches(page):
    page.goto("/articles/")
    type_query(page, "zzqxw")
    expect(options(page)).to_have_count(1)
    expect(options(page).first).to_have_attribute("aria-disabled", "true")
    expect(page.locator("#site-search-status")).to_have_text("Nothing matches “zzqxw”.")
    box(page).press("ArrowDown")
    box(page).press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=zzqxw$"))


def test_a_misspelt_name_is_suggested_and_the_count_is_announced(page):
    page.goto("/articles/")
    type_query(page, "Nvidai")
    expect(listbox(page).get_by_role("option", name="Nvidia", exact=True)).to_be_visible()
    expect(page.locator("#site-search-status")).to_have_text(re.compile(r"^\d+ suggestions?$"))


def test_data_centres_are_a_group_of_their_own(page):
    page.goto("/articles/")
    type_query(page, "Rainier")
    group = listbox(page).locator('[role="group"]', has_text="Data centres")
    expect(group.get_by_role("option")).to_have_count(1)
    group.get_by_role("option").click()
    expect(page).to_have_url(re.compile(r"/data-centres/project-rainier/$"))


@pytest.mark.parametrize("language", ["en", "ar"])
def test_on_a_phone_the_list_fits_the_screen_and_a_tap_outside_closes_it(
    browser, seeded_live_server, language
):
    context = browser.new_context(
        base_url=seeded_live_server.url, viewport=PHONE, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    prefix = "/ar" if language == "ar" else ""
    page.goto(f"{prefix}/articles/")
    type_query(page, "مايكروسفت" if language == "ar" else "Amazn")
    shown = listbox(page).bounding_box()
    assert shown["x"] >= 0 and shown["x"] + shown["width"] <= PHONE["width"] + 0.5
    # Part of the page stays visible below the list: there is always somewhere to tap.
    assert shown["y"] + shown["height"] < PHONE["height"] - 100
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    if language == "ar":
        assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
        expect(options(page).first).to_contain_text("مايكروسوفت")
    page.touchscreen.tap(PHONE["width"] / 2, PHONE["height"] - 40)
    expect(listbox(page)).to_be_hidden()
    context.close()
    assert errors == []


def test_the_open_list_passes_axe(page):
    from tests.browser.test_a11y_browser import blocking_violations

    page.goto("/articles/")
    type_query(page, "amazon")
    box(page).press("ArrowDown")
    assert blocking_violations(page) == []
