"""docs/benchmarks.md from the JSON results of `make bench` and `make loadtest`."""

from __future__ import annotations

import json
from pathlib import Path

from .build import ROOT

DOC = ROOT / "docs" / "benchmarks.md"


def load_json(path: Path) -> dict | None:
    return json.loads(path.read_text()) if path.exists() else None


def _ms(value) -> str:
    if value is None:
        return "–"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _ratio(a, b) -> str:
    if a is None or b in (None, 0):
        return "–"
    ratio = a / b
    if ratio < 0.1:
        return f"{ratio:.2g}×"
    return f"{ratio:.1f}×" if ratio < 100 else f"{ratio:,.0f}×"


def _get(result: dict | None, key: str):
    if not result or "error" in result:
        return None
    return result.get(key)


def _timing(result: dict | None) -> str:
    if not result:
        return "–"
    if "error" in result:
        return f"error: {result['error'][:60]}"
    text = f"{_ms(result['median_ms'])} / {_ms(result['p95_ms'])}"
    if result.get("status") not in (200, None):
        text += f" (HTTP {result['status']})"
    return text


def _cold(result: dict) -> str:
    """The first request of a fresh worker with an empty cache, and its queries."""
    if result.get("cold_ms") is None:
        return "–"
    queries = result.get("cold_queries")
    return _ms(result["cold_ms"]) + (f" ({queries})" if queries is not None else "")


def _after_edit(result: dict) -> str:
    """The first request after an edit (its queries), then when the page shows the edit."""
    if result.get("after_edit_ms") is None:
        return "–"
    return (
        f"{_ms(result['after_edit_ms'])} ({result['after_edit_queries']}); "
        f"fresh after {_ms(result['refresh_ms'])}"
    )


def warm_line(db: dict) -> list[str]:
    warmed = db.get("warm")
    if not warmed or "error" in warmed:
        return []
    slowest = sorted(warmed["parts"].items(), key=lambda item: -item[1])[:4]
    return [
        "",
        f"`warm_cache` (every big page, both languages, from an empty cache): "
        f"{warmed['seconds']:.1f} s; slowest parts: "
        + ", ".join(f"{part} {seconds:.2f} s" for part, seconds in slowest)
        + ".",
    ]


