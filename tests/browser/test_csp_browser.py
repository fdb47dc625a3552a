"""With the Content Security Policy enforced, no page breaks a rule and every chart draws.

Every public page in English and Arabic, the admin sign-in and a deal's change page are
visited; CSP violations are caught both as console messages and as
`securitypolicyviolation` events (recorded by a script injected before the page loads).
"""

import secrets

import pytest
from django.contrib.auth.models import User

from deals.models import Deal

from .lazy_charts import draw_every_chart

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || ""}:${event.lineNumber || ""}`);
});
"""

# (path, does it draw a chart)
PAGES = [
    ("/", True),
    ("/deals/", False),
    ("/deals/amazon-anthropic-investment-8b/", False),
    ("/graph/", True),
    ("/graph/?company=anthropic", True),
    ("/companies/", False),
    ("/companies/anthropic/", True),
    ("/articles/", False),
    ("/articles/article-000/", False),
    ("/search/?q=anthropic", False),
]


@pytest.fixture
def watched(page):
    page.add_init_script(RECORD_VIOLATIONS)
    # The first visit builds the charts' caches; on a busy CI machine that can take a while.
    page.set_default_navigation_timeout(60_000)
    page.csp_messages = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.csp_messages.append(message.text)
        ),
    )
    return page


def assert_no_violations(page, path):
    events = page.evaluate("window.__csp || []")
    assert events == [], f"{path}: {events}"
    assert page.csp_messages == [], f"{path}: {page.csp_messages}"


@pytest.mark.parametrize("prefix", ["", "/ar"])
@pytest.mark.parametrize(("path", "charts"), PAGES)
def test_public_pages_keep_the_policy_and_draw_their_charts(watched, prefix, path, charts):
    response = watched.goto(prefix + path)
    assert response.status == 200
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    assert "unsafe-eval" not in policy
    watched.wait_for_load_state("load")
    if charts:
        draw_every_chart(watched)  # plotly.js is added by charts.js as the charts come near
        assert watched.locator(".main-svg").count() >= 1
    assert_no_violations(watched, prefix + path)


def test_htmx_swaps_keep_the_policy(watched):
    watched.goto("/deals/")
    company = watched.locator("#id_company")
    if company.evaluate("element => element.tagName") == "SELECT":
        company.select_option("anthropic")
    else:  # a text box with suggestions
        company.fill("anthropic")
        company.dispatch_event("change")
    watched.wait_for_url("**company=anthropic**")
    watched.wait_for_timeout(300)
    assert_no_violations(watched, "/deals/ after a swap")


def test_admin_sign_in_and_deal_change_page_keep_the_policy(watched):
    password = secrets.token_urlsafe(16)
    User.objects.create_superuser("csp-admin", "admin@example.com", password)
    watched.goto("/admin/login/")
    assert_no_violations(watched, "/admin/login/")
    watched.fill("input[name=username]", "csp-admin")
    watched.fill("input[name=password]", password)
    watched.click("input[type=submit]")
    watched.wait_for_url("**/admin/")
    deal = Deal.objects.get(slug="amazon-anthropic-investment-8b")
    for path in (
        f"/admin/deals/deal/{deal.pk}/change/",
        f"/admin/deals/deal/{deal.pk}/history/",
        "/admin/deals/deal/add/",
    ):
        response = watched.goto(path)
        assert response.status == 200
        watched.wait_for_load_state("load")
        assert_no_violations(watched, path)
