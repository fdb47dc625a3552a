"""Servers for the HTTP comparison (gunicorn, Datasette) and a round-trip timer, on loopback."""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import time
from pathlib import Path

from .build import ROOT
from .worker import summary, timed_loop

BENCH_VENV = ROOT / ".bench-venv"
DATASETTE = BENCH_VENV / "bin" / "datasette"
REQUIREMENTS = Path(__file__).with_name("requirements.txt")
HOST = "127.0.0.1"


def ensure_datasette(log=print) -> Path:
    """Datasette in its own virtualenv (.bench-venv), installed from bench/requirements.txt."""
    if not DATASETTE.exists():
        log("  installing Datasette into .bench-venv ...")
        subprocess.run(["python3", "-m", "venv", str(BENCH_VENV)], check=True)  # noqa: S603,S607
        subprocess.run(  # noqa: S603
            [str(BENCH_VENV / "bin" / "pip"), "install", "-q", "-r", str(REQUIREMENTS)],
            check=True,
        )
    return DATASETTE


def django_env(database_url: str, **extra: str) -> dict:
    """Production settings on loopback: random secret, plain HTTP, the given database."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dealwatch.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
        **extra,
    }


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {proc.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"nothing listens on {HOST}:{port} after {timeout:.0f} s")


class Server:
    """A server process in its own session, stopped (by its own pid) when the block ends."""

    def __init__(self, argv: list[str], port: int, env: dict | None = None, log_path=None):
        self.argv, self.port, self.env, self.log_path = argv, port, env, log_path
        self.proc: subprocess.Popen | None = None

    def __enter__(self):
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.proc = subprocess.Popen(  # noqa: S603
            self.argv,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for_port(self.port, self.proc)
        return self

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        return False


def gunicorn(database_url: str, port: int, workers: int = 1, log_path=None, **env) -> Server:
    argv = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "dealwatch.wsgi",
        "-w", str(workers),
        "-b", f"{HOST}:{port}",
        "--timeout", "300",
        "--access-logfile", "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
    ]  # fmt: skip
    return Server(argv, port, django_env(database_url, **env), log_path)


class Refresher(Server):
    """`manage.py warm_cache --follow` beside the app servers (production's refresher process):
    ready once its first round has built every big page."""

    READY = b"Refreshed generation"

    def __init__(self, database_url: str, log_path: Path, **env):
        argv = [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "warm_cache", "--follow"]
        super().__init__(argv, 0, django_env(database_url, **env), log_path)

    def __enter__(self):
        self.log_path.write_bytes(b"")
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(  # noqa: S603
            self.argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 900
        while self.READY not in self.log_path.read_bytes():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the refresher did not start: see {self.log_path}")
            time.sleep(0.5)
        return self


def datasette(sqlite_file: Path, port: int, log_path=None) -> Server:
    argv = [
        str(DATASETTE),
        "serve",
        "-i", str(sqlite_file),
        "--host", HOST,
        "--port", str(port),
        "--setting", "sql_time_limit_ms", "10000",
        "--setting", "num_sql_threads", "3",
    ]  # fmt: skip
    return Server(argv, port, {**os.environ}, log_path)


def get(port: int, path: str, timeout: float = 300.0) -> tuple[int, int]:
    """One GET on a new connection (as a browser's first request); (status, body bytes)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Connection": "close", "Accept-Encoding": "identity"})
        response = conn.getresponse()
        return response.status, len(response.read())
    finally:
        conn.close()


def measure_http(port: int, path: str, *, repeat=15, warmup=2, budget=8.0) -> dict:
    """Round-trip time of GET `path` on loopback: connect, request, read the whole body."""
    seen: list[tuple[int, int]] = []
    times, _cpu, cold = timed_loop(
        lambda: seen.append(get(port, path)), warmup=warmup, repeat=repeat, budget=budget
    )
    status, size = seen[-1]
    return {"path": path, "status": status, "bytes": size, "cold_ms": round(cold * 1000, 2)} | (
        summary(times)
    )
