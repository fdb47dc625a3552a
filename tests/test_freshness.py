"""Fresh after every edit, from any process, and never a cold page for readers (issue 16).

An edit made by another process (a `manage.py shell`, an import, another worker) shows on the
next request here; the generation moves only once the write has committed; while one worker
rebuilds an out-of-date page the others serve its previous figures and run none of its heavy
queries; `warm_cache` leaves nothing for the first reader to compute.
"""

import os
import re
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections, transaction
from django.db.utils import load_backend
from django.test import override_settings
from django.utils import translation

from deals import signals
from deals.models import Deal, DealStatus, DealType
from deals.pages import cache as caching
from deals.pages import warm
from deals.pages.overview import overview_page
from tests.conftest import count_queries

ROOT = Path(settings.BASE_DIR)
REDIS_TEST_URL = "redis://127.0.0.1:6379/15"
# What the overview reads when its charts come from the cache: the latest deals, and the
# headline's tally rows and data centres (tests/test_tally.py).
OVERVIEW_WARM_QUERIES = 3


def cloud_figures(html: str) -> str:
    """The overview's "by cloud" chart, figure and table: a part cached until the data change
    (its headline is read from the tally at each request, tests/test_tally.py)."""
    start = html.index('id="by-cloud"')
    return " ".join(re.sub(r"<[^>]+>", " ", html[start : html.index("</figure>", start)]).split())


def largest_commitment() -> Deal:
    """A signed compute commitment on a cloud, with an amount: a change of it moves the
    overview's "by cloud" chart."""
    return (
        Deal.objects.filter(
            deal_type=DealType.COMPUTE_COMMITMENT,
            cloud__isnull=False,
            amount_usd__isnull=False,
            status__in=[DealStatus.SIGNED, DealStatus.COMPLETED],
        )
        .order_by("-amount_usd", "pk")
        .first()
    )


# Another process, the same database and generation -----------------------------------------


def child_env(database: Path, *, redis_url: str | None) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL", "DEALWATCH_GENERATION_FILE"}
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "dealwatch.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
        "DEALWATCH_GENERATION_FILE": settings.DEALWATCH_GENERATION_FILE,
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def in_another_process(code: str, env: dict) -> None:
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )


@pytest.fixture
def shared_database(tmp_path, django_db_blocker):
    """A SQLite file with the seed that this process's requests and a child process both use.

    The test database lives in this process's memory, so for this test the default connection
    points at the file instead (restored afterwards).
    """
    path = tmp_path / "shared.sqlite3"
    in_another_process(
        "from django.core.management import call_command; "
        "call_command('migrate', verbosity=0); call_command('loaddata', 'seed', verbosity=0)",
        child_env(path, redis_url=None),
    )
    parsed = connections.configure_settings({"default": dj_database_url.parse(f"sqlite:///{path}")})
    wrapper = load_backend(parsed["default"]["ENGINE"]).DatabaseWrapper(
        parsed["default"], "default"
    )
    with django_db_blocker.unblock():
        original = connections["default"]
        connections["default"] = wrapper
        try:
            yield path
        finally:
            wrapper.close()
            connections["default"] = original


def redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_TEST_URL} (CI must run it)")
        pytest.skip(f"Redis is not reachable at {REDIS_TEST_URL}")


def edit_in_another_process(database: Path, slug: str, *, redis_url: str | None) -> None:
    in_another_process(
        "from decimal import Decimal; from deals.models import Deal; "
        f"deal = Deal.objects.get(slug={slug!r}); "
        "deal.amount_usd += Decimal(10**12); deal.save()",
        child_env(database, redis_url=redis_url),
    )


def test_an_edit_in_another_process_shows_on_the_next_request_here(client, shared_database):
    before = cloud_figures(client.get("/").content.decode())
    assert cloud_figures(client.get("/").content.decode()) == before  # now from the cache
    edit_in_another_process(shared_database, largest_commitment().slug, redis_url=None)
    # The other process has its own local-memory cache; the generation file is shared.
    assert cloud_figures(client.get("/").content.decode()) != before


