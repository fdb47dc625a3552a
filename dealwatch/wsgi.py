"""WSGI entry point, used by gunicorn: `gunicorn dealwatch.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealwatch.settings.prod")

application = get_wsgi_application()
