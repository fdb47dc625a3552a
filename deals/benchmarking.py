"""Measure a page in-process: server time, SQL queries and response size.

    from deals.benchmarking import measure, pages_for, format_table
    result = measure("/deals/", repeat=10)         # one page
    results = [measure(path) for path in pages_for()]  # every page, real slugs from the DB
    print(format_table(results))

`measure` uses Django's test client against the configured database (no web server, no
network): first a **cold** request with Django's cache emptied (what the first visitor after a
data change waits for), then `warmup` untimed requests, then `repeat` timed ones whose median
and 95th percentile are reported. Queries are counted on every timed request (the largest
count is kept, so a page whose count changes between requests shows it). Streaming responses
are read to the end, so an export's time includes writing every byte.

`python manage.py shell -c "from deals.benchmarking import main; main()"` prints the table
for every page; `main(["/graph/"], repeat=5)` for some.
"""

import json
import statistics
import time
import tracemalloc
from dataclasses import asdict, dataclass

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


@dataclass(frozen=True)
class Measurement:
    path: str
    status: int
    cold_ms: float  # the first request, with the cache emptied
    median_ms: float  # of `repeat` warm requests
    p95_ms: float
    queries: int  # per warm request (the most seen)
    cold_queries: int
    bytes: int  # body size of the response
    cpu_ms: float = 0.0  # median CPU time of this process per warm request (no DB server time)
    peak_mb: float | None = None  # Python allocations at the peak of one request (tracemalloc)

    def as_dict(self) -> dict:
        return asdict(self)


def _read(response) -> int:
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def _one(client: Client, path: str) -> tuple[float, int, int, int, float]:
    with CaptureQueriesContext(connection) as queries:
        start, cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        size = _read(response)
        elapsed = (time.perf_counter() - start) * 1000
        cpu_ms = (time.process_time() - cpu) * 1000
    return elapsed, len(queries.captured_queries), size, response.status_code, cpu_ms


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def measure(
    path: str,
    repeat: int = 10,
    *,
    warmup: int = 1,
    cold: bool = True,
    memory: bool = False,
    client: Client | None = None,
) -> Measurement:
    """Time `path` (e.g. "/deals/?company=openai"): cold once, then `repeat` warm requests.

    `cold=False` skips emptying the cache (the cold figures then repeat the first request);
    `memory=True` adds one request under tracemalloc and reports its peak in MB (slower).
    """
    client = client or Client(HTTP_HOST="localhost")
    if cold:
        cache.clear()
    cold_ms, cold_queries, size, status, _cpu = _one(client, path)
    for _ in range(warmup):
        _one(client, path)
    times, counts, cpu_times = [], [], []
    for _ in range(max(1, repeat)):
        elapsed, count, size, status, cpu_ms = _one(client, path)
        times.append(elapsed)
        counts.append(count)
        cpu_times.append(cpu_ms)
    peak = None
    if memory:
        tracemalloc.start()
        try:
            _read(client.get(path))
            peak = tracemalloc.get_traced_memory()[1] / 2**20
        finally:
            tracemalloc.stop()
    return Measurement(
        path=path,
        status=status,
        cold_ms=round(cold_ms, 1),
        median_ms=round(statistics.median(times), 1),
        p95_ms=round(_percentile(times, 0.95), 1),
        queries=max(counts),
        cold_queries=cold_queries,
        bytes=size,
        peak_mb=None if peak is None else round(peak, 1),
        cpu_ms=round(statistics.median(cpu_times), 1),
    )


def pages_for() -> list[str]:
    """Every page worth measuring, with real ids: the company in the most deals (hub), one in
    the fewest (tail), the hub's latest deal and an article citing it."""
    from django.db.models import Count

    from companies.models import Company

    from .models import Article, Deal

    paid = dict(
        Deal.objects.order_by().values_list("payer").annotate(n=Count("pk")).order_by("-n")[:50]
    )
    received = dict(
        Deal.objects.order_by().values_list("payee").annotate(n=Count("pk")).order_by("-n")[:50]
    )
    totals = {pk: paid.get(pk, 0) + received.get(pk, 0) for pk in {*paid, *received}}
    hub = Company.objects.filter(pk=max(totals, key=totals.get)).first() if totals else None
    tail = (
        Company.objects.filter(deals_paid__isnull=False)
        .order_by("-pk")
        .exclude(pk=getattr(hub, "pk", None))
        .first()
    )
    deal = Deal.objects.order_by("-pk").first()
    article = Article.objects.order_by("-pk").first()
    paths = ["/", "/deals/"]
    if hub:
        paths += [f"/deals/?company={hub.slug}", f"/companies/{hub.slug}/"]
    if tail:
        paths += [f"/deals/?company={tail.slug}"]
    paths += ["/graph/"]
    if hub:
        paths += [f"/graph/?company={hub.slug}"]
    if deal:
        paths += [f"/deals/{deal.slug}/"]
    paths += ["/companies/", "/companies/?sort=deals"]
    if article:
        paths += [f"/articles/{article.slug}/"]
    paths += ["/search/?q=lab", "/export/deals.json", "/export/deals.csv"]
    if hub:
        paths += [f"/export/deals.json?company={hub.slug}"]
    return paths


def format_table(results: list[Measurement]) -> str:
    header = "| page | status | cold ms | median ms | p95 ms | CPU ms | queries (cold) | KB |"
    lines = [header, "|---|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(
            f"| `{r.path}` | {r.status} | {r.cold_ms:.0f} | {r.median_ms:.0f} | {r.p95_ms:.0f} "
            f"| {r.cpu_ms:.0f} | {r.queries} ({r.cold_queries}) | {r.bytes / 1024:.0f} |"
        )
    return "\n".join(lines)


def main(paths: list[str] | None = None, repeat: int = 10, as_json: bool = False) -> None:
    results = [measure(path, repeat) for path in (paths or pages_for())]
    if as_json:
        print(json.dumps([r.as_dict() for r in results], indent=2))
    else:
        print(format_table(results))
