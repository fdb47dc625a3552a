"""Lighthouse mobile scores of the chart pages, served the way production serves them.

python -m bench.lighthouse (make lighthouse): a fresh SQLite database with the seed, collectstatic
into a temporary folder (compressed manifest storage), gunicorn with dealwatch.settings.prod and
WhiteNoise, then Lighthouse 12 (pinned in bench/node/package.json; 13 needs Node 22) in mobile
mode on each page, in both languages. Prints performance, cumulative layout shift, total
blocking time and largest contentful paint per page, and fails when a page misses the targets
of issue 13 (performance >= 90, CLS <= 0.1). Lighthouse's mobile mode simulates a slow phone
from what it measured, so a busy machine lowers scores: --runs takes the median of several, and
each line says the machine's load average when it was measured. --why adds what cost the main
thread the most (the longest tasks and each script's time).
"""

import argparse
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_DIR = Path(__file__).resolve().parent / "node"
LIGHTHOUSE = NODE_DIR / "node_modules" / ".bin" / "lighthouse"
PAGES = ["/", "/graph/", "/companies/anthropic/", "/ar/", "/ar/graph/", "/ar/companies/anthropic/"]
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu"
MIN_PERFORMANCE = 90
MAX_CLS = 0.1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(workdir: Path) -> dict[str, str]:
    """What prod.py refuses to start without, over plain HTTP on the loopback."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dealwatch.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{workdir / 'lighthouse.sqlite3'}",
        "DEALWATCH_GENERATION_FILE": str(workdir / "generation"),
        "DEALWATCH_THROTTLE_RATE": "",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def prepare(env: dict[str, str]) -> None:
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput"], ["loaddata", "seed"], ["collectstatic", "--noinput"]):
        subprocess.run(manage + command + ["-v", "0"], cwd=ROOT, env=env, check=True)  # noqa: S603


def serve(env: dict[str, str], port: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(gunicorn),
            "dealwatch.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline, problem = time.monotonic() + 60, None
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30)
            return server
        except urllib.error.HTTPError as error:
            server.terminate()
            raise SystemExit(f"gunicorn answered / with {error.code}") from error
        except OSError as error:
            problem = error
            time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"gunicorn did not answer within 60 s: {problem}")


def costs(audits: dict) -> list[str]:
    """What held the page back: the largest paint's element and phases, the longest tasks,
    and each script's parse and run time."""
    lines = []
    for table in (
        audits.get("largest-contentful-paint-element", {}).get("details", {}).get("items", [])
    ):
        for item in table.get("items", []):
            if "node" in item:
                lines.append(f"  largest paint: {item['node'].get('snippet', '')[:120]}")
            elif "phase" in item:
                lines.append(f"  largest paint phase {item['phase']}: {item['timing']:.0f} ms")
    work = audits.get("mainthread-work-breakdown", {}).get("details", {}).get("items", [])
    lines.append(
        "  main thread: " + ", ".join(f"{item['group']} {item['duration']:.0f} ms" for item in work)
    )
    dom = audits.get("dom-size", {}).get("numericValue")
    if dom:
        lines.append(f"  DOM elements: {dom:.0f}")
    for task in audits.get("long-tasks", {}).get("details", {}).get("items", [])[:5]:
        lines.append(
            f"  long task {task['duration']:>6.0f} ms at {task['startTime']:>6.0f} ms {task['url']}"
        )
    for script in audits.get("bootup-time", {}).get("details", {}).get("items", [])[:5]:
        lines.append(
            f"  script   {script['total']:>6.0f} ms (run {script['scripting']:.0f}, "
            f"parse {script['scriptParseCompile']:.0f})  {script['url']}"
        )
    return lines


def lighthouse(url: str, workdir: Path, why: bool = False) -> dict[str, float]:
    report = workdir / "report.json"
    report.unlink(missing_ok=True)
    # Lighthouse sometimes exits 1 after writing its report, when the Chromium it started
    # is slow to die: the report decides, not the exit code.
    finished = subprocess.run(  # noqa: S603 - the pinned Lighthouse, our own server's URL
        [
            str(LIGHTHOUSE),
            url,
            "--only-categories=performance",
            "--output=json",
            f"--output-path={report}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--quiet",
        ],
        env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
        capture_output=True,
        text=True,
    )
    if not report.exists():
        raise SystemExit(f"Lighthouse failed on {url}:\n{finished.stderr[-2000:]}")
    result = json.loads(report.read_text())
    if result["categories"]["performance"]["score"] is None:  # the page did not load
        problem = result.get("runtimeError", {}).get("message", "no score")
        raise SystemExit(f"Lighthouse could not measure {url}: {problem}")
    audits = result["audits"]
    if why:  # printed as measured, before the table of every page
        print(url, *costs(audits), sep="\n")
    return {
        "load": round(os.getloadavg()[0], 1),
        "performance": round(result["categories"]["performance"]["score"] * 100),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "js_kb": round(
            sum(
                item.get("transferSize", 0)
                for item in audits["network-requests"]["details"]["items"]
                if item.get("resourceType") == "Script"
            )
            / 1024
        ),
    }


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.lighthouse", description=__doc__)
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page (median)")
    parser.add_argument("--json", type=Path, help="also write the scores to this file")
    parser.add_argument("--why", action="store_true", help="print each page's costliest work")
    parser.add_argument("pages", nargs="*", default=PAGES)
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"Lighthouse is missing: npm ci --prefix {NODE_DIR.relative_to(ROOT)}")
    with tempfile.TemporaryDirectory(prefix="dealwatch-lighthouse-") as tmp:
        workdir = Path(tmp)
        env = production_env(workdir)
        prepare(env)
        port = free_port()
        server = serve(env, port)
        try:
            scores = {
                page: median_of(
                    [
                        lighthouse(f"http://127.0.0.1:{port}{page}", workdir, args.why)
                        for _ in range(args.runs)
                    ]
                )
                for page in args.pages
            }
        finally:
            server.terminate()
            server.wait()
    print(
        f"{'page':28} {'perf':>5} {'CLS':>6} {'TBT ms':>7} {'LCP ms':>7} {'JS KB':>6} {'load':>5}"
    )
    for page, score in scores.items():
        print(
            f"{page:28} {score['performance']:>5} {score['cls']:>6} {score['tbt_ms']:>7} "
            f"{score['lcp_ms']:>7} {score['js_kb']:>6} {score['load']:>5}"
        )
    if args.json:
        args.json.write_text(json.dumps(scores, indent=2) + "\n")
    missed = [
        page
        for page, score in scores.items()
        if score["performance"] < MIN_PERFORMANCE or score["cls"] > MAX_CLS
    ]
    if missed:
        print(f"Below target (performance >= {MIN_PERFORMANCE}, CLS <= {MAX_CLS}): {missed}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
