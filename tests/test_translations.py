"""Every string of the interface is translated into Arabic, and the catalogue is up to date.

The test regenerates the Arabic catalogue from the code and templates in a scratch copy of
the project, so a new `{% translate %}` without its Arabic text fails here, not on a page.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
CATALOGUE = BASE_DIR / "locale" / "ar" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
SOURCES = [
    "manage.py",
    "dealwatch",
    "deals",
    "companies",
    "synthetic",
    "sources",
    "api",
    "watch",
    "templates",
    "locale",
]


@pytest.fixture(scope="module")
def regenerated_catalogue(tmp_path_factory) -> polib.POFile:
    scratch = tmp_path_factory.mktemp("i18n")
    for name in SOURCES:
        source = BASE_DIR / name
        if source.is_dir():
            shutil.copytree(source, scratch / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, scratch / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ar", "--no-location", "--no-obsolete"],
        cwd=scratch,
        check=True,
        capture_output=True,
        env={"DJANGO_SETTINGS_MODULE": "dealwatch.settings.test", "PATH": "/usr/bin:/bin"},
    )
    return polib.pofile(str(scratch / "locale" / "ar" / "LC_MESSAGES" / "django.po"))


def _describe(entries) -> str:
    return "\n".join(f"  {entry.msgid!r}" for entry in list(entries)[:40])


def test_every_interface_string_has_its_arabic_translation(regenerated_catalogue):
    missing = [
        entry
        for entry in regenerated_catalogue
        if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)
    ]
    assert not missing, (
        f"{len(missing)} strings have no Arabic translation; run `make messages` and translate "
        f"them in {CATALOGUE.relative_to(BASE_DIR)}:\n{_describe(missing)}"
    )


def test_committed_catalogue_matches_the_code(regenerated_catalogue):
    committed = {entry.msgid for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete}
    current = {entry.msgid for entry in regenerated_catalogue if not entry.obsolete}
    assert current == committed, "locale/ar is stale: run `make messages` and translate."


def test_compiled_catalogue_is_fresh():
    compiled = {entry.msgid: entry.msgstr for entry in polib.mofile(str(COMPILED))}
    for entry in polib.pofile(str(CATALOGUE)).translated_entries():
        if entry.msgid_plural:
            continue
        assert compiled.get(entry.msgid) == entry.msgstr, (
            f"{COMPILED.name} is older than {CATALOGUE.name}: run `make messages`."
        )
