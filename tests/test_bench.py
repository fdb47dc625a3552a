"""The benchmark harness (bench/): its measurements, the URLs it compares, wrk parsing, report."""

import pytest

from bench import loadtest, report, run, worker

WRK_OUTPUT = """Running 1m test @ http://127.0.0.1:8321
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   310.12ms  120.55ms   1.90s    71.20%
    Req/Sec   104.33     30.12   190.00     68.00%
  Latency Distribution
     50%  290.50ms
     75%  380.00ms
     90%  470.10ms
     99%    1.20s
  12480 requests in 1.00m, 410.22MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:    207.85
Transfer/sec:      6.83MB
""".replace("ms\n", "ms \n")  # wrk pads its latency lines with a trailing space


def test_parse_wrk_reads_rate_percentiles_and_errors():
    parsed = loadtest.parse_wrk(WRK_OUTPUT)
    assert parsed["rps"] == 207.85
    assert parsed["p50_ms"] == 290.5
    assert parsed["p99_ms"] == 1200.0
    assert parsed["requests"] == 12480
    assert parsed["non_2xx_3xx"] == 7
    assert parsed["socket_errors"] == 5


def test_parse_wrk_without_errors_counts_zero():
    clean = WRK_OUTPUT.replace("  Socket errors: connect 0, read 2, write 0, timeout 3\n", "")
    clean = clean.replace("  Non-2xx or 3xx responses: 7\n", "")
    parsed = loadtest.parse_wrk(clean)
    assert (parsed["non_2xx_3xx"], parsed["socket_errors"]) == (0, 0)


def test_lua_script_cycles_through_every_url():
    script = loadtest.lua_script(["/", "/deals/?company=a"])
    assert 'local paths = {"/", "/deals/?company=a"}' in script
    assert "wrk.format" in script


class FakeClock:
    """perf_counter/process_time that move only when a measured call says so."""

    def __init__(self):
        self.now = 0.0

    def perf_counter(self):
        return self.now

    def process_time(self):
        return self.now / 2


def test_timed_loop_stops_at_the_budget_but_times_at_least_three(monkeypatch):
    clock, calls = FakeClock(), []
    monkeypatch.setattr(worker, "time", clock)

    def run():
        calls.append(1)
        clock.now += 1.0

    times, cpu, cold = worker.timed_loop(run, warmup=2, repeat=1000, budget=4.5)
    assert cold == 1.0
    assert times == [1.0] * 5  # the fifth ends past 4.5 s of timing
    assert cpu == [0.5] * 5
    assert len(calls) == 1 + 1 + 5  # cold, one more warm-up, the timed ones


