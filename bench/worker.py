"""Measures one page in this process: `python -m bench.worker '<json spec>'` prints one JSON line.

Each page is measured in a fresh process (the orchestrator starts one per page), so the peak
resident memory reported (`ru_maxrss`) is that of a worker that served only this page. The
spec gives the database (DATABASE_URL is set by the caller), the path, and what to measure:

- server time: `django.test.Client` in-process, the time from the request to the last byte of
  the response (streamed responses are consumed), after warm-up requests;
- queries per request: counted on one extra request after the timed ones, with the queries
  captured (the timed requests run without capture, as in production);
- the floor: the slowest SQL statement of the first (cold-cache) request, which runs every
  query the page needs, run alone with a raw cursor and its rows fetched, timed the same way;
- after an edit: the first request once the data generation has moved, and how long until the
  page is rebuilt (`after_edit`).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import resource
import statistics
import sys
import threading
import time


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summary(times: list[float], cpu: list[float] | None = None) -> dict:
    result = {
        "n": len(times),
        "median_ms": round(statistics.median(times) * 1000, 2),
        "p95_ms": round(percentile(times, 0.95) * 1000, 2),
        "min_ms": round(min(times) * 1000, 2),
    }
    if cpu:
        # CPU time of this process: the part of the wall time that other load cannot inflate
        # (for SQLite it includes the database's work; PostgreSQL works in its own process).
        result["cpu_median_ms"] = round(statistics.median(cpu) * 1000, 2)
    return result


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def timed_loop(
    run, *, warmup: int, repeat: int, budget: float, cold: float | None = None
) -> tuple[list[float], list[float], float]:
    """Times `run()` `repeat` times after `warmup` calls; stops early (at least 3) past budget.

    The first call is the cold one (reported apart). A call slower than half the budget is
    only repeated twice more, so a page of many seconds still ends in bounded time.
    """
    if cold is None:  # else the caller made the cold call already
        first = time.perf_counter()
        run()
        cold = time.perf_counter() - first
    slow = cold > budget / 2
    for _ in range(0 if slow else max(0, warmup - 1)):
        run()
    times: list[float] = []
    cpu: list[float] = []
    started = time.perf_counter()
    least = 2 if slow else 3
    while len(times) < repeat:
        t0, c0 = time.perf_counter(), time.process_time()
        run()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        if len(times) >= least and time.perf_counter() - started > budget:
            break
    return times, cpu, cold


class Measurement(dict):
    """One page's figures: JSON as the worker prints it, and readable as attributes
    (`result.median_ms`) where Python code uses it in-process (bench/pages.py, tests)."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def measure(
    path: str, *, repeat: int = 20, warmup: int = 2, budget: float = 15.0, client=None
) -> Measurement:
    """Server time, queries, bytes and status of GET `path` (Django test client, in-process).

    The first request runs with the cache emptied (what the first visitor after a data change
    waits for); then `warmup` untimed and up to `repeat` timed requests (median, p95, CPU).
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = client or Client()
    status: list[int] = []
    size: list[int] = []

    def run():
        response = client.get(path)
        body = _body(response)
        status.append(response.status_code)
        size.append(len(body))

    # The first request runs every query the page needs (later ones may hit the cache): its
    # slowest statement is the page's main query, the floor.
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as first:
        t0 = time.perf_counter()
        run()
        first_ms = (time.perf_counter() - t0) * 1000
    # Read now: each request empties the connection's query log (request_started), so read
    # after the timed requests this would be the last request's queries.
    queries = [{"sql": q["sql"], "ms": float(q["time"]) * 1000} for q in first.captured_queries]
    times, cpu, _cold = timed_loop(
        run, warmup=warmup, repeat=repeat, budget=budget, cold=first_ms / 1000
    )
    with CaptureQueriesContext(connection) as captured:
        run()
    warm = [float(q["time"]) * 1000 for q in captured.captured_queries]
    return Measurement(
        path=path,
        status=status[-1],
        bytes=size[-1],
        cold_ms=round(first_ms, 2),
        **summary(times, cpu),
        queries=len(warm),
        query_ms=round(sum(warm), 2),
        cold_queries=len(queries),
        slowest_sql=max(queries, key=lambda q: q["ms"])["sql"] if queries else None,
        **after_edit(run),
    )


def after_edit(run) -> dict:
    """The first request after an edit, and how long until the page shows it.

    The edit is the generation's bump that a save's commit makes (no row is written, so the
    benchmark database stays as built). The first request then gets the previous figures
    while a background thread rebuilds them (`deals.pages.cache`); `refresh_ms` is the time
    from the edit until that rebuild is done, `fresh_ms` the next request's time.
    """
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from deals.pages import cache as caching

    edited = time.perf_counter()
    caching.bump_generation()
    # The request empties the query log when it starts: captured from an empty log, its
    # queries are the slice the capture reads.
    reset_queries()
    with CaptureQueriesContext(connection) as first:
        t0 = time.perf_counter()
        run()
        first_ms = (time.perf_counter() - t0) * 1000
    first_queries = len(first.captured_queries)  # a slice of the log the next request empties
    caching.wait_for_refreshes()
    refresh_ms = (time.perf_counter() - edited) * 1000
    t0 = time.perf_counter()
    run()
    return {
        "after_edit_ms": round(first_ms, 2),
        "after_edit_queries": first_queries,
        "refresh_ms": round(refresh_ms, 2),
        "fresh_ms": round((time.perf_counter() - t0) * 1000, 2),
    }


def warm_timings() -> dict:
    """`manage.py warm_cache`'s work on this database: seconds per part and in all."""
    from django.core.cache import cache

    from deals.pages import warm

    cache.clear()
    started = time.perf_counter()
    parts = warm.warm()
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "parts": {f"{part} ({language})": round(seconds, 2) for part, language, seconds in parts},
    }


