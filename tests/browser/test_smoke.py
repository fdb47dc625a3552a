"""The browser harness works: Chromium opens a page served by the live server."""

import pytest
from playwright.sync_api import Error as PlaywrightError

pytestmark = pytest.mark.browser


def test_admin_login_page_renders_without_console_errors(page):
    response = page.goto("/admin/login/")
    assert response.status == 200
    assert page.locator("input[name=username]").is_visible()
    assert page.locator("input[name=password]").is_visible()
    assert page.console_errors == []
    assert page.off_host_requests == []


def test_a_console_error_is_recorded(page):
    page.goto("/admin/login/")
    page.evaluate("console.error('deliberate')")
    assert any("deliberate" in error for error in page.console_errors)
    page.console_errors.clear()  # recorded as expected; don't fail the test for it


def test_a_request_to_another_host_is_recorded(page):
    # A fetch from the page would be stopped by the Content Security Policy before any
    # request; a navigation is not, so it shows the recorder at work.
    with pytest.raises(PlaywrightError):
        page.goto("http://127.0.0.2:9/lib.js")
    assert page.off_host_requests == ["http://127.0.0.2:9/lib.js"]
    page.off_host_requests.clear()  # recorded as expected; don't fail the test for it
    page.console_errors.clear()
