"""Benchmark databases, built once with `seed_synthetic` and cached by size, companies and seed.

SQLite files live in bench-data/ (gitignored); PostgreSQL databases are named dw_bench_<size>
(dw_bench_10k, dw_bench_100k, dw_bench_1m) on the local server. Beside each, a JSON file in
bench-data/ keeps the line `seed_synthetic` printed (hub and tail companies). A database whose
JSON file is missing or was built with other arguments is rebuilt.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench-data"
PYTHON = ROOT / ".venv" / "bin" / "python"
PG_BASE = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")


def label(size: int) -> str:
    if size >= 1_000_000 and size % 1_000_000 == 0:
        return f"{size // 1_000_000}m"
    if size >= 1_000 and size % 1_000 == 0:
        return f"{size // 1_000}k"
    return str(size)


@dataclass
class BenchDB:
    vendor: str  # "sqlite" or "postgresql"
    size: int
    companies: int
    seed: int
    info: dict  # the JSON line of seed_synthetic

    @property
    def key(self) -> str:
        return f"{self.size}-c{self.companies}-s{self.seed}"

    @property
    def name(self) -> str:
        return f"{'SQLite' if self.vendor == 'sqlite' else 'PostgreSQL'} {label(self.size)}"

    @property
    def sqlite_path(self) -> Path:
        return DATA / f"sqlite-{self.key}.sqlite3"

    @property
    def pg_name(self) -> str:
        return f"dw_bench_{label(self.size)}"

    @property
    def url(self) -> str:
        if self.vendor == "sqlite":
            return f"sqlite:///{self.sqlite_path}"
        return f"{PG_BASE}/{self.pg_name}"

    @property
    def hub(self) -> str:
        return self.info["hubs"][0]

    @property
    def tail(self) -> str:
        return self.info["tail"]


def _manage(url: str, *args: str, capture: bool = False) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "dealwatch.settings.test",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


def _psql(sql: str, database: str = "postgres") -> str:
    result = subprocess.run(  # noqa: S603
        ["psql", f"{PG_BASE}/{database}", "-Atc", sql],  # noqa: S607
        check=True,
        text=True,
        capture_output=True,
    )
    return result.stdout.strip()


def _pg_exists(name: str) -> bool:
    # Names come from label() (dw_bench_ + digits and a letter), never from user input.
    return _psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"  # noqa: S608


def ensure(vendor: str, size: int, companies: int, seed: int, log=print) -> BenchDB:
    """The benchmark database for these arguments, built when missing (migrations applied)."""
    DATA.mkdir(exist_ok=True)
    db = BenchDB(vendor, size, companies, seed, {})
    meta = DATA / (f"sqlite-{db.key}.json" if vendor == "sqlite" else f"pg-{db.pg_name}.json")
    wanted = {"size": size, "companies": companies, "seed": seed}
    cached = json.loads(meta.read_text()) if meta.exists() else None
    present = db.sqlite_path.exists() if vendor == "sqlite" else _pg_exists(db.pg_name)
    if cached and cached.get("args") == wanted and present:
        db.info = cached["info"]
        # Cheap when nothing is new; keeps a cached database in step with the code.
        _manage(db.url, "migrate", "--noinput", "-v0")
        log(f"  {db.name}: cached ({meta.name})")
        return db
    log(f"  {db.name}: building {size:,} deals, {companies:,} companies, seed {seed} ...")
    started = time.monotonic()
    if vendor == "sqlite":
        db.sqlite_path.unlink(missing_ok=True)
    else:
        _psql(f'DROP DATABASE IF EXISTS "{db.pg_name}"')
        _psql(f'CREATE DATABASE "{db.pg_name}"')
    _manage(db.url, "migrate", "--noinput", "-v0")
    out = _manage(
        db.url,
        "seed_synthetic",
        "--companies", str(companies),
        "--deals", str(size),
        "--seed", str(seed),
        "--no-progress",
        capture=True,
    )  # fmt: skip
    db.info = json.loads(out.strip().splitlines()[-1])
    meta.write_text(
        json.dumps(
            {"args": wanted, "info": db.info, "seconds": round(time.monotonic() - started, 1)}
        )
    )
    log(f"  {db.name}: built in {time.monotonic() - started:.0f} s")
    return db


if __name__ == "__main__":
    vendor, size = sys.argv[1], int(sys.argv[2])
    companies = int(sys.argv[3]) if len(sys.argv) > 3 else 5000
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 42
    print(ensure(vendor, size, companies, seed).info)
