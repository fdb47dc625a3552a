import pytest
from django.core.management import call_command


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