_DECLARE = re.compile(r"^\s*DECLARE\s+\S+\s+.*?\bCURSOR\b.*?\bFOR\s+", re.I | re.S)


def floor(sql: str, *, repeat: int = 20, warmup: int = 2, budget: float = 15.0) -> dict:
    """The time of one SQL statement alone: raw cursor, all rows fetched.

    A streamed page's query was declared as a named server-side cursor on PostgreSQL; the
    floor runs its SELECT (a second DECLARE of the same name would fail).
    """
    from django.db import connection

    sql = _DECLARE.sub("", sql, count=1)

    rows = []

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql)
            rows[:] = [len(cursor.fetchall()) if cursor.description else 0]

    times, cpu, cold = timed_loop(run, warmup=warmup, repeat=repeat, budget=budget)
    return {"rows": rows[0], "cold_ms": round(cold * 1000, 2), **summary(times, cpu)}


@contextlib.contextmanager
def query_time_limit(seconds: float):
    """Stops any SQL statement that runs longer than `seconds` (an admin page can run for hours).

    PostgreSQL: statement_timeout. SQLite: a timer per statement that interrupts the connection.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = %s", [int(seconds * 1000)])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")
        return

    def interrupting(execute, sql, params, many, context):
        timer = threading.Timer(seconds, connection.connection.interrupt)
        timer.start()
        try:
            return execute(sql, params, many, context)
        finally:
            timer.cancel()

    connection.ensure_connection()
    with connection.execute_wrapper(interrupting):
        yield


def admin_client():
    """A test client signed in as the bench's superuser (made here, with a random password)."""
    import secrets

    from django.contrib.auth import get_user_model
    from django.test import Client

    user_model = get_user_model()
    user = user_model.objects.filter(username="bench-admin").first()
    if user is None:
        user = user_model.objects.create_superuser(
            "bench-admin", "bench@example.invalid", secrets.token_urlsafe(24)
        )
    client = Client()
    client.force_login(user)
    return client


def resolve(hub: str, tail: str) -> dict:
    """Ids and names the pages need: the hub, the tail company and the hub's newest deal."""
    from django.db.models import Q

    from companies.models import Company
    from deals.models import Deal

    hub_co, tail_co = Company.objects.get(slug=hub), Company.objects.get(slug=tail)
    deal = (
        Deal.objects.filter(Q(payer=hub_co) | Q(payee=hub_co), announced_on__isnull=False)
        .order_by("-announced_on", "-pk")
        .first()
    )
    return {
        "hub": hub,
        "hub_id": hub_co.pk,
        "hub_name": hub_co.name,
        "tail": tail,
        "tail_id": tail_co.pk,
        "tail_name": tail_co.name,
        "deal": deal.slug,
        "deal_id": deal.pk,
        "deals": Deal.objects.count(),
    }


def main(spec: dict) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealwatch.settings.prod")
    # No warming thread behind the measured requests (it would build every big page while a
    # timed request runs); `{"warm": true}` measures the warm itself.
    os.environ.setdefault("DEALWATCH_WARM", "0")
    import django

    django.setup()
    from django.db import connection

    if "resolve" in spec:
        return resolve(**spec["resolve"])
    if spec.get("warm"):
        return warm_timings()

    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    opts = {k: spec[k] for k in ("repeat", "warmup", "budget") if k in spec}
    result = measure(spec["path"], **opts)
    # Peak memory of a process that has served only this page (the floor and the admin
    # page below come after this reading).
    result["maxrss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    result["base_rss_mb"] = round(base_rss / 1024, 1)
    if spec.get("floor") and result["slowest_sql"]:
        result["floor"] = floor(result["slowest_sql"], **opts)
    if spec.get("admin_path"):
        limit = spec.get("admin_query_limit", 60)
        try:
            with query_time_limit(limit):
                result["admin"] = measure(spec["admin_path"], client=admin_client(), **opts)
            result["admin"].pop("slowest_sql", None)
        except Exception as error:  # noqa: BLE001 - any failure is reported, not fatal
            result["admin"] = {
                "error": f"stopped: a query ran over {limit} s",
                "exception": type(error).__name__,
            }
    result["vendor"] = connection.vendor
    return result


if __name__ == "__main__":
    print(json.dumps(main(json.loads(sys.argv[1]))))
