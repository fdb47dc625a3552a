"""`make bench`: every page on every benchmark database, beside Datasette, the admin and the floor.

    python -m bench run --sizes 10000,100000,1000000

For each database (SQLite up to --sqlite-max deals, PostgreSQL from --pg-min deals) and each
page: DealWatch in-process (server time median/p95, CPU time, queries, bytes, peak worker
RSS), the page's slowest SQL statement alone (the floor), the Django admin's equivalent page,
and on SQLite, over HTTP on loopback, DealWatch under gunicorn (1 worker) beside Datasette
serving the same file. Results go to bench-data/bench-results.json and docs/benchmarks.md.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from urllib.parse import quote, urlencode

from . import build, httpbench, report
from .build import DATA, PYTHON, ROOT

PORT_GUNICORN = 8311
PORT_DATASETTE = 8312
# Deals per page: the timeline's and the API's (api.paging.DEFAULT_LIMIT), so that Datasette
# is asked for as many rows as DealWatch sends.
PAGE_SIZE = 50


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def pages(ids: dict, db_name: str, export_of: str = "hub") -> list[dict]:
    """The pages measured, with the admin's and Datasette's equivalent (None when there is none).

    `export_of` picks whose deals the export holds: "hub" (many) or "tail" (a few).
    """
    hub, tail = ids["hub"], ids["tail"]

    def ds_deals(company_id=None, fmt="", **extra):
        params = {"_sort_desc": "announced_on", "_size": str(PAGE_SIZE), **extra}
        if company_id is not None:
            # In parentheses: Datasette appends its own conditions (next page) with AND.
            params["_where"] = f"(payer_id = {company_id} or payee_id = {company_id})"
        return f"/{db_name}/deals_deal{fmt}?{urlencode(params, quote_via=quote)}"

    # The change list numbers its columns from 1 after the action checkbox: 5 is announced_on,
    # so -5 is newest first, like the timeline (its header links say so).
    admin_by_date = "o=-5"
    return [
        {"page": "Overview `/`", "path": "/", "admin": None, "datasette": None},
        {
            "page": "Timeline `/deals/`",
            "path": "/deals/",
            "admin": f"/admin/deals/deal/?{admin_by_date}",
            "datasette": ds_deals(),
        },
        {
            "page": "Timeline, hub company",
            "path": f"/deals/?company={hub}",
            "admin": f"/admin/deals/deal/?{urlencode({'q': ids['hub_name']})}&{admin_by_date}",
            "datasette": ds_deals(ids["hub_id"]),
        },
        {
            "page": "Timeline, tail company",
            "path": f"/deals/?company={tail}",
            "admin": f"/admin/deals/deal/?{urlencode({'q': ids['tail_name']})}&{admin_by_date}",
            "datasette": ds_deals(ids["tail_id"]),
        },
        {"page": "Graph `/graph/`", "path": "/graph/", "admin": None, "datasette": None},
        {
            "page": "Company page, hub",
            "path": f"/companies/{hub}/",
            "admin": f"/admin/companies/company/{ids['hub_id']}/change/",
            "datasette": f"/{db_name}/companies_company/{ids['hub_id']}",
        },
        {
            "page": "Deal page",
            "path": f"/deals/{ids['deal']}/",
            "admin": f"/admin/deals/deal/{ids['deal_id']}/change/",
            "datasette": f"/{db_name}/deals_deal/{ids['deal_id']}",
        },
        {
            # One page of JSON objects from each: the API's first page, Datasette's table JSON.
            "page": "API deals, hub company",
            "path": f"/api/v1/deals/?company={hub}",
            "admin": None,
            "datasette": ds_deals(ids["hub_id"], ".json", _shape="objects"),
        },
        {
            # The synthetic data name no site: this measures the list's cost beside a million
            # deals (its per-site sums), not many sites.
            "page": "Data centres `/data-centres/`",
            "path": "/data-centres/",
            "admin": "/admin/deals/datacenterproject/",
            "datasette": f"/{db_name}/deals_datacenterproject?_size=50",
        },
        {
            "page": f"Export CSV, {export_of} company's deals",
            "path": f"/export/deals.csv?company={ids[export_of]}",
            "admin": None,
            "datasette": ds_deals(ids[f"{export_of}_id"], ".csv", _stream="on", _size="max"),
        },
    ]


def worker(url: str, spec: dict) -> dict:
    """Runs bench.worker in a fresh process on `url`; its JSON line, or an error record."""
    env = httpbench.django_env(url)
    proc = subprocess.run(  # noqa: S603
        [str(PYTHON), "-m", "bench.worker", json.dumps(spec)],
        cwd=ROOT,
        env=env,
        text=True,
        capture_output=True,
        timeout=1800,
    )
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "?"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def bench_database(db: build.BenchDB, opts, slot: int = 0) -> dict:
    ids = worker(db.url, {"resolve": {"hub": db.hub, "tail": db.tail}})
    if "error" in ids:
        raise RuntimeError(f"{db.name}: {ids['error']}")
    db_name = db.sqlite_path.stem
    timing = {"repeat": opts.repeat, "warmup": opts.warmup, "budget": opts.budget}
    rows = []
    # A hub's export at 1M deals is a quarter of a million deals (minutes per request): above
    # --hub-export-max the export measured is the tail company's.
    export_of = "hub" if db.size <= opts.hub_export_max else "tail"
    for page in pages(ids, db_name, export_of):
        log(f"    {db.name}: {page['page']}: {page['path']}")
        result = worker(
            db.url, {"path": page["path"], "floor": True, "admin_path": page["admin"], **timing}
        )
        rows.append({**page, "dealwatch": result})
    if db.vendor == "sqlite" and not opts.no_http:
        http_pages(db, rows, timing, port_offset=10 * slot)
    log(f"    {db.name}: warm_cache")
    warmed = worker(db.url, {"warm": True})
    return {
        "database": db.name,
        "vendor": db.vendor,
        "size": db.size,
        "ids": ids,
        "rows": rows,
        "warm": warmed,
    }


def http_pages(db: build.BenchDB, rows: list[dict], timing: dict, port_offset: int = 0) -> None:
    """Over loopback HTTP: DealWatch under gunicorn (1 worker), then Datasette, same file."""
    server_log = DATA / "servers.log"
    port = PORT_GUNICORN + port_offset
    log(f"    {db.name}: over HTTP: gunicorn, 1 worker")
    with httpbench.gunicorn(db.url, port, workers=1, log_path=server_log):
        for row in rows:
            row["dealwatch_http"] = httpbench.measure_http(port, row["path"], **timing)
    log(f"    {db.name}: over HTTP: Datasette")
    port = PORT_DATASETTE + port_offset
    with httpbench.datasette(db.sqlite_path, port, log_path=server_log):
        for row in rows:
            if row["datasette"]:
                row["datasette_http"] = httpbench.measure_http(port, row["datasette"], **timing)


def machine() -> dict:
    text = Path("/proc/meminfo").read_text()
    meminfo = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    ram_gb = int(meminfo["MemTotal"].split()[0]) / 1024 / 1024
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {"nproc": os.cpu_count(), "ram_gb": round(ram_gb, 1), "commit": commit}


def run(opts) -> dict:
    started = time.monotonic()
    httpbench.ensure_datasette(log)
    log("collectstatic (production settings use the manifest storage)")
    subprocess.run(  # noqa: S603
        [str(PYTHON), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=httpbench.django_env(f"sqlite:///{DATA / 'unused.sqlite3'}"),
        check=True,
    )
    results = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "load_before": os.getloadavg(),
        "settings": {
            "repeat": opts.repeat,
            "warmup": opts.warmup,
            "budget_s": opts.budget,
            "companies": opts.companies,
            "seed": opts.seed,
            "jobs": opts.jobs,
        },
        "databases": [],
    }
    databases = []
    for size in opts.sizes:
        if size <= opts.sqlite_max:
            databases.append(("sqlite", size))
        if size >= opts.pg_min:
            databases.append(("postgresql", size))
    built = []
    for vendor, size in databases:
        log(f"{vendor} {size:,} deals")
        built.append(build.ensure(vendor, size, opts.companies, opts.seed, log=log))
    # --jobs > 1 measures several databases at once (each page still in its own process):
    # quicker, but they compete for the CPUs; the CPU-time column is the fair one then.
    out = DATA / "bench-results.json"
    with ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
        futures = [pool.submit(bench_database, db, opts, slot) for slot, db in enumerate(built)]
        for future in as_completed(futures):
            # Each database's results are written as soon as it is done: a run stopped
            # halfway (a slow machine, a deadline) keeps what it measured.
            future.result()
            results["databases"] = [f.result() for f in futures if f.done()]
            _write(results, started, out)
        results["databases"] = [future.result() for future in futures]
    _write(results, started, out)
    log(f"done in {results['seconds']} s: {out}, {report.DOC}")
    return results


def _write(results: dict, started: float, out: Path) -> None:
    results["load_after"] = os.getloadavg()
    results["seconds"] = round(time.monotonic() - started)
    out.write_text(json.dumps(results, indent=1))
    report.write(results, loadtest=report.load_json(DATA / "loadtest-results.json"))
