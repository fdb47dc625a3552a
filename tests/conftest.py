"""Fixtures and helpers every test module shares: the seed data, query counting, users.

Helpers that tests call directly (`count_queries`, `make_user`, `SEEDS_DIR`) are imported from
here: `from tests.conftest import count_queries`.
"""

import secrets
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

# The five seed articles fixtures/seed.json was built from, beside the repository.
SEEDS_DIR = Path(settings.BASE_DIR).parent / "shared" / "seeds"


def count_queries(client, url: str, **headers) -> int:
    """How many queries one GET of `url` costs; the page must answer 200.

    The page's HTML is kept on `client.last_page` for tests that also check what it showed.
    """
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    client.last_page = response.content.decode()
    return len(captured)


def make_user(role: str | None = None, *, first_name: str = "", staff: bool = True):
    """A user in the group `role` (deals.roles.EDITORS or ADMINS), or in none."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(
        username=f"{(role or 'visitor').lower()}-{secrets.token_hex(3)}",
        password=secrets.token_urlsafe(16),
        is_staff=staff,
        first_name=first_name,
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def seeds_dir() -> Path:
    """The seed articles' directory; missing, it fails the test (a skip would hide it)."""
    assert SEEDS_DIR.is_dir(), f"the seed articles are missing: {SEEDS_DIR}"
    return SEEDS_DIR


@pytest.fixture
def seeded(db):
    """The database with the seed fixture (the five articles and every deal they report)."""
    call_command("loaddata", "seed", verbosity=0)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: cached aggregates never leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in English: a request to an /ar/ page leaves Arabic active in the
    thread, and a later test's reverse() would otherwise build /ar/ URLs."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