def test_an_edit_in_another_process_shows_here_with_redis(client, shared_database):
    redis_or_skip()
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_TEST_URL,
        }
    }
    with override_settings(CACHES=redis_cache, DEALWATCH_GENERATION_STORE="cache"):
        cache.clear()
        try:
            before = cloud_figures(client.get("/").content.decode())
            generation = caching.generation()
            edit_in_another_process(
                shared_database, largest_commitment().slug, redis_url=REDIS_TEST_URL
            )
            # One generation in Redis for every process: the other one moved it.
            assert caching.generation() != generation
            assert cloud_figures(client.get("/").content.decode()) != before
        finally:
            cache.clear()


# After commit, once per transaction ---------------------------------------------------------


@pytest.fixture
def bumps(monkeypatch):
    """How many times the generation was bumped by the signal receivers."""
    calls = []
    real = signals.bump_generation

    def counting():
        calls.append(1)
        real()

    monkeypatch.setattr(signals, "bump_generation", counting)
    return calls


def test_the_generation_moves_only_once_the_write_has_committed(transactional_db, bumps):
    call_command("loaddata", "seed", verbosity=0)
    bumps.clear()
    start = caching.generation()
    deal = largest_commitment()
    with transaction.atomic():
        deal.amount_usd += 1
        deal.save()
        deal.summary += "."
        deal.save()
        # Not yet committed: a reader now reads the old rows, and must file them under the
        # old generation.
        assert caching.generation() == start
    assert caching.generation() != start
    assert len(bumps) == 1  # one transaction, one bump


def test_a_rolled_back_write_does_not_move_the_generation(transactional_db, bumps):
    call_command("loaddata", "seed", verbosity=0)
    bumps.clear()
    start = caching.generation()
    deal = largest_commitment()
    with pytest.raises(RuntimeError), transaction.atomic():
        deal.amount_usd += 1
        deal.save()
        raise RuntimeError("rolled back")
    assert caching.generation() == start
    assert bumps == []


# No cold page for readers -------------------------------------------------------------------


def hold_refresh_locks(language: str) -> list[str]:
    """As a worker rebuilding the overview's entries does."""
    locks = [
        caching.refresh_lock("overview", language),
        caching.refresh_lock("over-time", language, []),
        caching.refresh_lock("loops"),
        caching.refresh_lock("flows"),
    ]
    for lock in locks:
        assert cache.add(lock, "another worker", caching.LOCK_SECONDS)
    return locks


def test_while_one_worker_rebuilds_readers_get_the_previous_figures_and_run_no_heavy_query(
    client, seeded
):
    before = cloud_figures(client.get("/").content.decode())
    deal = largest_commitment()
    deal.amount_usd += Decimal(10**12)
    deal.save()
    locks = hold_refresh_locks("en")
    for _reader in range(3):
        assert count_queries(client, "/") == OVERVIEW_WARM_QUERIES
        assert cloud_figures(client.last_page) == before
    cache.delete_many(locks)  # the rebuilding worker is done (or gone)
    assert count_queries(client, "/") > OVERVIEW_WARM_QUERIES
    assert cloud_figures(client.last_page) != before


def test_the_first_reader_after_an_edit_waits_for_nothing_and_the_next_sees_it(
    client, transactional_db
):
    call_command("loaddata", "seed", verbosity=0)
    before = cloud_figures(client.get("/").content.decode())
    deal = largest_commitment()
    deal.amount_usd += Decimal(10**12)
    deal.save()
    with override_settings(DEALWATCH_REFRESH_IN_BACKGROUND=True):
        # The previous figures at once; the new ones are built in a background thread.
        assert count_queries(client, "/") == OVERVIEW_WARM_QUERIES
        assert cloud_figures(client.last_page) == before
        caching.wait_for_refreshes()
        assert cloud_figures(client.get("/").content.decode()) != before


