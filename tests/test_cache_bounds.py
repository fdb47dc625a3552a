"""The cache cannot be grown without bound from outside: keys from canonical filter values,
a bounded number of entries per filtered kind, and no failure when Redis is down."""

import re

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.test import override_settings

from deals.pages import graph as graph_module
from deals.pages import keys
from deals.pages.filters import deal_filter

pytestmark = pytest.mark.django_db

FILTERED_GRAPH = re.compile(r":dealwatch:graph:filtered:[0-9a-f]{16}$")
ANY_GRAPH = re.compile(r":dealwatch:graph(:filtered)?:[0-9a-f]{16}$")


def entries(pattern) -> list[str]:
    """The keys of the local-memory cache that match `pattern` (entries, not their locks)."""
    return [key for key in list(cache._cache) if pattern.search(key)]


@pytest.fixture
def quick_figures(monkeypatch):
    """Every graph drawn once, from the unfiltered figures: drawing takes about a second and
    these tests count the cache's entries, not what is in them."""
    from deals.models import Deal

    figures = graph_module.graph_figures(Deal.objects.all(), None, filtered=False)
    monkeypatch.setattr(graph_module, "graph_figures", lambda *args, **kwargs: figures)


def test_500_distinct_minimum_amounts_leave_the_graph_cache_within_its_bound(
    client, seeded, quick_figures
):
    # What /graph/?min_amount=N does before drawing the page (drawing 500 pages takes minutes).
    for amount in range(1, 501):
        graph_module.graph_page(deal_filter(QueryDict(f"min_amount={amount}")))
    assert 0 < len(entries(ANY_GRAPH)) <= keys.KIND_LIMITS["graph:filtered"]
    # And the page itself still answers.
    assert client.get("/graph/?min_amount=501").status_code == 200


def test_distinct_filtered_summaries_stay_within_their_bound(client, seeded, monkeypatch):
    assert keys.KIND_LIMITS["summary:filtered"] > 0  # bounded by default, not only here
    monkeypatch.setitem(keys.KIND_LIMITS, "summary:filtered", 5)
    for amount in range(1, 31):
        assert client.get(f"/export/summary.json?min_amount={amount}").status_code == 200
    summaries = re.compile(r":dealwatch:summary:filtered:[0-9a-f]{16}$")
    assert 0 < len(entries(summaries)) <= 5


def test_the_newest_filtered_graphs_are_the_ones_kept(client, seeded, monkeypatch):
    monkeypatch.setitem(keys.KIND_LIMITS, "graph:filtered", 3)
    for amount in range(1, 11):
        client.get(f"/graph/?min_amount={amount}B")
    assert len(entries(FILTERED_GRAPH)) == 3
    # The last one asked for is served from the cache: asking again computes nothing.
    computed = []
    real = graph_module.graph_figures
    monkeypatch.setattr(
        graph_module, "graph_figures", lambda *args, **kw: computed.append(1) or real(*args, **kw)
    )
    client.get("/graph/?min_amount=10B")
    assert computed == []
    client.get("/graph/?min_amount=1B")  # the oldest: pushed out, so computed again
    assert computed == [1]


def test_every_spelling_of_one_filter_shares_one_entry(client, seeded):
    for query in (
        "min_amount=1B",
        "min_amount=1,000M",
        "min_amount=$1000000000",
        "min_amount=1000000000.00",
        "min_amount=1B&utm_source=mail",  # an unknown parameter changes nothing
        "min_amount=1B&company=",  # nor does an empty one
    ):
        assert client.get(f"/graph/?{query}").status_code == 200
    assert len(entries(FILTERED_GRAPH)) == 1
    for query in ("company=anthropic", "company=Anthropic", "company=%20anthropic%20"):
        assert client.get(f"/graph/?{query}").status_code == 200
    assert len(entries(FILTERED_GRAPH)) == 2


def test_refused_or_unknown_parameters_make_no_new_entry(client, seeded):
    client.get("/graph/")
    before = set(entries(ANY_GRAPH))
    for query in ("min_amount=lots", "from=2025-13-45", "company=nobody", "x=1", "role=investor"):
        response = client.get(f"/graph/?{query}")
        assert response.status_code == 200
    # Each is the unfiltered graph (with the problem said on the page), from the one entry.
    assert set(entries(ANY_GRAPH)) == before
    assert entries(FILTERED_GRAPH) == []


def test_filtered_graphs_never_push_out_the_unfiltered_one(client, seeded, monkeypatch):
    monkeypatch.setitem(keys.KIND_LIMITS, "graph:filtered", 2)
    client.get("/graph/")
    unfiltered = set(entries(ANY_GRAPH))
    for amount in range(1, 8):
        client.get(f"/graph/?min_amount={amount}")
    assert unfiltered <= set(entries(ANY_GRAPH))


def test_canonical_values_are_one_spelling_each():
    from datetime import date
    from decimal import Decimal

    assert keys.canonical(Decimal("1E+9")) == "1000000000"
    assert keys.canonical(Decimal("1000000000.00")) == "1000000000"
    assert keys.canonical(Decimal("0.50")) == "0.5"
    assert keys.canonical(date(2025, 1, 2)) == "2025-01-02"


DEAD_REDIS = {
    "default": {
        "BACKEND": "dealwatch.redis_cache.TolerantRedisCache",
        # Port 1: nothing listens there, the connection is refused at once.
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
    }
}


@pytest.mark.parametrize("path", ["/", "/graph/", "/graph/?company=anthropic", "/deals/"])
def test_pages_are_still_served_when_redis_is_down(client, seeded, path):
    with override_settings(CACHES=DEAD_REDIS, DEALWATCH_GENERATION_STORE="cache"):
        for language in ("", "/ar"):
            response = client.get(language + path)
            assert response.status_code == 200, language + path
            assert b"<main" in response.content


def test_a_dead_redis_reads_as_an_empty_cache():
    with override_settings(CACHES=DEAD_REDIS):
        from django.core.cache import caches

        dead = caches["default"]
        assert dead.get("anything", "missing") == "missing"
        assert dead.get_many(["a", "b"]) == {}
        assert dead.add("a", 1) is False
        dead.set("a", 1)
        dead.set_many({"a": 1})
        with pytest.raises(ValueError):
            dead.incr("a")


def test_once_redis_is_back_the_pages_stored_before_the_outage_are_not_taken_as_current(
    monkeypatch,
):
    """An edit during the outage could not move the generation on: on reconnecting, the
    generation is dropped, so every page is rebuilt as after an edit."""
    from django.core.cache.backends.redis import RedisCacheClient
    from redis.exceptions import ConnectionError as RedisConnectionError

    from dealwatch import redis_cache

    redis_down = True
    deleted = []

    def get(client, key, default):
        if redis_down:
            raise RedisConnectionError("Connection refused.")
        return default

    monkeypatch.setattr(RedisCacheClient, "get", get)
    monkeypatch.setattr(RedisCacheClient, "delete", lambda client, key: deleted.append(key))
    monkeypatch.setattr(redis_cache, "RETRY_SECONDS", 0.0)
    backend = redis_cache.TolerantRedisCache("redis://127.0.0.1:1/0", {})
    assert backend.get("page") is None
    redis_down = False
    assert backend.get("page") is None
    assert deleted == [backend.make_key("dealwatch:generation")]
    backend.get("page")
    assert len(deleted) == 1  # only on reconnecting
