"""The timeline's filters in a real browser: htmx swaps the list, the URL follows, Back works."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from deals.models import Deal
from tests.factories import DealFactory

pytestmark = pytest.mark.browser


def shown_ids(page) -> set[str]:
    return set(
        page.locator("#deal-list [data-deal-id]").evaluate_all(
            "cards => cards.map(card => card.dataset.dealId)"
        )
    )


def anthropic_deal_ids() -> set[str]:
    anthropic = Deal.objects.get(slug="anthropic-azure-compute-30b").payer
    return set(Deal.objects.involving(anthropic).values_list("slug", flat=True))


def test_choosing_a_company_swaps_the_list_without_reloading_and_back_restores_it(page):
    page.goto("/deals/")
    everything = shown_ids(page)
    assert everything == set(Deal.objects.values_list("slug", flat=True))
    page.evaluate("window.stillTheSamePage = true")

    # The company box takes a name (suggested from a datalist) and links by the company's id.
    page.fill("#id_company", "Anthropic")
    page.locator("#id_company").blur()  # "change" fires: htmx swaps the list
    expect(page).to_have_url(re.compile(r"/deals/\?company=anthropic$"))
    expect(page.locator("#deal-list [data-deal-id]")).to_have_count(len(anthropic_deal_ids()))
    assert shown_ids(page) == anthropic_deal_ids()
    assert page.evaluate("window.stillTheSamePage") is True  # no full reload

    page.go_back()
    expect(page).to_have_url(re.compile(r"/deals/$"))
    expect(page.locator("#deal-list [data-deal-id]")).to_have_count(len(everything))
    assert shown_ids(page) == everything
    assert page.locator("#id_company").input_value() == ""


def test_a_bad_date_shows_a_message_in_the_list(page):
    page.goto("/deals/?from=2025-13-45")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("YYYY-MM-DD")


def test_the_form_works_without_javascript(browser, seeded_live_server):
    context = browser.new_context(base_url=seeded_live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/deals/")
    page.select_option("#id_type", "chip_supply")
    page.get_by_role("button", name="Show deals").click()
    page.wait_for_url(re.compile(r"type=chip_supply"))
    expected = set(Deal.objects.filter(deal_type="chip_supply").values_list("slug", flat=True))
    assert shown_ids(page) == expected
    context.close()


def test_older_deals_are_appended_below_without_leaving_the_page(page):
    for n in range(60):
        DealFactory(announced_on=datetime.date(2019, 1, 1) - datetime.timedelta(days=n))
    total = Deal.objects.count()
    page.goto("/deals/")
    expect(page.locator("#deal-list [data-deal-id]")).to_have_count(50)
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("link", name="Older deals").click()
    expect(page.locator("#deal-list [data-deal-id]")).to_have_count(total)
    assert page.evaluate("window.stillTheSamePage") is True
    expect(page).to_have_url(re.compile(r"/deals/$"))
    expect(page.get_by_role("link", name="Older deals")).to_have_count(0)
    assert shown_ids(page) == set(Deal.objects.values_list("slug", flat=True))
