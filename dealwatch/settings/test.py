"""Test runs: fast password hashing, plain static storage, the database from DATABASE_URL."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Sign-in throttling is switched on by the tests that exercise it.
AXES_ENABLED = False

# Each test process (one per pytest-xdist worker) has its own generation, so that one worker's
# writes do not make another's cached pages out of date mid-test; a test that starts another
# process hands it this file. Refreshes run inline, and nothing warms behind the tests' backs:
# they count queries.
DEALWATCH_GENERATION_FILE = os.environ.get("DEALWATCH_GENERATION_FILE") or str(
    Path(tempfile.gettempdir()) / "dealwatch-test-generations" / str(os.getpid())
)
DEALWATCH_REFRESH_IN_BACKGROUND = False
DEALWATCH_REFRESH_PACE = 0  # every test edit is rebuilt at once (tests/test_freshness.py)
DEALWATCH_REFRESHER_SHARE = 1.0  # a refresher's rounds back to back
DEALWATCH_WARM = False
