"""The timeline's state in a real browser: after a swap, Back and Forward, everything that
depends on the filter (form, title, count, live region, export links, language switch,
hreflang) is what a fresh load of the same address shows; one request per committed change."""

import re

import pytest
from playwright.sync_api import expect

from deals.models import Deal

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
FIELDS = ["company", "role", "type", "status", "cloud", "chip", "from", "to", "min_amount"]

STATE_SCRIPT = """() => ({
  title: document.title,
  count: document.querySelector("[data-result-count]").textContent.trim(),
  cards: document.querySelectorAll("#deal-list [data-deal-id]").length,
  dealLists: document.querySelectorAll("[id=deal-list]").length,
  links: [...document.querySelectorAll("[data-follows-query]")].map(e => e.href),
  fields: Object.fromEntries([...document.querySelectorAll("[data-timeline-filters] [name]")]
    .map(e => [e.name, e.value])),
  activeFilters: document.getElementById("active-filters").textContent.trim(),
})"""


def state(page) -> dict:
    return page.evaluate(STATE_SCRIPT)


def fresh_state(browser, base_url: str, url: str, viewport) -> dict:
    """What a first load of `url` shows: the reference every in-page update must match."""
    context = browser.new_context(base_url=base_url, viewport=viewport)
    page = context.new_page()
    page.goto(url)
    result = state(page)
    context.close()
    return result


def filter_requests(page) -> list[str]:
    """The filter requests htmx sends from now on (not "older deals", not search suggestions)."""
    sent = []

    def on_request(request):
        headers = request.headers
        if headers.get("hx-request") and not headers.get("hx-history-restore-request"):
            sent.append(request.url)

    page.on("request", on_request)
    return sent


def open_filters(page) -> None:
    """On a phone the filters start folded away: unfold them as a reader would."""
    disclosure = page.locator("details.filter-disclosure")
    if disclosure.get_attribute("open") is None:
        page.locator("details.filter-disclosure > summary").click()
    expect(page.locator("#id_company")).to_be_visible()


def through_history(page, direction: str, url_pattern: str) -> None:
    """Back or Forward, then wait until htmx has put the page of that address back."""
    page.evaluate(
        """() => { window.restored = false; document.body.addEventListener(
             "htmx:historyRestore", () => { window.restored = true; }, { once: true }); }"""
    )
    getattr(page, f"go_{direction}")()
    page.wait_for_function("() => window.restored === true")
    wait_for_swap(page, url_pattern)


def wait_for_swap(page, url_pattern: str) -> None:
    expect(page).to_have_url(re.compile(url_pattern))
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling')")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_swaps_back_and_forward_leave_the_page_as_a_fresh_load_would(
    page, browser, seeded_live_server, size, prefix
):
    viewport = SIZES[size]
    page.set_viewport_size(viewport)
    base = seeded_live_server.url
    page.goto(f"{prefix}/deals/")
    unfiltered = state(page)
    assert unfiltered == fresh_state(browser, base, f"{prefix}/deals/", viewport)
    is_open = page.locator("details.filter-disclosure").get_attribute("open") is not None
    assert is_open == (size == "desktop")  # folded away on a phone, open on a desktop
    open_filters(page)
    page.evaluate("window.stillTheSamePage = true")

    page.fill("#id_company", "anthropic")
    page.locator("#id_company").press("Tab")
    wait_for_swap(page, r"/deals/\?company=anthropic$")
    page.select_option("#id_type", "investment")
    wait_for_swap(page, r"/deals/\?company=anthropic&type=investment$")
    after_swap = state(page)
    expected = fresh_state(
        browser, base, f"{prefix}/deals/?company=anthropic&type=investment", viewport
    )
    assert after_swap["title"] != unfiltered["title"]
    assert after_swap["cards"] < unfiltered["cards"]
    # The company box keeps what was typed; everything else is as a fresh load shows it.
    assert {**after_swap, "fields": None} == {**expected, "fields": None}
    assert after_swap["fields"] | {"company": ""} == expected["fields"] | {"company": ""}
    assert all("company=anthropic&type=investment" in link for link in after_swap["links"])
    expect(page.locator("#live-status")).to_have_text(after_swap["count"])
    assert page.evaluate("window.stillTheSamePage") is True

    through_history(page, "back", r"/deals/\?company=anthropic$")
    expect(page.locator("#id_type")).to_have_value("")
    assert state(page) == fresh_state(browser, base, f"{prefix}/deals/?company=anthropic", viewport)
    through_history(page, "back", r"/deals/$")
    expect(page.locator("#id_company")).to_have_value("")
    assert state(page) == unfiltered
    through_history(page, "forward", r"/deals/\?company=anthropic$")
    assert state(page) == fresh_state(browser, base, f"{prefix}/deals/?company=anthropic", viewport)
    through_history(page, "forward", r"type=investment$")
    assert state(page) == expected
    expect(page.locator("#id_type")).to_have_value("investment")
    assert page.evaluate("window.stillTheSamePage") is True


