"""A reader signs in, follows a company and a filtered timeline, and finds both on the watchlist."""

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.browser

PASSWORD = "a reader's long password"


def test_a_reader_follows_from_the_pages_and_sees_the_watchlist(page):
    User.objects.create_user(username="lina", password=PASSWORD, email="lina@example.org")
    page.goto("/ar/companies/anthropic/")
    page.click(".follow-box a[href^='/ar/accounts/login/']")
    page.fill("input[name=username]", "lina")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/ar/companies/anthropic/")
    page.click(".follow-box button")
    page.wait_for_load_state()
    assert page.locator(".follow-box button").inner_text().startswith("إلغاء المتابعة")
    page.goto("/deals/?company=anthropic&type=investment")
    page.click(".follow-box button")
    page.wait_for_load_state()
    assert "Unfollow these filters" in page.locator(".follow-box button").inner_text()
    page.goto("/watch/")
    rows = page.locator(".follow-row a").all_inner_texts()
    assert rows == ["Anthropic", "Company: Anthropic; Type: investment"]
    page.click(".account-nav button")
    page.wait_for_url("**/")
    assert page.locator(".account-nav a").inner_text() == "Sign in"
