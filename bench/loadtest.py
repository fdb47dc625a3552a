"""`make loadtest`: wrk on loopback against gunicorn (PostgreSQL, 1M deals), then Datasette.

    python -m bench loadtest --size 1000000 --connections 64 --duration 60

DealWatch runs under gunicorn with production settings (two sync workers by default) on the
PostgreSQL benchmark database; wrk mixes the benchmarked pages round-robin (a Lua script).
Then the same against Datasette serving the largest SQLite benchmark file that exists (it
cannot serve PostgreSQL). Then the mixed runs (bench/mixed.py): the same readers while an
editor saves a deal every second through the admin, first on one gunicorn, then on two
(two "machines" sharing PostgreSQL and Redis: edits through one, reads through the other).
Every server listens on 127.0.0.1 only; each wrk run lasts --duration seconds and every
server is stopped afterwards. The throttle of expensive pages is off: every reader comes from
one address here. Results: bench-data/loadtest-results.json and the load-test section of
docs/benchmarks.md.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from . import build, httpbench, mixed, report
from .build import DATA, ROOT
from .run import machine, pages, worker

PORT_GUNICORN = 8321
PORT_DATASETTE = 8322
PORT_REDIS = 8323
PORT_SECOND_MACHINE = 8324
# Every reader comes from 127.0.0.1: the per-address throttle would answer most with 429.
NO_THROTTLE = {"DEALWATCH_THROTTLE_RATE": ""}
WRK_TIMEOUT = "30s"
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    log("installing wrk (apt-get) ...")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "update", "-q"], check=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [*sudo, "apt-get", "install", "-y", "-q", "wrk"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    return shutil.which("wrk") or "wrk"


def lua_script(urls: list[str]) -> str:
    quoted = ", ".join(json.dumps(u) for u in urls)
    return (
        f"local paths = {{{quoted}}}\n"
        "local i = math.random(#paths)\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i])\n'
        "end\n"
    )


def _to_ms(text: str) -> float:
    match = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"unreadable wrk time {text!r}")
    return float(match[1]) * _UNITS[match[2]]


def parse_wrk(output: str) -> dict:
    """requests/s, p50/p99 latency, request count and errors from `wrk --latency` output."""
    percent = dict(re.findall(r"^\s+(50|99)(?:\.0+)?%\s+(\S+)\s*$", output, re.MULTILINE))
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([0-9.]+)", output)[1]),
        "p50_ms": _to_ms(percent["50"]),
        "p99_ms": _to_ms(percent["99"]),
        "requests": int(re.search(r"(\d+) requests in", output)[1]),
        "non_2xx_3xx": int(non2xx[1]) if non2xx else 0,
        "socket_errors": sum(int(n) for n in socket.groups()) if socket else 0,
        "socket_detail": socket[0] if socket else "none",
    }


def drive(wrk: str, port: int, urls: list[str], opts, during=None) -> dict:
    """wrk's result for `urls` on `port`; `during()`, if given, runs while wrk does."""
    for url in urls:  # warm-up: every URL once, and a failing one stops the run early
        status, _size = httpbench.get(port, url)
        if status >= 400:
            return {"error": f"{url} answered HTTP {status} before the load"}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_script(urls))
    argv = [
        wrk,
        f"-t{opts.threads}",
        f"-c{opts.connections}",
        f"-d{opts.duration}s",
        f"--timeout={WRK_TIMEOUT}",
        "--latency",
        "-s", script.name,
        f"http://{httpbench.HOST}:{port}",
    ]  # fmt: skip
    log("  " + " ".join(argv))
    try:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
        beside = during() if during else None
        out, err = proc.communicate(timeout=opts.duration + 120)
        if proc.returncode:
            raise RuntimeError(f"wrk failed: {err.strip()}")
    finally:
        Path(script.name).unlink(missing_ok=True)
    (DATA / f"wrk-{port}.txt").write_text(out)
    return parse_wrk(out) | ({"edits": beside} if during else {})


