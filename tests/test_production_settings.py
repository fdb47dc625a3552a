"""dealwatch.settings.prod: everything from the environment, safe by default."""

import http.client
import os
import secrets
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

PROD = "dealwatch.settings.prod"


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "DEALWATCH_"))
    }
    environment |= {"DJANGO_SETTINGS_MODULE": PROD, **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_checks_pass_with_no_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="dealwatch.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_ALLOWED_HOSTS="dealwatch.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", DJANGO_SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_pages_carry_a_nonce_based_content_security_policy(client, db):
    response = client.get("/search/", {"q": "x"})
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    assert "unsafe-eval" not in policy


@pytest.mark.parametrize(
    "weak_key",
    [
        pytest.param("x", id="one-character"),
        pytest.param(" " * 60, id="only-spaces"),
        pytest.param("ab" * 30, id="two-distinct-characters"),
        pytest.param(secrets.token_urlsafe(30)[:49], id="49-characters"),
        pytest.param("django-insecure-" + secrets.token_urlsafe(50), id="django-insecure"),
    ],
)
def test_refuses_to_start_with_a_weak_secret_key(weak_key):
    result = run_manage(
        "check", DJANGO_SECRET_KEY=weak_key, DJANGO_ALLOWED_HOSTS="dealwatch.example.org"
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert "at least 50 characters" in result.stderr


def test_deploy_checks_pass_behind_a_proxy_that_redirects_to_https():
    """DJANGO_SECURE_SSL_REDIRECT=0 (README: the proxy redirects) passes, one check silenced."""
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="dealwatch.example.org",
        DJANGO_SECURE_SSL_REDIRECT="0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (1 silenced)" in result.stdout


SHOW_LOGGING_AND_COOKIES = """
import logging
from django.conf import settings
from django.core.exceptions import PermissionDenied
print("language cookie:", settings.LANGUAGE_COOKIE_SECURE, settings.LANGUAGE_COOKIE_SAMESITE)
try:
    raise PermissionDenied
except PermissionDenied as refused:
    logging.getLogger("django.request").warning(
        "Forbidden (Permission denied): %s", "/admin/deals/deal/1/delete/", exc_info=refused
    )
"""


def test_production_logs_a_refused_permission_in_one_line_and_secures_the_language_cookie():
    result = run_manage(
        "shell",
        "-c",
        SHOW_LOGGING_AND_COOKIES,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="dealwatch.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "language cookie: True Lax" in result.stdout
    logged = [line for line in result.stderr.splitlines() if not line.startswith("AXES:")]
    assert logged == ["Forbidden (Permission denied): /admin/deals/deal/1/delete/"], logged


def readme_gunicorn_command() -> list[str]:
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    (line,) = [line for line in readme.splitlines() if line.startswith(".venv/bin/gunicorn ")]
    return shlex.split(line)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_documented_gunicorn_keeps_answering_while_slow_clients_hold_connections():
    """Three clients sending their headers a byte a second blocked three sync workers."""
    port = free_port()
    command = readme_gunicorn_command()
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    command[0] = str(Path(sys.executable).parent / "gunicorn")
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "DEALWATCH_"))
    } | {
        "DJANGO_SETTINGS_MODULE": PROD,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    server = subprocess.Popen(
        command,
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    slow_clients = []
    try:

        def answer_time(timeout: float) -> float:
            started = time.monotonic()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
            connection.request("GET", "/i18n/setlang/")
            connection.getresponse().read()
            connection.close()
            return time.monotonic() - started

        deadline = time.monotonic() + 30
        while True:
            try:
                answer_time(5)
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        for _ in range(3):
            client = socket.create_connection(("127.0.0.1", port))
            client.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and no end of headers
            slow_clients.append(client)
        time.sleep(1)
        assert answer_time(timeout=5) < 2
    finally:
        for client in slow_clients:
            client.close()
        server.terminate()
        server.wait(timeout=30)


def test_pages_are_gzipped_for_clients_that_ask(client, seeded):
    plain = client.get("/")
    packed = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert len(packed.content) < len(plain.content) / 4
