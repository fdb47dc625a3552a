"""Every page, in both languages, passes axe-core with no serious or critical violation.

axe-core comes from the registry, pinned in tests/tools/package.json (`make browsers` installs
it). Its source is evaluated through the DevTools protocol (`page.evaluate`), which a Content
Security Policy does not govern: the page keeps its own policy, unloosened, while it is checked
(a <script> tag, even Playwright's `add_script_tag`, would be refused by it). The
check runs after the charts are drawn, so plotly's own elements are inside what is checked.
"""

import os
from pathlib import Path

import pytest

from deals.models import Deal

from .lazy_charts import draw_every_chart

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent.parent / "tools" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
PAGES = [
    "/",
    "/deals/",
    "/deals/?company=anthropic",
    "/deals/{deal}/",
    "/graph/",
    "/companies/",
    "/companies/anthropic/",
    "/articles/",
    "/articles/article-000/",
    "/search/?q=anthropic",
]


def axe_path() -> Path:
    if not AXE.exists():
        message = "axe-core is not installed: run `make browsers` (npm ci in tests/tools)"
        if os.environ.get("DEALWATCH_REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)
    return AXE


def blocking_violations(page) -> list[str]:
    """axe's serious and critical findings, one line per rule with the elements it names."""
    page.evaluate(axe_path().read_text(encoding="utf-8"))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{rule['id']} ({rule['impact']}): {rule['help']}: "
        + "; ".join(" ".join(node["target"]) for node in rule["nodes"][:5])
        for rule in results["violations"]
        if rule["impact"] in BLOCKING
    ]


def settle(page) -> None:
    """Waits for what scripts add after load: the charts (drawn as they come near the screen)."""
    page.wait_for_load_state("load")
    draw_every_chart(page)


# The pages whose charts charts.js redraws differently on a phone, checked there too, and in
# dark mode, whose colours must keep their contrast.
PHONE_PAGES = ["/", "/graph/", "/companies/anthropic/"]


def check(page, url: str, width: int) -> list[str]:
    page.set_viewport_size({"width": width, "height": 900})
    page.set_default_timeout(60_000)  # a busy CI machine: the first build of a chart page
    response = page.goto(url)
    assert response.status == 200
    settle(page)
    return blocking_violations(page)


@pytest.mark.parametrize("language", ["", "/ar"])
@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_no_serious_accessibility_violation(page, language, path):
    deal = Deal.objects.order_by("pk").values_list("slug", flat=True).first()
    assert check(page, language + path.format(deal=deal), 1280) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("language", ["", "/ar"])
@pytest.mark.parametrize("path", PHONE_PAGES)
def test_chart_pages_on_a_phone_have_no_serious_accessibility_violation(
    page, language, path, scheme
):
    page.emulate_media(color_scheme=scheme)
    assert check(page, language + path, 390) == []