def mixed_runs(pg, urls: list[str], wrk: str, cache_env: dict, opts) -> list[dict]:
    """The readers of the page mix while an editor saves a deal each second: on one gunicorn,
    then on two sharing PostgreSQL and Redis (edits through the first, reads through the
    second). Each result has wrk's figures and the edits' (`bench/mixed.py`)."""
    password, deal = mixed.prepare(pg.url)
    log(f"mixed runs: the editor saves deal {deal['slug']} every second")
    editing = opts.duration - 3  # the last save's poll ends within wrk's run
    env = {**cache_env, **NO_THROTTLE}
    runs = []
    # With Redis, production runs one refresher process beside the servers (README): it
    # rebuilds the big pages after each edit, so the servers never do.
    refresher = (
        httpbench.Refresher(pg.url, DATA / "refresher.log", **env)
        if cache_env
        else contextlib.nullcontext()
    )
    one = httpbench.gunicorn(
        pg.url, PORT_GUNICORN, workers=opts.workers, log_path=DATA / "servers.log", **env
    )
    with refresher, one:
        result = drive(
            wrk,
            PORT_GUNICORN,
            urls,
            opts,
            lambda: mixed.edit_every_second(PORT_GUNICORN, PORT_GUNICORN, deal, password, editing),
        )
    runs.append({"name": f"one gunicorn ({opts.workers} workers)", "result": result})
    two = httpbench.gunicorn(
        pg.url, PORT_SECOND_MACHINE, workers=opts.workers, log_path=DATA / "servers.log", **env
    )
    one = httpbench.gunicorn(
        pg.url, PORT_GUNICORN, workers=opts.workers, log_path=DATA / "servers.log", **env
    )
    with refresher, one, two:
        result = drive(
            wrk,
            PORT_SECOND_MACHINE,
            urls,
            opts,
            lambda: mixed.edit_every_second(
                PORT_GUNICORN, PORT_SECOND_MACHINE, deal, password, editing
            ),
        )
    runs.append(
        {
            "name": f"two gunicorns ({opts.workers} workers each), edits via one, reads via other",
            "result": result,
        }
    )
    return runs


def redis_server(binary: str) -> httpbench.Server:
    """A throw-away Redis on loopback for the production cache: no persistence."""
    argv = [binary, "--port", str(PORT_REDIS), "--bind", httpbench.HOST, "--save", ""]
    return httpbench.Server(argv + ["--appendonly", "no"], PORT_REDIS, None, DATA / "redis.log")


