"""python -m bench run | loadtest | report  (see bench/run.py, bench/loadtest.py)."""

import argparse
import sys

from . import report
from .build import DATA


def sizes(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="benchmark the pages (writes docs/benchmarks.md)")
    run.add_argument("--sizes", type=sizes, default=[10_000, 100_000, 1_000_000])
    run.add_argument("--sqlite-max", type=int, default=100_000, help="SQLite up to this size")
    run.add_argument("--pg-min", type=int, default=1_000_000, help="PostgreSQL from this size")
    run.add_argument("--companies", type=int, default=5000)
    run.add_argument("--seed", type=int, default=42)
    run.add_argument("--repeat", type=int, default=15)
    run.add_argument("--warmup", type=int, default=2)
    run.add_argument("--budget", type=float, default=8.0, help="seconds of timing per page")
    run.add_argument(
        "--hub-export-max",
        type=int,
        default=100_000,
        help="export the hub's deals up to this size, the tail company's above",
    )
    run.add_argument("--jobs", type=int, default=1, help="databases measured at once")
    run.add_argument("--no-http", action="store_true", help="skip gunicorn/Datasette")
    load = sub.add_parser("loadtest", help="wrk against gunicorn and Datasette")
    load.add_argument("--size", type=int, default=1_000_000)
    load.add_argument("--datasette-size", type=int, default=None)
    load.add_argument("--companies", type=int, default=5000)
    load.add_argument("--seed", type=int, default=42)
    load.add_argument("--connections", type=int, default=64)
    load.add_argument("--duration", type=int, default=60)
    load.add_argument("--workers", type=int, default=2)
    load.add_argument("--no-mixed", action="store_true", help="readers only, no editor")
    load.add_argument("--redis-url", default="", help="a running Redis instead of a new one")
    load.add_argument(
        "--mixed-only", action="store_true", help="only the runs with an editor (bench/mixed.py)"
    )
    sub.add_parser("report", help="rewrite docs/benchmarks.md from the last JSON results")
    sub.add_parser("summary", help="print the compact table the README quotes")
    opts = parser.parse_args(argv)
    if opts.command == "run":
        from .run import run as do_run

        do_run(opts)
    elif opts.command == "loadtest":
        from .loadtest import run as do_load

        do_load(opts)
    elif opts.command == "summary":
        print(report.summary_table(report.load_json(DATA / "bench-results.json")))
    else:
        report.write(
            report.load_json(DATA / "bench-results.json"),
            report.load_json(DATA / "loadtest-results.json"),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
