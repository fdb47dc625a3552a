"""Local development: DEBUG on, a throwaway secret key, loopback hosts only."""

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_list

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-used-in-production"  # noqa: S105
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