def worker_peak_rss_mb(master_pid: int) -> list[float]:
    """VmHWM (peak resident memory) of each child of the gunicorn master, in MB."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    peaks = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        if match:
            peaks.append(round(int(match[1]) / 1024, 1))
    return peaks


def run(opts) -> dict:
    opts.threads = min(opts.connections, max(2, os.cpu_count() or 2))
    wrk = ensure_wrk()
    httpbench.ensure_datasette(log)
    log(f"PostgreSQL {opts.size:,} deals")
    pg = build.ensure("postgresql", opts.size, opts.companies, opts.seed, log=log)
    ds_file = None
    for size in sorted({opts.datasette_size or opts.size, 1_000_000, 100_000}, reverse=True):
        candidate = build.BenchDB("sqlite", size, opts.companies, opts.seed, {})
        if candidate.sqlite_path.exists() and (
            opts.datasette_size is None or size == opts.datasette_size
        ):
            ds_file = build.ensure("sqlite", size, opts.companies, opts.seed, log=log)
            break
    subprocess.run(  # noqa: S603
        [str(build.PYTHON), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=httpbench.django_env(pg.url),
        check=True,
    )
    results = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "load_before": os.getloadavg(),
        "connections": opts.connections,
        "threads": opts.threads,
        "duration_s": opts.duration,
        "targets": [],
        "notes": [],
    }
    ids = worker(pg.url, {"resolve": {"hub": pg.hub, "tail": pg.tail}})
    # The hub's full export (tens of thousands of rows) is measured by `make bench`; under load
    # the mix exports the tail company's deals instead, like a reader downloading one company.
    urls = [p["path"] for p in pages(ids, "unused", export_of="tail")]
    target = {
        "name": f"DealWatch, gunicorn {opts.workers} sync workers",
        "data": f"PostgreSQL, {ids['deals']:,} deals",
        "urls": urls,
    }
    redis = None if opts.redis_url else shutil.which("redis-server")
    cache_env = {"REDIS_URL": f"redis://{httpbench.HOST}:{PORT_REDIS}/0"} if redis else {}
    if opts.redis_url:  # a Redis already running (kept warm between runs)
        cache_env = {"REDIS_URL": opts.redis_url}
    target["cache"] = "Redis" if cache_env else "local memory (no redis-server found)"
    target["name"] += f", {target['cache']} cache"
    log(f"gunicorn -w {opts.workers} on {pg.pg_name}, cache: {target['cache']}")
    server = httpbench.gunicorn(
        pg.url,
        PORT_GUNICORN,
        workers=opts.workers,
        log_path=DATA / "servers.log",
        **cache_env,
        **NO_THROTTLE,
    )
    earlier = report.load_json(DATA / "loadtest-results.json") or {}
    with contextlib.ExitStack() as stack:
        if redis:
            stack.enter_context(redis_server(redis))
        if not opts.mixed_only:
            with server:
                target["result"] = drive(wrk, PORT_GUNICORN, urls, opts)
                target["worker_peak_rss_mb"] = worker_peak_rss_mb(server.proc.pid)
        if not opts.no_mixed:
            results["mixed"] = mixed_runs(pg, urls, wrk, cache_env, opts)
            results["mixed_urls"] = urls
    if opts.mixed_only:  # the read-only and Datasette runs of the last full run are kept
        for key in ("targets", "notes", "connections", "threads", "duration_s"):
            results[key] = earlier.get(key, results[key])
        results["mixed_date"], results["date"] = results["date"], earlier.get("date", "")
        ds_file = None
    else:
        results["targets"].append(target)
    if ds_file:
        ds_ids = worker(ds_file.url, {"resolve": {"hub": ds_file.hub, "tail": ds_file.tail}})
        name = ds_file.sqlite_path.stem
        ds_urls = [p["datasette"] for p in pages(ds_ids, name, "tail") if p["datasette"]]
        ds_target = {
            "name": "Datasette 0.65.5 (1 process)",
            "data": f"SQLite, {ds_ids['deals']:,} deals",
            "urls": ds_urls,
        }
        log(f"Datasette on {ds_file.sqlite_path.name}")
        with httpbench.datasette(ds_file.sqlite_path, PORT_DATASETTE):
            ds_target["result"] = drive(wrk, PORT_DATASETTE, ds_urls, opts)
        results["targets"].append(ds_target)
        if ds_ids["deals"] != ids["deals"]:
            results["notes"].append(
                f"Datasette cannot serve PostgreSQL: it served the SQLite file of "
                f"{ds_ids['deals']:,} deals (the largest built), not the {ids['deals']:,} of the "
                f"PostgreSQL database."
            )
        else:
            results["notes"].append(
                "Datasette cannot serve PostgreSQL: it served the SQLite file built from the "
                "same arguments (same deals, companies and ids)."
            )
    elif not opts.mixed_only:
        results["notes"].append("No SQLite benchmark file was built, so Datasette did not run.")
    if not opts.mixed_only:
        results["notes"].append(
            "Pages without a Datasette equivalent (overview, graph) are in DealWatch's mix "
            f"only. wrk's timeout is {WRK_TIMEOUT}; a slower answer counts as a socket error. "
            "Peak RSS of the gunicorn workers after the run: "
            + ", ".join(f"{mb:,.0f} MB" for mb in target.get("worker_peak_rss_mb", []))
            + "."
        )
    results["load_after"] = os.getloadavg()
    (DATA / "loadtest-results.json").write_text(json.dumps(results, indent=1))
    report.write(report.load_json(DATA / "bench-results.json"), results)
    log(f"done: {report.DOC}")
    return results
