"""Every page, in both languages, is valid HTML by the Nu HTML Checker (the W3C validator).

vnu.jar comes from the registry (npm `vnu-jar`, pinned in tests/tools/package.json) and runs on
Java; `make browsers` installs both. One checker run reads every page, so Java starts once.
Without them the test is skipped, unless DEALWATCH_REQUIRE_BROWSER=1 (CI), which fails it.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from deals.models import Deal

VNU = Path(__file__).resolve().parent / "tools" / "node_modules" / "vnu-jar" / "build" / "dist"
PAGES = [
    "/",
    "/deals/",
    "/deals/?company=anthropic",
    "/deals/?company=no-such-company",
    "/deals/{deal}/",
    "/graph/",
    "/graph/?company=anthropic",
    "/companies/",
    "/companies/anthropic/",
    "/articles/",
    "/articles/article-000/",
    "/search/?q=anthropic",
    "/search/?q=zzzz",
]


def checker() -> list[str]:
    java, jar = shutil.which("java"), VNU / "vnu.jar"
    if java and jar.exists():
        return [java, "-Xss4m", "-jar", str(jar)]
    message = "Java or vnu.jar is missing: run `make browsers` (apt java, npm ci in tests/tools)"
    if os.environ.get("DEALWATCH_REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes"}:
        pytest.fail(message)
    pytest.skip(message)


def validate(files: dict[str, Path]) -> dict[str, list[str]]:
    """The checker's errors per page: 'line N: message (extract)'."""
    finished = subprocess.run(
        [*checker(), "--errors-only", "--format", "json", *map(str, files.values())],
        capture_output=True,
        text=True,
        check=False,
    )
    pages = {path.name: page for page, path in files.items()}  # vnu names them file:/…/name
    errors: dict[str, list[str]] = {}
    # The report is one JSON document on stderr, after anything Java itself may print.
    start = finished.stderr.find('{"')
    assert start >= 0 or finished.returncode == 0, finished.stderr[-2000:]
    report = json.loads(finished.stderr[start:]) if start >= 0 else {"messages": []}
    for message in report["messages"]:
        page = pages.get(message.get("url", "?").rsplit("/", 1)[-1], message.get("url", "?"))
        where = f"line {message.get('lastLine', '?')}"
        extract = (message.get("extract") or "").strip()[:120]
        errors.setdefault(page, []).append(f"{where}: {message['message']} ({extract})")
    return errors


@pytest.mark.django_db
def test_every_page_is_valid_html_in_both_languages(client, tmp_path):
    call_command("loaddata", "seed", verbosity=0)
    deal = Deal.objects.order_by("pk").values_list("slug", flat=True).first()
    files = {}
    for language in ("", "/ar"):
        for index, path in enumerate(PAGES):
            url = language + path.format(deal=deal)
            response = client.get(url)
            assert response.status_code == 200, url
            files[url] = tmp_path / f"{language.strip('/') or 'en'}-{index:02}.html"
            files[url].write_bytes(response.content)
    errors = validate(files)
    assert not errors, "\n".join(
        f"{page}\n  " + "\n  ".join(messages) for page, messages in errors.items()
    )