def test_a_server_process_rebuilds_its_pages_after_another_process_changed_the_data(
    client, transactional_db
):
    call_command("loaddata", "seed", verbosity=0)
    before = cloud_figures(client.get("/").content.decode())
    client.get("/graph/")
    deal = largest_commitment()
    Deal.objects.filter(pk=deal.pk).update(amount_usd=deal.amount_usd + Decimal(10**12))
    caching.bump_generation()  # as another process's commit does
    with override_settings(DEALWATCH_WARM=True, DEALWATCH_REFRESH_IN_BACKGROUND=True):
        client.get("/deals/")  # any request notices the new generation and starts the warm
        assert warm.wait_until_warm(timeout=60)
    # Built before anyone asked: the next readers compute nothing.
    assert count_queries(client, "/") == OVERVIEW_WARM_QUERIES
    assert cloud_figures(client.last_page) != before
    graph_warm = count_queries(client, "/graph/")
    assert count_queries(client, "/graph/") == graph_warm


REDIS_CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_TEST_URL,
    }
}


def test_while_a_refresher_process_runs_readers_leave_the_big_pages_to_it(client, seeded):
    redis_or_skip()
    with override_settings(
        CACHES=REDIS_CACHES,
        DEALWATCH_GENERATION_STORE="cache",
        DEALWATCH_REFRESH_IN_BACKGROUND=True,
    ):
        cache.clear()
        try:
            warm.follow(rounds=1)  # a refresher's first round: every big page built
            caching.beat(caching.rebuilt_names())  # ... and it is still alive
            assert warm.refresher_alive()
            before = cloud_figures(client.get("/").content.decode())
            deal = largest_commitment()
            deal.amount_usd += Decimal(10**12)
            deal.save()
            # Readers get the previous charts at once and start no rebuild of their own.
            for _reader in range(2):
                assert count_queries(client, "/") == OVERVIEW_WARM_QUERIES
                assert cloud_figures(client.last_page) == before
            assert not caching._refreshes
            warm.follow(rounds=1)  # the refresher's next round
            assert count_queries(client, "/") == OVERVIEW_WARM_QUERIES
            assert cloud_figures(client.last_page) != before
            # Gone (no heartbeat): readers rebuild for themselves again.
            cache.delete(caching.REFRESHER_KEY)
            assert not warm.refresher_alive()
        finally:
            cache.clear()


def test_a_costly_entry_is_rebuilt_at_most_once_per_pace_times_its_cost(db):
    cache.clear()
    key = caching.cache_key("costly")
    built = []

    def compute():
        built.append(1)
        return "new figures"

    with override_settings(DEALWATCH_REFRESH_PACE=5):
        # Built a second ago, at a cost of 10 s: not rebuilt for 50 s, whatever the edits.
        cache.set(key, (caching.generation(), "old figures", time.time() - 1, 10.0))
        caching.bump_generation()
        assert caching.cached("costly", compute) == "old figures"
        assert built == []
        # Built 60 s ago: rebuilt by the next reader.
        cache.set(key, (caching.generation() - 1, "old figures", time.time() - 60, 10.0))
        assert caching.cached("costly", compute) == "new figures"
        assert built == [1]
        # A cheap entry (built in a millisecond) is rebuilt at once after an edit.
        caching.bump_generation()
        cache.set(key, (caching.generation() - 1, "old figures", time.time(), 0.001))
        time.sleep(0.01)
        assert caching.cached("costly", compute) == "new figures"
    cache.clear()


def test_an_entry_built_from_an_out_of_date_one_is_not_taken_for_current(db):
    cache.clear()
    caching.cached("every company", lambda: "old ranking")
    caching.bump_generation()
    held = caching.refresh_lock("every company")
    assert cache.add(held, "the refresher", caching.LOCK_SECONDS)  # rebuilding it elsewhere

    def one_company():
        return "from " + caching.cached("every company", lambda: "new ranking")

    # Built now from the previous ranking: stored as old as that ranking, ...
    assert caching.cached("one company", one_company) == "from old ranking"
    cache.delete(held)  # ... so once the ranking is rebuilt, the company is rebuilt from it.
    assert caching.cached("every company", lambda: "new ranking") == "new ranking"
    assert caching.cached("one company", one_company) == "from new ranking"
    cache.clear()


