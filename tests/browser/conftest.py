"""Browser tests: headless Debian Chromium driven by Playwright against pytest-django's live server.

Every test gets a `page` that fails the test if the page logged a console error or asked any
host other than the live server for anything (no CDN, no fonts, no analytics). The records are
on `page.console_errors` and `page.off_host_requests` for tests that want to assert on them.

Without Chromium the tests are skipped, unless DEALWATCH_REQUIRE_BROWSER=1 (set by CI), which
turns a missing browser into a failure: CI must run them, not skip them.
"""

import os
import shutil
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to run in
# it without this. The live server has its own thread, so nothing actually runs concurrently.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("DEALWATCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _browser_required() -> bool:
    return os.environ.get("DEALWATCH_REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)


def _unavailable(reason: str):
    if _browser_required():
        pytest.fail(f"{reason} (DEALWATCH_REQUIRE_BROWSER is set: install it with `make browsers`)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        _unavailable(f"Chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def seeded_live_server(live_server, transactional_db):
    """The live server with the seed fixture loaded (live_server needs a transactional db)."""
    call_command("loaddata", "seed", verbosity=0)
    return live_server


@pytest.fixture
def page(browser, seeded_live_server):
    """A fresh page; the test fails if it logged console errors or requested another host."""
    context = browser.new_context(base_url=seeded_live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    own_host = urlsplit(seeded_live_server.url).netloc
    page.console_errors = []
    page.off_host_requests = []

    def on_console(message):
        # Chromium asks for /favicon.ico on pages that name no icon (the admin's); its 404 is
        # the browser's habit, not the page's error.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            page.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def on_request(request):
        parts = urlsplit(request.url)
        if parts.scheme in {"http", "https", "ws", "wss"} and parts.netloc != own_host:
            page.off_host_requests.append(request.url)

    page.on("console", on_console)
    page.on("pageerror", lambda error: page.console_errors.append(f"uncaught: {error}"))
    page.on("request", on_request)
    yield page
    context.close()
    problems = [f"console error: {e}" for e in page.console_errors]
    problems += [f"request to another host: {url}" for url in page.off_host_requests]
    if problems:
        pytest.fail("The page misbehaved:\n" + "\n".join(problems), pytrace=False)
