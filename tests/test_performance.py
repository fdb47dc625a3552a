"""Scale safeguards: cached aggregates follow the data, streamed CSV, capped JSON, bounded
flows, the company filter by name, and query counts that do not grow with the data."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.worker import measure
from deals.analytics import flows as money_flows
from deals.models import Deal, DealType
from deals.pages import cache as caching
from deals.views import export as export_views
from tests.factories import CompanyFactory, DealFactory

pytestmark = pytest.mark.django_db


def invested_figure(client) -> str:
    html = client.get("/").content.decode()
    card = html.split("Money invested</dt>")[1]
    return re.search(r'<dd class="headline-value">(.*?)</dd>', card, re.S).group(1).strip()


def test_overview_figures_are_cached_and_follow_a_changed_amount(client, seeded):
    before = invested_figure(client)
    with CaptureQueriesContext(connection) as warm:
        assert invested_figure(client) == before
    # The latest deals, the headline's tally rows and its data centres are read again (a few
    # rows each, tests/test_tally.py); the charts' sums come from the cache.
    assert len(warm) == 3
    deal = Deal.objects.filter(deal_type=DealType.INVESTMENT, amount_usd__isnull=False).first()
    deal.amount_usd += Decimal(10**12)  # a trillion more: the headline must move
    deal.save()
    assert invested_figure(client) != before


def test_every_kind_of_change_moves_the_generation(seeded):
    start = caching.generation()
    company = CompanyFactory()
    assert caching.generation() > start
    middle = caching.generation()
    deal = Deal.objects.first()
    deal.chip_platforms.clear()
    assert caching.generation() > middle
    company.delete()
    assert caching.generation() > middle + 1


def test_a_lost_generation_is_recreated_and_moves_when_bumped(db):
    cache.clear()
    key = caching.cache_key("x", 1)
    assert caching.cache_key("x", 1) == key
    assert caching.cache_key("x", 2) != key
    # An entry keeps its key across generations (its previous value is served while it is
    # rebuilt, tests/test_freshness.py): the generation it was built from is what moves.
    before = caching.generation()
    caching.bump_generation()
    assert caching.generation() != before
    assert caching.cache_key("x", 1) == key
    cache.clear()
    caching.bump_generation()  # no generation in the cache: starts a new one, no error
    assert caching.generation()


def test_json_export_above_the_cap_says_how_to_get_everything(client, seeded, monkeypatch):
    monkeypatch.setattr(export_views, "WEB_JSON_MAX_DEALS", Deal.objects.count() - 1)
    response = client.get("/export/deals.json")
    assert response.status_code == 400
    assert "manage.py export_deals" in response.json()["errors"][0]
    narrow = client.get("/export/deals.json", {"company": "anthropic"})
    assert narrow.status_code == 200


def test_company_filter_takes_a_name_in_either_script_and_links_by_id(client, seeded):
    by_id = client.get("/deals/", {"company": "anthropic"}).content.decode()
    for spelling in ["Anthropic", "أنثروبيك"]:
        response = client.get("/deals/", {"company": spelling}, HTTP_HX_REQUEST="true")
        assert response["HX-Push-Url"] == "/deals/?company=anthropic"
        cards = re.findall(r'data-deal-id="([^"]+)"', response.content.decode())
        assert cards == re.findall(r'data-deal-id="([^"]+)"', by_id)


def test_the_filter_lists_a_few_companies_not_all_of_them(client, db):
    companies = [CompanyFactory() for _ in range(60)]
    for index, company in enumerate(companies):
        DealFactory(payer=company, payee=companies[(index + 1) % 60])
    html = client.get("/deals/").content.decode()
    assert '<select name="company"' not in html
    assert len(re.findall(r"<option value=", html.split("id_company-suggestions")[1])) <= 40


def test_company_deals_come_from_both_sides_in_date_order(client, db):
    hub = CompanyFactory(slug="hub")
    deals = [DealFactory(payer=hub) for _ in range(30)]
    deals += [DealFactory(payee=hub) for _ in range(30)]
    DealFactory()  # not the hub's
    first = client.get("/deals/", {"company": "hub"}).content.decode()
    shown = re.findall(r'data-deal-id="([^"]+)"', first)
    expected = Deal.objects.involving(hub).timeline().values_list("slug", flat=True)
    assert shown == list(expected[:50])
    older = re.search(r'href="\?([^"]*cursor=[^"]*)"', first).group(1).replace("&amp;", "&")
    rest = re.findall(r'data-deal-id="([^"]+)"', client.get(f"/deals/?{older}").content.decode())
    assert shown + rest == list(expected)
    assert len(shown + rest) == len(deals)


def test_flows_reaching_python_are_bounded(db, monkeypatch):
    investors = [CompanyFactory(kind="investor") for _ in range(6)]
    labs = [CompanyFactory() for _ in range(6)]
    for index, investor in enumerate(investors):
        for lab in labs:
            DealFactory(
                payer=investor,
                payee=lab,
                deal_type=DealType.INVESTMENT,
                amount_usd=Decimal(index + 1) * 10**9,
            )
    everything = money_flows.flow_edges(Deal.objects.all())
    bounded = money_flows.flow_edges(Deal.objects.all(), limit=4)
    assert len(everything) == 36
    assert len(bounded) == 12  # 3 × limit between companies
    largest = sorted((flow["amount"] for flow in everything), reverse=True)[:12]
    assert sorted((flow["amount"] for flow in bounded), reverse=True) == largest


def test_measure_reports_time_queries_and_size(seeded):
    result = measure("/deals/", repeat=2)
    assert result.status == 200
    assert result.queries > 0 and result.cold_queries >= result.queries
    assert result.bytes > 1000
    assert result.median_ms > 0
    assert measure("/export/deals.csv", repeat=1).bytes > 100  # streamed bodies are read
