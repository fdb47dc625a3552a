"""What is precomputed so that no reader waits: the pages that sum over every deal.

`warm()` builds, in both languages, the overview and its flow charts, the unfiltered graph
and the circularity ranking, the company directory's
totals, the filter's choices and the timeline's first page, rebuilding any entry out of date
(`cache.refreshing`). It runs:

- from `manage.py warm_cache` (`make warm_cache`), and at the end of `seed_synthetic`,
  `import_deals` and `migrate` when the cache is shared (Redis): a command's own local-memory
  cache would die with it;
- in a background thread of each server process: when it serves its first request (a fresh
  deploy), and after each change it commits or sees (the generation moved since its last
  request), so that its readers get the previous figures for a moment, never a cold page.

Settings: `DEALWATCH_WARM` (on; off in the tests, which count every query).
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connections
from django.utils import translation

from . import cache

logger = logging.getLogger(__name__)

# A burst of commits (an import, an admin formset) is warmed once, this long after the last.
SETTLE_SECONDS = 0.2


def steps() -> list[tuple[str, object]]:
    """(name, function) of each part warmed, in the active language."""
    from .circularity import circularity_ranking
    from .companies import company_totals
    from .filters import deal_filter
    from .flows import circular_loops
    from .graph import graph_page
    from .over_time import flow_over_time
    from .overview import overview_page
    from .timeline import timeline_page

    def filter_form():
        # The form's select choices are read when it is built, its company suggestions (lazy)
        # when they are drawn.
        form = deal_filter(None).form
        return len(form.fields["company"].widget.suggestions)

    return [
        ("overview", overview_page),
        ("flow over time", flow_over_time),
        ("loops", circular_loops),
        ("circularity", circularity_ranking),
        ("graph", lambda: graph_page(deal_filter(None))),
        ("company totals", company_totals),
        ("filter choices", filter_form),
        ("timeline", lambda: timeline_page(deal_filter(None), None)),
    ]


def warm(languages: list[str] | None = None) -> list[tuple[str, str, float]]:
    """Build every part that is missing or out of date; `(part, language, seconds)` each."""
    timings = []
    with cache.refreshing(), cache.one_round():
        for language in languages or [code for code, _name in settings.LANGUAGES]:
            with translation.override(language):
                for name, step in steps():
                    started = time.perf_counter()
                    step()
                    timings.append((name, language, time.perf_counter() - started))
    return timings


def cache_is_shared() -> bool:
    """True when other processes read the entries this one writes (Redis, not local memory)."""
    return not isinstance(caches["default"], LocMemCache)


# This process's warming thread --------------------------------------------------------------

_wanted = threading.Event()
_idle = threading.Event()
_idle.set()
_thread_lock = threading.Lock()
_thread: threading.Thread | None = None
# Whether this process serves requests (a command's thread would die with it, holding locks).
_serving = False
_seen_generation: int | None = None


def warm_in_background() -> None:
    """Ask this process's warming thread for a round (started on first use)."""
    global _thread
    if not settings.DEALWATCH_WARM:
        return
    _idle.clear()
    _wanted.set()
    with _thread_lock:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_warm_forever, name="dealwatch-warm", daemon=True)
            _thread.start()


def _warm_forever() -> None:
    while True:
        _wanted.wait()
        time.sleep(SETTLE_SECONDS)
        _wanted.clear()
        try:
            timings = warm()
            logger.info("Cache warmed in %.2f s", sum(seconds for *_, seconds in timings))
        except Exception:  # the readers keep the previous figures; the next change retries
            logger.exception("Warming the cache failed")
        finally:
            connections.close_all()
            if not _wanted.is_set():
                _idle.set()


def wait_until_warm(timeout: float = 120.0) -> bool:
    """Wait for this process's warming thread to be idle (tests and the bench)."""
    return _idle.wait(timeout)


def after_change() -> None:
    """A change committed in this process: rebuild the big pages now if it serves readers
    (unless a refresher process does it for every server)."""
    if _serving and not refresher_alive():
        warm_in_background()


def refresher_alive() -> bool:
    """Whether a refresher process (`follow`) rebuilds the big pages for every server."""
    return cache_is_shared() and cache.cache.get(cache.REFRESHER_KEY) is not None


def warm_shared_cache() -> None:
    """At the end of a command that changed the data (`migrate`, `import_deals`,
    `seed_synthetic`): build the big pages into a shared cache now. A local-memory cache would
    die with the command; the server processes then warm their own on their next request."""
    if settings.DEALWATCH_WARM and cache_is_shared():
        warm()


def request_started(**_kwargs) -> None:
    """On each request: warm on the first one, and whenever another process has changed the
    data since the last one (one read of the generation)."""
    global _serving, _seen_generation
    _serving = True
    if not settings.DEALWATCH_WARM:
        return
    current = cache.generation()
    if current != _seen_generation:
        _seen_generation = current
        if not refresher_alive():
            warm_in_background()


# The refresher process ----------------------------------------------------------------------


def _one_core() -> None:
    """Keep the refresher's queries to one CPU on PostgreSQL (no parallel workers): its rounds
    take longer, and the servers' readers keep the other CPUs."""
    connection = connections["default"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0")


def rest_after(took: float) -> float:
    """How long the refresher rests after a round that took `took` seconds, so that it works
    DEALWATCH_REFRESHER_SHARE of its time: at a million deals a round is about a minute of one
    CPU, and back to back under a stream of edits it left the readers one CPU of two."""
    share = settings.DEALWATCH_REFRESHER_SHARE
    return took * (1 / share - 1) if 0 < share < 1 else 0.0


def follow(poll_seconds: float = 0.2, rounds: int | None = None, log=logger.info) -> None:
    """Rebuild the big pages each time the data change, for every server sharing the cache:
    what `manage.py warm_cache --follow` runs beside the app servers.

    While it is alive (a heartbeat in the shared cache), the servers neither warm nor rebuild
    the entries it rebuilds: a reader who finds one out of date is served the previous figures
    at once, and no server process spends its CPU on sums over every deal. Edits that come
    while a round runs are taken together by the next round. `rounds` stops it after that
    many (tests). Between rounds it rests (`rest_after`), so the charts lag a stream of edits
    by up to 1 / DEALWATCH_REFRESHER_SHARE rounds, and say so meanwhile (`dealwatch.refreshing`).
    """
    if not cache_is_shared():
        raise RuntimeError(
            "A refresher process needs a cache the servers share: set REDIS_URL (with the "
            "local-memory cache each server process warms its own)."
        )
    names = [frozenset(cache.rebuilt_names())]  # replaced whole: the heartbeat reads it
    stop = threading.Event()

    def heartbeat():
        while not stop.is_set():
            cache.beat(names[0])
            stop.wait(cache.HEARTBEAT_SECONDS)

    beating = threading.Thread(target=heartbeat, name="dealwatch-refresher-heartbeat", daemon=True)
    beating.start()
    seen = None
    done = 0
    try:
        while rounds is None or done < rounds:
            current = cache.generation()
            if current == seen:
                time.sleep(poll_seconds)
                continue
            seen = current
            _one_core()
            started = time.monotonic()
            warm()
            took = time.monotonic() - started
            names[0] = frozenset(cache.rebuilt_names())
            done += 1
            log("Refreshed generation %s in %.2f s", current, took)
            if rounds is None or done < rounds:
                time.sleep(rest_after(took))
    finally:
        stop.set()
        beating.join()
        cache.cache.delete(cache.REFRESHER_KEY)
