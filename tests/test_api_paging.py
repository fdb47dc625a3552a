"""Paging the API: the timeline's deals for the same filter, each exactly once, in a fixed
number of queries per page, on the seed and on synthetic data."""

import datetime
import io
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deals.models import Deal
from deals.pages.filters import deal_filter
from deals.selectors.timeline import deal_timeline
from tests.factories import DealFactory
from tests.test_api import _query_dict, get


def api_walk(client, query: dict, limit: int) -> list[str]:
    """Every deal id the API lists for `query`, following `next` links."""
    url = f"/api/v1/deals/?{urlencode({**query, 'limit': limit})}"
    ids = []
    while url:
        response = get(client, url)
        assert response.status_code == 200, response.body
        ids += [deal["id"] for deal in response.body["results"]]
        url = response.body["next"]
    return ids


def timeline_walk(query: dict) -> list[str]:
    """Every deal id the timeline shows for `query`, page after page."""
    filters = deal_filter(_query_dict(query) if query else None)
    ids, cursor = [], None
    while True:
        page = deal_timeline(deals=filters.split_by_side(), cursor=cursor)
        ids += [deal.slug for deal in page.deals]
        if not page.next_cursor:
            return ids
        cursor = page.next_cursor


SEED_FILTERS = [
    {},
    {"company": "anthropic"},
    {"company": "anthropic", "role": "investee"},
    {"company": "Amazon", "type": "investment"},
    {"cloud": "aws"},
    {"chip": "trainium"},
    {"status": "announced"},
    {"min_amount": "10B"},
    {"from": "2025-10-01", "to": "2025-12-31"},
]


@pytest.mark.parametrize("query", SEED_FILTERS)
def test_the_api_lists_the_timelines_deals_for_the_same_filter_on_the_seed(client, seeded, query):
    expected = timeline_walk(query)
    assert expected or query
    assert api_walk(client, query, limit=2) == expected


@pytest.fixture
def synthetic(db):
    call_command(
        "seed_synthetic", companies=40, deals=400, seed=3, no_progress=True, stdout=io.StringIO()
    )


def _busiest_company() -> str:
    from django.db.models import Count

    row = Deal.objects.values("payer__slug").annotate(n=Count("pk")).order_by("-n", "payer__slug")
    return row[0]["payer__slug"]


def test_the_api_lists_the_timelines_deals_on_synthetic_data(client, synthetic):
    # Some deals whose date no source gives: listed last, by id.
    Deal.objects.filter(pk__in=list(Deal.objects.values_list("pk", flat=True))[::40]).update(
        announced_on=None
    )
    hub = _busiest_company()
    some_cloud = Deal.objects.exclude(cloud=None).values_list("cloud__slug", flat=True)[0]
    for query in [
        {},
        {"company": hub},
        {"company": hub, "role": "investor"},
        {"cloud": some_cloud, "status": "signed"},
        {"type": "compute_commitment", "min_amount": "1B"},
        {"from": "2024-01-01"},
    ]:
        expected = timeline_walk(query)
        assert api_walk(client, query, limit=37) == expected, query
    # Undated deals come last, after every dated one, in both.
    everything = api_walk(client, {}, limit=200)
    undated = set(Deal.objects.filter(announced_on=None).values_list("slug", flat=True))
    assert set(everything[-len(undated) :]) == undated


def test_paging_while_deals_are_added_lists_every_deal_exactly_once(client, synthetic):
    before = set(Deal.objects.values_list("slug", flat=True))
    url = "/api/v1/deals/?limit=25"
    seen = []
    payer, payee = Deal.objects.values_list("payer", "payee")[0]
    added = 0
    while url:
        body = get(client, url).body
        seen += [deal["id"] for deal in body["results"]]
        url = body["next"]
        # A deal newer than everything, one in the middle of the walk, and one undated.
        for day in (datetime.date(2031, 1, 1), datetime.date(2024, 6, 1), None):
            added += 1
            DealFactory(slug=f"added-{added}", payer_id=payer, payee_id=payee, announced_on=day)
    assert len(seen) == len(set(seen)), "no deal twice"
    assert before <= set(seen), "no deal that was there from the start is skipped"


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "query",
    [{}, {"company": "HUB"}, {"company": "HUB", "role": "investor"}, {"type": "investment"}],
)
def test_a_page_costs_the_same_queries_whatever_its_size_or_place(client, synthetic, query):
    query = {k: (_busiest_company() if v == "HUB" else v) for k, v in query.items()}
    # The filter's choices are read once per data generation, then come from the cache.
    client.get("/api/v1/deals/?limit=1")
    small = _queries(client, f"/api/v1/deals/?{urlencode({**query, 'limit': 2})}")
    large = _queries(client, f"/api/v1/deals/?{urlencode({**query, 'limit': 100})}")
    first = get(client, f"/api/v1/deals/?{urlencode({**query, 'limit': 5})}").body
    later = _queries(client, first["next"])
    assert small == large == later
    # Two walks per side of a company, the deals and their three lists, the company.
    assert small <= 9


@pytest.mark.parametrize(
    "url", ["/api/v1/companies/", "/api/v1/data-centers/", "/api/v1/articles/"]
)
def test_directory_pages_cost_the_same_queries_whatever_their_size(client, synthetic, url):
    assert _queries(client, f"{url}?limit=3") == _queries(client, f"{url}?limit=150")


def test_every_company_once_across_pages(client, synthetic):
    url, seen = "/api/v1/companies/?limit=7", []
    while url:
        body = get(client, url).body
        seen += [company["id"] for company in body["results"]]
        url = body["next"]
    assert seen == sorted(seen) and len(seen) == len(set(seen))
    from companies.models import Company

    assert len(seen) == Company.objects.count()