def test_timed_loop_needs_three_even_when_the_budget_is_spent(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(worker, "time", clock)
    times, _cpu, _cold = worker.timed_loop(
        lambda: setattr(clock, "now", clock.now + 1.0), warmup=1, repeat=100, budget=2.5
    )
    assert len(times) == 3


def test_timed_loop_repeats_a_slow_page_only_twice(monkeypatch):
    clock, calls = FakeClock(), []
    monkeypatch.setattr(worker, "time", clock)

    def run():
        calls.append(1)
        clock.now += 10.0

    times, _cpu, cold = worker.timed_loop(run, warmup=5, repeat=1000, budget=8.0)
    assert cold == 10.0
    assert len(times) == 2
    assert len(calls) == 3  # no warm-up beyond the cold call


def test_percentile():
    assert worker.percentile([5, 1, 3, 2, 4], 0.5) == 3
    assert worker.percentile([float(n) for n in range(1, 101)], 0.95) == 95.0


@pytest.fixture
def ids():
    return {
        "hub": "syn-co-00001",
        "hub_id": 1,
        "hub_name": "Kylenvo Compute",
        "tail": "syn-co-04998",
        "tail_id": 4998,
        "tail_name": "Roven Labs",
        "deal": "syn-deal-0004751",
        "deal_id": 4751,
        "deals": 10000,
    }


def test_datasette_equivalent_of_a_company_timeline_is_the_same_filter(ids):
    by_page = {p["page"]: p for p in run.pages(ids, "bench")}
    hub = by_page["Timeline, hub company"]
    assert hub["path"] == "/deals/?company=syn-co-00001"
    assert hub["datasette"] == (
        "/bench/deals_deal?_sort_desc=announced_on&_size=50"
        "&_where=%28payer_id%20%3D%201%20or%20payee_id%20%3D%201%29"
    )
    assert hub["admin"] == "/admin/deals/deal/?q=Kylenvo+Compute&o=-5"
    assert by_page["Overview `/`"]["datasette"] is None


def test_the_api_is_measured_beside_datasettes_json_for_the_same_filter_and_page(ids):
    from urllib.parse import parse_qs, urlsplit

    from api.paging import DEFAULT_LIMIT

    by_page = {p["page"]: p for p in run.pages(ids, "bench")}
    api = by_page["API deals, hub company"]
    assert api["path"] == "/api/v1/deals/?company=syn-co-00001"
    datasette = urlsplit(api["datasette"])
    assert datasette.path == "/bench/deals_deal.json"
    # The same filter and order as the hub's timeline row, and as many rows as the API's page.
    timeline = parse_qs(urlsplit(by_page["Timeline, hub company"]["datasette"]).query)
    query = parse_qs(datasette.query)
    assert query == {**timeline, "_size": [str(DEFAULT_LIMIT)], "_shape": ["objects"]}
    assert query["_where"] == ["(payer_id = 1 or payee_id = 1)"]


@pytest.mark.django_db
def test_the_quick_page_list_has_the_api_beside_the_timeline(seeded):
    from bench.pages import pages_for

    paths = pages_for()
    hub_timeline = next(path for path in paths if path.startswith("/deals/?company="))
    assert hub_timeline.replace("/deals/", "/api/v1/deals/") in paths


@pytest.mark.django_db
def test_measure_serves_the_page_and_counts_its_queries(seeded):
    result = worker.measure("/deals/?company=anthropic", repeat=3, warmup=1, budget=5)
    assert result["status"] == 200
    assert result["n"] == 3
    assert result["queries"] > 0
    # On PostgreSQL the slowest may be a server-side cursor's DECLARE ... FOR SELECT.
    statement = worker._DECLARE.sub("", result["slowest_sql"]).lstrip().upper()
    assert statement.startswith(("SELECT", "WITH"))
    assert result["bytes"] > 1000
    alone = worker.floor(result["slowest_sql"], repeat=3, warmup=1, budget=5)
    assert alone["rows"] >= 1


@pytest.mark.django_db
def test_measure_reports_the_cold_requests_own_queries(seeded):
    # The overview is cached: its cold request computes every aggregate, the warm ones do not.
    result = worker.measure("/", repeat=3, warmup=1, budget=5)
    assert result["cold_queries"] > result["queries"]


def test_report_shows_ratios_and_marks_missing_equivalents(tmp_path, monkeypatch, ids):
    monkeypatch.setattr(report, "DOC", tmp_path / "benchmarks.md")
    timing = {"median_ms": 20.0, "p95_ms": 30.0, "status": 200}
    row = {
        "page": "Timeline, hub company",
        "path": "/deals/?company=syn-co-00001",
        "admin": "/admin/deals/deal/?q=x",
        "datasette": "/bench/deals_deal?x",
        "dealwatch": {
            **timing,
            "cpu_median_ms": 15.0,
            "queries": 8,
            "bytes": 204800,
            "maxrss_mb": 130.0,
            "floor": {"median_ms": 5.0, "p95_ms": 6.0},
            "admin": {"median_ms": 80.0, "p95_ms": 90.0, "status": 200, "queries": 6},
        },
        "dealwatch_http": {"median_ms": 25.0, "p95_ms": 35.0, "status": 200},
        "datasette_http": {"median_ms": 50.0, "p95_ms": 60.0, "status": 200},
    }
    graph = {"page": "Graph", "path": "/graph/", "admin": None, "datasette": None}
    graph["dealwatch"] = {**row["dealwatch"], "admin": None}
    results = {
        "date": "2026-11-22 09:00 UTC",
        "machine": {"nproc": 2, "ram_gb": 23.4, "commit": "abc1234"},
        "load_before": [1.0, 1.0, 1.0],
        "load_after": [2.0, 2.0, 2.0],
        "settings": {"repeat": 15, "warmup": 2, "budget_s": 8.0, "companies": 5000, "seed": 42},
        "seconds": 600,
        "databases": [
            {"database": "SQLite 10k", "vendor": "sqlite", "ids": ids, "rows": [row, graph]}
        ],
    }
    report.write(results, None)
    text = report.DOC.read_text()
    line = next(x for x in text.splitlines() if x.startswith("| Timeline, hub company"))
    assert "| 20.0 / 30.0 |" in line
    assert "| 4.0× |" in line  # DealWatch / floor
    assert "| 0.2× |" in line  # DealWatch / admin (20 / 80 = 0.25)
    assert line.endswith("| 0.5× |")  # DealWatch HTTP / Datasette HTTP
    graph_line = next(x for x in text.splitlines() if x.startswith("| Graph"))
    assert graph_line.count("no equivalent") == 2
    assert "Not run yet" in text


def test_floor_of_a_streamed_query_runs_its_select():
    declared = 'DECLARE "_django_curs_1_sync_13" NO SCROLL CURSOR WITH HOLD FOR SELECT "a" FROM b'
    assert worker._DECLARE.sub("", declared, count=1) == 'SELECT "a" FROM b'
    assert worker._DECLARE.sub("", "SELECT 1", count=1) == "SELECT 1"
