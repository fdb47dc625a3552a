"""What follows the timeline's filter: the count, the title, the links, the address, the form."""

import functools
import re

import pytest

from deals.models import Deal
from deals.pages import timeline as timeline_pages
from deals.selectors import timeline as selectors

URL = "/deals/"
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "timeline-results"}


def anthropic_deals() -> int:
    anthropic = Deal.objects.get(slug="anthropic-azure-compute-30b").payer
    return Deal.objects.involving(anthropic).count()


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def count_text(html: str) -> str:
    return re.search(r"data-result-count>([^<]*)<", html).group(1)


def test_the_result_count_says_how_many_deals_match(client, seeded):
    assert count_text(html_of(client.get(URL))) == f"{Deal.objects.count()} deals"
    html = html_of(client.get(URL, {"company": "anthropic"}))
    assert count_text(html) == f"{anthropic_deals()} deals"
    assert count_text(html_of(client.get(URL, {"min_amount": "10T"}))) == "0 deals"


def test_the_count_stops_at_its_limit_and_says_more_than(client, seeded, monkeypatch):
    monkeypatch.setattr(timeline_pages, "COUNT_LIMIT", 3)
    # Pages of two deals, so the first page has older deals after it and the count is read.
    two_a_page = functools.partial(selectors.deal_timeline, size=2)
    monkeypatch.setattr(selectors, "deal_timeline", two_a_page)
    assert count_text(html_of(client.get(URL))) == "More than 3 deals"
    assert count_text(html_of(client.get(URL, {"type": "chip_supply"}))) == (
        f"{Deal.objects.filter(deal_type='chip_supply').count()} deals"
    )
    assert selectors.count_deals(deals=Deal.objects.all(), limit=3) == 4


def test_the_arabic_count_uses_arabic_plurals(client, seeded):
    html = html_of(client.get(f"/ar{URL}", {"company": "anthropic"}))
    assert count_text(html) == f"{anthropic_deals()} صفقات"


def test_the_title_names_the_filters(client, seeded):
    html = html_of(client.get(URL, {"company": "anthropic", "type": "investment"}))
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title == "Company: Anthropic; Type: investment · Deal timeline · DealWatch"
    assert "<title>Deal timeline · DealWatch</title>" in html_of(client.get(URL))


def test_a_filter_change_answers_with_title_results_and_filter_count(client, seeded):
    response = client.get(URL, {"company": "Anthropic", "type": "", "role": ""}, **HTMX)
    html = html_of(response)
    assert response["HX-Push-Url"] == "/deals/?company=anthropic"
    assert html.lstrip().startswith("<title>Company: Anthropic · Deal timeline · DealWatch</title>")
    assert html.count('id="timeline-results"') == 1
    assert html.count('id="deal-list"') == 1
    assert f"{anthropic_deals()} deals" in html
    assert (
        '<span id="active-filters" class="filter-count" data-hx-swap-oob="true">(1 active)' in html
    )


def test_a_refused_filter_stays_in_the_address_so_back_and_reload_show_it_again(client, seeded):
    response = client.get(URL, {"company": "anthropic", "from": "2025-13-45", "to": ""}, **HTMX)
    assert response["HX-Push-Url"] == "/deals/?company=anthropic&from=2025-13-45"
    html = html_of(response)
    assert "data-deal-id" not in html
    assert 'role="alert"' in html
    assert count_text(html) == ""


def test_back_and_forward_get_the_whole_page_with_the_form_filled_in(client, seeded):
    html = html_of(
        client.get(
            URL,
            {"company": "anthropic", "type": "investment"},
            HTTP_HX_REQUEST="true",
            HTTP_HX_HISTORY_RESTORE_REQUEST="true",
        )
    )
    assert 'name="company" value="Anthropic"' in html
    assert '<option value="investment" selected>' in html
    # htmx swaps only <main> (so the page's scripts are not run twice) ...
    assert '<main id="main" tabindex="-1" data-hx-history-elt>' in html
    # ... and keeps no snapshot of this page: the form's values would not be in it.
    assert 'data-hx-history="false"' in html


@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_links_that_depend_on_the_filter_carry_it(client, seeded, prefix):
    html = html_of(client.get(f"{prefix}{URL}", {"company": "anthropic"}))
    assert f'href="{prefix}/export/deals.csv?company=anthropic" data-follows-query' in html
    assert f'href="{prefix}/export/deals.json?company=anthropic" data-follows-query' in html
    # The language switch, both ways, with the filter.
    assert 'href="/deals/?company=anthropic" lang="en"' in html
    assert 'href="/ar/deals/?company=anthropic" lang="ar"' in html


@pytest.mark.parametrize("prefix", ["", "/ar"])
@pytest.mark.parametrize(
    "path", ["/", URL, "/graph/", "/companies/", "/articles/", "/search/?q=nvidia"]
)
def test_every_page_names_its_other_language_version(client, seeded, prefix, path):
    html = html_of(client.get(f"{prefix}{path}"))
    english = "http://testserver" + path
    arabic = "http://testserver/ar" + path
    assert f'<link rel="alternate" hreflang="en" href="{english}"' in html
    assert f'<link rel="alternate" hreflang="ar" href="{arabic}"' in html
    assert f'<link rel="alternate" hreflang="x-default" href="{english}"' in html


@pytest.mark.parametrize(
    "path", ["/", URL, "/graph/", "/companies/", "/articles/", "/search/?q=nvidia"]
)
def test_no_page_uses_bare_hx_attributes(client, seeded, path):
    """The Nu HTML Checker refuses `hx-*`; htmx reads `data-hx-*` just as well."""
    assert not re.search(r"\shx-[a-z-]+=", html_of(client.get(path)))


def test_the_filters_are_a_disclosure_that_counts_the_active_ones(client, seeded):
    html = html_of(client.get(URL, {"company": "anthropic", "type": "investment", "role": ""}))
    form = html.split('<form class="deal-filters')[1].split("</form>")[0]
    assert '<details class="filter-disclosure" open>' in form
    assert "Filters <span" in form
    assert "(2 active)</span>" in form
    assert 'id="active-filters" class="filter-count"></span>' in html_of(client.get(URL))


def test_the_timeline_script_is_served_from_static(client, seeded):
    html = html_of(client.get(URL))
    assert re.search(r'<script src="/static/js/timeline\.js">', html)
    assert 'id="live-status"' in html and 'aria-live="polite"' in html


def test_the_page_and_its_parts_are_never_cached_for_each_other(client, seeded):
    for headers in ({}, HTMX, {**HTMX, "HTTP_HX_TARGET": "older-deals"}):
        assert "HX-Request" in client.get(URL, **headers)["Vary"]
