import pytest
from django.core.management import call_command


@pytest.fixture
def seeded(db):
    """The database with the seed fixture (the five articles and every deal they report)."""
    call_command("loaddata", "seed", verbosity=0)