def page_table(db: dict) -> list[str]:
    lines = [
        "| Page | DealWatch ms median / p95 | CPU ms | queries | cold ms (queries) "
        "| after an edit ms (queries); fresh after ms | KB "
        "| peak RSS MB | floor ms | ×floor | admin ms median / p95 (queries) | ×admin "
        "| DealWatch HTTP ms | Datasette HTTP ms | ×Datasette |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in db["rows"]:
        dw = row.get("dealwatch") or {}
        floor = dw.get("floor")
        admin = dw.get("admin")
        dw_http, ds_http = row.get("dealwatch_http"), row.get("datasette_http")
        admin_text = "no equivalent"
        if row.get("admin"):
            admin_text = _timing(admin)
            if _get(admin, "queries") is not None:
                admin_text += f" ({admin['queries']})"
        if "error" in dw:
            cells = [f"error: {dw['error'][:80]}"] + ["–"] * 9
        else:
            cells = [
                _timing(dw),
                _ms(dw.get("cpu_median_ms")),
                str(dw.get("queries", "–")),
                _cold(dw),
                _after_edit(dw),
                f"{dw['bytes'] / 1024:,.0f}",
                f"{dw['maxrss_mb']:,.0f}",
                _ms(_get(floor, "median_ms")),
                _ratio(dw.get("median_ms"), _get(floor, "median_ms")),
                admin_text,
            ]
        cells += [
            _ratio(_get(dw, "median_ms"), _get(admin, "median_ms")),
            _timing(dw_http),
            _timing(ds_http) if row.get("datasette") else "no equivalent",
            _ratio(_get(dw_http, "median_ms"), _get(ds_http, "median_ms")),
        ]
        mark = " †" if row.get("remeasured") else ""
        lines.append(f"| {row['page']}{mark} | " + " | ".join(cells) + " |")
    if any(row.get("remeasured") for row in db["rows"]):
        lines += [
            "",
            "† Measured again by itself right after the run, same code and data. Company page: "
            "in the run, the admin's change form of the hub did not finish (its two "
            "`Count(..., distinct=True)` annotations join the company's paid × received deals) "
            "and was stopped by hand; the bench now stops any admin query after 60 s. Export "
            "on PostgreSQL: the run's floor re-declared the export's named server-side cursor "
            "and failed; the floor now runs that cursor's SELECT.",
        ]
    return lines


def equivalents(db: dict) -> list[str]:
    lines = ["", "<details><summary>The exact URLs measured</summary>", ""]
    lines += ["| Page | DealWatch | Django admin | Datasette |", "|---|---|---|---|"]
    for row in db["rows"]:
        cells = [f"`{row['path']}`"]
        cells += [f"`{row[k]}`" if row.get(k) else "–" for k in ("admin", "datasette")]
        lines.append(f"| {row['page']} | " + " | ".join(cells) + " |")
    lines += ["", "</details>", ""]
    return lines


def loadtest_section(load: dict | None) -> list[str]:
    if not load:
        return ["", "## Load test", "", "Not run yet: `make loadtest`.", ""]
    lines = [
        "",
        "## Load test (`make loadtest`)",
        "",
        f"{load['date']}, commit `{load['machine']['commit']}`, {load['machine']['nproc']} "
        f"CPUs, {load['machine']['ram_gb']} GB RAM; load average before: "
        f"{', '.join(f'{x:.1f}' for x in load['load_before'])}, after "
        f"{', '.join(f'{x:.1f}' for x in load['load_after'])}. wrk on loopback, "
        f"{load['connections']} connections, {load['threads']} threads, {load['duration_s']} s "
        f"per target, URLs mixed round-robin by a Lua script (list below).",
        "",
        "| Target | data | requests/s | p50 ms | p99 ms | requests | non-2xx/3xx | socket errors "
        "| zero errors (the bar) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for target in load["targets"]:
        r = target.get("result") or {}
        if "error" in r:
            lines.append(f"| {target['name']} | {target['data']} | error: {r['error']} |||||")
            continue
        lines.append(
            f"| {target['name']} | {target['data']} | {r['rps']:,.1f} | {_ms(r['p50_ms'])} | "
            f"{_ms(r['p99_ms'])} | {r['requests']:,} | {r['non_2xx_3xx']:,} | "
            f"{r['socket_errors']:,} | "
            + ("met" if r["non_2xx_3xx"] + r["socket_errors"] == 0 else "**missed**")
            + " |"
        )
    lines.append("")
    for target in load["targets"]:
        lines.append(f"- {target['name']} URLs: " + ", ".join(f"`{u}`" for u in target["urls"]))
    for note in load.get("notes", []):
        lines += ["", note]
    lines.append("")
    return lines + mixed_section(load)


def mixed_section(load: dict) -> list[str]:
    """The runs with an editor at work (bench/mixed.py): readers' latency and errors, and how
    soon each save showed on the overview."""
    runs = load.get("mixed")
    if not runs:
        return ["### With an editor at work", "", "Not run yet: `make loadtest`.", ""]
    when = load.get("mixed_date") or load["date"]
    lines = [
        "### With an editor at work",
        "",
        f"{when}. The same readers ({load['connections']} connections, the same URLs) while an "
        "editor saves a deal through the admin once a second (sign-in, change form, POST with "
        "its CSRF token and edit-conflict version; the amount switched between stated and "
        "undisclosed), then polls the overview every 0.1 s until it prints the new count of "
        "stated amounts. Redis is the shared cache and generation store.",
        "",
        "| Run | requests/s | p50 ms | p99 ms | errors | saves (failed) | seen within 2 s "
        "| seen after, median / max s | slowest save s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        r = run.get("result") or {}
        if "error" in r:
            lines.append(f"| {run['name']} | error: {r['error']} ||||||||")
            continue
        e = r.get("edits") or {}
        errors = r["non_2xx_3xx"] + r["socket_errors"]
        failed = e.get("edits", 0) - e.get("saved", 0)
        lines.append(
            f"| {run['name']} | {r['rps']:,.1f} | {_ms(r['p50_ms'])} | {_ms(r['p99_ms'])} | "
            f"{errors:,} | {e.get('saved', 0)} ({failed}) | {e.get('within_2s', 0)} of "
            f"{e.get('saved', 0)} | {e.get('seen_median_s')} / {e.get('seen_max_s')} | "
            f"{e.get('save_max_s')} |"
        )
    problems = [
        p for run in runs for p in ((run.get("result") or {}).get("edits") or {}).get("failed", [])
    ]
    if problems:
        lines += ["", "Saves refused: " + "; ".join(problems[:3])]
    lines.append("")
    return lines


def write(results: dict | None, loadtest: dict | None = None) -> None:
    lines = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (`python -m bench run`) and `make loadtest`; do not edit by "
        "hand. How to reproduce and what each column means: at the end.",
        "",
    ]
    if results:
        m = results["machine"]
        s = results["settings"]
        lines += [
            f"Run of {results['date']}, commit `{m['commit']}`, {m['nproc']} CPUs, "
            f"{m['ram_gb']} GB RAM; load average (1/5/15 min) before "
            f"{', '.join(f'{x:.1f}' for x in results['load_before'])}, after "
            f"{', '.join(f'{x:.1f}' for x in results['load_after'])}. Synthetic data "
            f"(`seed_synthetic --companies {s['companies']} --seed {s['seed']}`); per page up "
            f"to {s['repeat']} timed requests after {s['warmup']} warm-up, at most "
            f"~{s['budget_s']:.0f} s each (at least 3, or 2 when one request takes more than "
            f"half that). Whole run: {results['seconds'] // 60} min"
            + (
                f", {s['jobs']} databases measured at once (they competed for the CPUs)."
                if s.get("jobs", 1) > 1
                else "."
            ),
            "",
        ]
        for db in results["databases"]:
            ids = db["ids"]
            lines += [
                f"## {db['database']} ({ids['deals']:,} deals)",
                "",
                f"Hub company `{ids['hub']}` ({ids['hub_name']}), tail company `{ids['tail']}` "
                f"({ids['tail_name']}), deal page `{ids['deal']}` (the hub's newest).",
                "",
                *page_table(db),
                *warm_line(db),
                *equivalents(db),
            ]
    lines += loadtest_section(loadtest)
    lines += [
        "## How to read and reproduce this",
        "",
        "```sh",
        "make bench                      # 10k and 100k deals on SQLite, 1M on PostgreSQL",
        "make bench BENCH_SIZES=10000    # quick run: 10k deals on SQLite only",
        "make loadtest                   # gunicorn (2 workers) on PostgreSQL 1M vs Datasette",
        "```",
        "",
        "Databases are built once with `seed_synthetic` and cached (SQLite files in "
        "`bench-data/`, PostgreSQL databases `dw_bench_10k` … `dw_bench_1m` on "
        "127.0.0.1:5432); a re-run reuses them. Datasette is installed in its own virtualenv "
        "`.bench-venv` from `bench/requirements.txt`.",
        "",
        "- **DealWatch ms**: server time, measured in-process with Django's test client under "
        "the production settings (`DEBUG` off, manifest static files, local-memory cache): "
        "from the request to the last byte of the response. Each page runs in a fresh worker "
        "process; the cache is warm after the warm-up requests.",
        "- **cold ms (queries)**: the first request of that fresh worker, with the cache emptied "
        "first: what the first visitor after a data change (or a restart) waits, aggregates "
        "computed, templates compiled (a fresh deploy before `make warm_cache`).",
        "- **after an edit ms (queries); fresh after ms**: the first request after an edit "
        "(the data generation moved, as a save's commit moves it), the worker's cache warm: it "
        "gets the previous figures while a background thread rebuilds them; then the time from "
        "the edit until the rebuilt page is in the cache. The cards of the timeline are rebuilt "
        "on the request (cheap: only the page's deals). Server processes also rebuild the big "
        "pages after each change without waiting for a reader; that is switched off here so "
        "that nothing runs behind the timed requests, and measured alone as `warm_cache`.",
        "- **CPU ms**: CPU time of that worker for one request (median). On a busy machine "
        "the wall time includes waiting for a CPU; CPU time does not (on SQLite it includes "
        "the database's work, on PostgreSQL the database works in another process).",
        "- **queries**: SQL statements per request; **KB**: response body; **peak RSS**: "
        "`ru_maxrss` of the worker after serving only that page (Django and the app loaded "
        "take about 50–60 MB of it).",
        "- **floor**: the page's slowest SQL statement of one request, run alone on a raw "
        "cursor with all its rows fetched. **×floor** = DealWatch / floor: what the page "
        "costs beyond its main query.",
        "- **admin**: the Django admin's change list or change form for the same thing, "
        "in-process, signed in as a superuser the bench creates with a random password. The "
        "admin cannot filter on payer OR payee, so the company timelines use its search box "
        "(`?q=<company name>`, which finds a company in any spelling, as an editor would); it "
        "shows 100 rows per page and counts the matches.",
        "- **DealWatch HTTP / Datasette HTTP**: round trip on loopback (new connection per "
        "request, body read to the end), DealWatch under gunicorn with one sync worker, "
        "Datasette 0.65.5 serving the same SQLite file immutable (`-i`) with "
        "`sql_time_limit_ms` 10000 and its other defaults. **×Datasette** compares these two "
        "HTTP times, like with like. Datasette's equivalent of a company's timeline is its "
        "table view of `deals_deal` with `_where=payer_id = N or payee_id = N`, "
        "`_sort_desc=announced_on`, `_size=50` (the HTML page, with its foreign-key labels, "
        "its count and facet suggestions: its default behaviour); of the deal and company "
        "pages, its row pages; of the export, its streamed CSV of the same rows "
        "(`_stream=on`). The overview and the graph have no equivalent. Datasette cannot serve "
        "PostgreSQL, so the 1M PostgreSQL rows have no Datasette column.",
        "- Tests check query counts, never wall-clock time; this benchmark is how speed is "
        "checked.",
        "",
    ]
    DOC.write_text("\n".join(lines))


def summary_table(results: dict) -> str:
    """The compact table the README quotes: median ms (queries) per page and database, then
    the cold request and the ratios."""
    dbs = results["databases"]
    lines = [
        "| Page | " + " | ".join(db["database"] for db in dbs) + " |",
        "|---|" + "---:|" * len(dbs),
    ]
    for index, row in enumerate(dbs[0]["rows"]):
        cells = []
        for db in dbs:
            other = db["rows"][index]
            dw = other.get("dealwatch") or {}
            if "error" in dw or not dw:
                cells.append("error")
                continue
            text = f"{_ms(dw['median_ms'])} ms ({dw['queries']} q)"
            extras = [f"cold {_ms(dw['cold_ms'])} ms"] if dw.get("cold_ms") is not None else []
            if _get(dw.get("floor"), "median_ms"):
                extras.append(f"{_ratio(dw['median_ms'], dw['floor']['median_ms'])} floor")
            if _get(dw.get("admin"), "median_ms"):
                extras.append(f"{_ratio(dw['median_ms'], dw['admin']['median_ms'])} admin")
            http, ds = other.get("dealwatch_http"), other.get("datasette_http")
            if _get(ds, "median_ms") and _get(http, "median_ms"):
                extras.append(f"{_ratio(http['median_ms'], ds['median_ms'])} Datasette")
            cells.append(text + (": " + ", ".join(extras) if extras else ""))
        lines.append(f"| {row['page'].split(':')[0]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