def test_a_refresher_needs_a_shared_cache(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="REDIS_URL"):
        call_command("warm_cache", follow=True)


def test_after_warm_cache_no_first_reader_computes_anything(client, seeded):
    call_command("warm_cache", verbosity=0)
    for path in ["/", "/ar/", "/graph/", "/ar/graph/", "/companies/", "/ar/companies/", "/deals/"]:
        first = count_queries(client, path)
        assert count_queries(client, path) == first, path


def test_warm_cache_says_what_it_built_and_how_long_it_took(db):
    from io import StringIO

    out = StringIO()
    call_command("warm_cache", stdout=out)
    text = out.getvalue()
    assert "overview (en)" in text and "graph (ar)" in text
    assert re.search(r"in all: \d+\.\d+ s", text)


def test_the_bench_measures_the_first_request_after_an_edit(seeded):
    from bench.worker import measure

    result = measure("/", repeat=2)
    # The tests rebuild inline: the first request after the edit computes the overview again.
    assert result.after_edit_queries > result.queries
    assert result.after_edit_ms > 0 and result.refresh_ms >= result.after_edit_ms
    assert result.fresh_ms > 0


def test_a_page_showing_charts_still_being_rebuilt_says_so(client, seeded):
    client.get("/")  # every part built
    assert "refreshing-note" not in client.get("/").content.decode()
    # Rebuilt at most once per a pace far longer than the test: after this edit the readers
    # keep the previous charts.
    with override_settings(DEALWATCH_REFRESH_PACE=10**9):
        deal = largest_commitment()
        deal.amount_usd += Decimal(10**12)
        deal.save()
        stale = client.get("/").content.decode()
        arabic = client.get("/ar/").content.decode()
    assert 'class="notice refreshing-note" role="status"' in stale
    assert "Some charts on this page are being updated with the latest changes" in stale
    assert "refreshing-note" in arabic and "Some charts" not in arabic
    # Once rebuilt, the note is gone.
    fresh = client.get("/").content.decode()
    assert "refreshing-note" not in fresh
    assert cloud_figures(fresh) != cloud_figures(stale)


def test_the_refresher_rests_so_as_to_work_its_share_of_the_time():
    with override_settings(DEALWATCH_REFRESHER_SHARE=0.5):
        assert warm.rest_after(60.0) == pytest.approx(60.0)  # a minute's round, a minute's rest
    with override_settings(DEALWATCH_REFRESHER_SHARE=0.25):
        assert warm.rest_after(10.0) == pytest.approx(30.0)
    with override_settings(DEALWATCH_REFRESHER_SHARE=1.0):
        assert warm.rest_after(60.0) == 0.0  # rounds back to back


def test_a_warm_round_sums_every_deal_once_for_both_languages(seeded, monkeypatch):
    from deals import analytics

    summed = []
    real = analytics.compute_by_buyer_and_cloud
    monkeypatch.setattr(
        analytics, "compute_by_buyer_and_cloud", lambda deals: summed.append(1) or real(deals)
    )
    parts = warm.warm()
    assert {language for _part, language, _seconds in parts} == {"en", "ar"}
    assert summed == [1]
    # Outside a round (a reader's own rebuild), each entry sums for itself.
    cache.clear()
    for language in ("en", "ar"):
        with translation.override(language):
            overview_page()
    assert summed == [1, 1, 1]


def test_a_sum_reused_after_an_edit_makes_its_entry_count_as_out_of_date(db):
    with caching.one_round():
        assert caching.per_round("sums", lambda: "old") == "old"
        first = caching.cached("first", lambda: caching.per_round("sums", lambda: "new"))
        caching.bump_generation()  # an edit commits during the round
        second = caching.cached("second", lambda: caching.per_round("sums", lambda: "new"))
    assert first == second == "old"  # computed once in the round
    made, _value = cache.get(caching.cache_key("second"))[:2]
    assert made < caching.generation()  # so the next round builds it again
    assert caching.per_round("sums", lambda: "new") == "new"  # outside a round: at once