@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_enter_in_the_company_box_sends_one_request(page, prefix):
    page.goto(f"{prefix}/deals/")
    sent = filter_requests(page)
    page.fill("#id_company", "anthropic")
    page.locator("#id_company").press("Enter")
    wait_for_swap(page, r"company=anthropic$")
    page.locator(".filter-actions button[type=submit]").click()  # the same filters again
    page.wait_for_timeout(300)  # time for a duplicate request to leave, were one sent
    assert len(sent) == 1, sent


@pytest.mark.parametrize("size", SIZES)
def test_arrow_keys_through_a_select_send_nothing_until_the_choice_is_committed(page, size):
    page.set_viewport_size(SIZES[size])
    page.goto("/deals/")
    open_filters(page)
    sent = filter_requests(page)
    page.locator("#id_status").focus()
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    page.wait_for_timeout(300)  # time for a request to leave, were one sent
    assert sent == []
    chosen = page.locator("#id_status").input_value()
    assert chosen != ""
    page.keyboard.press("Tab")  # leaving the select commits the choice
    wait_for_swap(page, rf"status={chosen}$")
    assert len(sent) == 1
    page.locator("#id_status").focus()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")  # so does Enter
    wait_for_swap(page, r"/deals/(\?status=\w+)?$")
    assert len(sent) == 2


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_an_invalid_filter_shows_its_message_and_no_deals(page, size, prefix):
    page.set_viewport_size(SIZES[size])
    page.goto(f"{prefix}/deals/")
    open_filters(page)
    page.fill("#id_company", "no-such-company")
    page.locator("#id_company").press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("no-such-company")
    expect(page).to_have_url(re.compile(r"company=no-such-company$"))
    expect(page.locator("#deal-list [data-deal-id]")).to_have_count(0)
    expect(page.locator("[id=deal-list]")).to_have_count(1)
    expect(page.locator("#id_company")).to_have_value("no-such-company")  # nothing typed is lost
    expect(page.locator("#live-status")).not_to_be_empty()
    # Fixing it brings the deals back.
    page.fill("#id_company", "anthropic")
    page.locator("#id_company").press("Enter")
    expect(page.get_by_role("alert")).to_have_count(0)
    anthropic = Deal.objects.get(slug="anthropic-azure-compute-30b").payer
    expect(page.locator("#deal-list [data-deal-id]")).to_have_count(
        Deal.objects.involving(anthropic).count()
    )
    expect(page.locator("[id=deal-list]")).to_have_count(1)


def test_the_filters_fit_the_first_screen_of_a_phone(page):
    page.set_viewport_size(SIZES["phone"])
    page.goto("/deals/?company=anthropic&type=investment")
    summary = page.locator("details.filter-disclosure > summary")
    expect(summary).to_contain_text("(2 active)")
    # Folded, the filters leave the first screen to the results.
    expect(page.locator("#id_company")).to_be_hidden()
    results = page.locator("#timeline-results").bounding_box()
    assert results["y"] < SIZES["phone"]["height"] / 2
    summary.click()
    for name in FIELDS:
        expect(page.locator(f"#id_{name}")).to_be_visible()
