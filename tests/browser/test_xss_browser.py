"""Hostile text in the data or the address bar is shown as text, never run as script.

Article bodies, quotes, company names, deal summaries and the search query carry script tags,
event-handler attributes and attribute breakouts; every page that shows them is visited and
`window.__xss` must stay undefined while the payload is readable on the page.
"""

import datetime
from decimal import Decimal
from urllib.parse import quote

import pytest

from companies.models import Company
from deals.models import Article, Deal, DealCitation

pytestmark = pytest.mark.browser

SCRIPT = "<script>window.__xss=1</script>"
IMG = '<img src=x onerror="window.__xss=1">'
BREAKOUT = '"\'><svg onload="window.__xss=1">'
ALL = f"{SCRIPT} {IMG} {BREAKOUT}"


@pytest.fixture
def hostile(seeded_live_server):
    evil = Company.objects.create(
        slug="evil-corp",
        name=f"Evil {IMG} Corp",
        name_ar=f"شركة {SCRIPT}",
        kind=Company.Kind.INVESTOR,
    )
    quote_text = f"Evil Corp will invest $2 billion {SCRIPT} in Anthropic {IMG}."
    article = Article.objects.create(
        slug="hostile-article",
        title=f"Hostile {BREAKOUT} headline",
        language=Article.Language.ENGLISH,
        published_on=datetime.date(2025, 12, 1),
        body=f"Opening {ALL} paragraph.\n\n{quote_text}\n\nClosing {IMG}.",
    )
    deal = Deal.objects.create(
        slug="evil-anthropic",
        deal_type=Deal.Type.INVESTMENT,
        payer=evil,
        payee=Company.objects.get(slug="anthropic"),
        amount_usd=Decimal("2000000000"),
        status="announced",
        announced_on=datetime.date(2025, 12, 1),
        summary=f"Summary {ALL}",
        summary_ar=f"ملخص {ALL}",
    )
    DealCitation.objects.create(
        deal=deal,
        article=article,
        quote=quote_text,
        reported_amount_usd=Decimal("2000000000"),
        reported_amount_qualifier="exact",
    )
    return {"deal": deal, "company": evil, "article": article}


PAGES = [
    "/deals/evil-anthropic/",
    "/articles/hostile-article/",
    "/companies/evil-corp/",
    "/deals/",
    "/deals/?company=evil-corp",
    "/graph/",
    "/graph/?company=evil-corp",
    "/",
    "/companies/",
    f"/search/?q={quote(SCRIPT)}",
    f"/search/?q={quote(IMG)}",
    "/search/?q=evil",
    "/ar/deals/evil-anthropic/",
    "/ar/companies/evil-corp/",
]


@pytest.mark.parametrize("path", PAGES)
def test_hostile_text_is_shown_as_text(page, hostile, path):
    response = page.goto(path)
    assert response.status == 200
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.__xss") == "undefined"
    # No element the payloads describe made it into the document.
    assert page.locator("img[src=x], svg[onload], img[onerror]").count() == 0
    # text_content: also the chart tables folded in <details> and the charts' own labels.
    text = page.locator("body").text_content()
    assert "window.__xss=1" in text, f"the payload should be readable as text on {path}"


def test_search_suggestions_show_hostile_queries_as_text(page, hostile):
    page.goto("/search/")
    box = page.locator("input[name=q]").first
    box.fill(IMG)
    page.wait_for_timeout(800)
    box.fill("Evil")
    page.wait_for_timeout(800)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("img[src=x]").count() == 0
