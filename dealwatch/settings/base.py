"""Settings shared by every environment; each environment module imports these and adjusts.

Everything that differs between machines comes from environment variables.
"""

import os
from pathlib import Path

import dj_database_url
import plotly
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_filters",
    "csp",
    "axes",
    "simple_history",
    "corsheaders",
    # django-ninja's templates and static files: the API's Swagger UI is served from here.
    "ninja",
    "companies",
    "deals",
    "synthetic",
    "sources",
    "api",
    "watch",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything that may answer: the API's responses (and preflights) get CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and exports gzipped for clients that ask (static files are WhiteNoise's, already
    # compressed): the chart pages' HTML is 120-200 KB on the seed, 12-19 KB gzipped. Django's
    # GZip pads each response at random against BREACH, and its CSRF tokens are masked.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Inside the language (its note is in the reader's) and before the length is set.
    "dealwatch.refreshing.RefreshingNoteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After the language and the user are known: a refusal is worded in the reader's language,
    # and editors (signed in) are neither throttled nor sent to the replica.
    "dealwatch.throttle.ThrottleMiddleware",
    "dealwatch.db_router.ReplicaReadsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into a clear 429 page.
    "axes.middleware.AxesMiddleware",
]

# A deployment that must not be public sets DEALWATCH_REQUIRE_LOGIN=1: every page then asks
# visitors to sign in first (Django's own middleware; the login page itself stays open).
REQUIRE_LOGIN = env_bool("DEALWATCH_REQUIRE_LOGIN")

# Requests per client address to the expensive pages (filtered graph, exports, search), e.g.
# "60/min"; empty: no throttling (dealwatch/throttle.py).
DEALWATCH_THROTTLE_RATE = os.environ.get("DEALWATCH_THROTTLE_RATE", "")
# The same per address for anonymous readers of the API (/api/v1/, api/access.py); empty: the
# rate above. Clients with a session or an API token are not throttled.
DEALWATCH_API_THROTTLE_RATE = os.environ.get("DEALWATCH_API_THROTTLE_RATE", "")
# The read API may be called from any site's scripts (reads only, no cookies sent along).
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]
if REQUIRE_LOGIN:
    MIDDLEWARE.append("django.contrib.auth.middleware.LoginRequiredMiddleware")

ROOT_URLCONF = "dealwatch.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dealwatch.context_processors.language_links",
                "dealwatch.context_processors.csp_nonce",
            ],
        },
    },
]

WSGI_APPLICATION = "dealwatch.wsgi.application"

# SQLite is the zero-set-up default; DATABASE_URL=postgres://... selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# DATABASE_REPLICA_URL (optional): a read-only copy of the same database (streaming
# replication). Visitors' page reads go to it, writes and editors' reads to the primary, and
# reads fall back to the primary while it is unreachable (dealwatch/db_router.py).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    if "postgresql" in DATABASES["replica"]["ENGINE"]:
        # An unreachable replica must not hold a request for the system's TCP timeout.
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    # Under test the replica is the primary itself: the tests' data are visible through both.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["dealwatch.db_router.ReplicaRouter"]

# SQLite: a transaction takes the write lock when it begins, so the admin's conflict check
# (dealwatch/editing.py) and the save after it are one step, and a second writer waits (up to
# the busy timeout, in seconds) rather than failing with "database is locked".
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers per language where Django's defaults are not how we write them.
FORMAT_MODULE_PATH = ["dealwatch.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# plotly.js is served from the plotly package itself, never from a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("plotly", Path(plotly.__file__).parent / "package_data"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGIN_URL = "admin:login"
# Where sign-in lands when the requested `next` is refused (another host, say): a page that
# exists, not Django's default /accounts/profile/.
LOGIN_REDIRECT_URL = "admin:index"

# Digests (watch/, `manage.py send_digests`): links in emails are absolute, to this address.
DEALWATCH_SITE_URL = os.environ.get("DEALWATCH_SITE_URL", "http://127.0.0.1:8000")
# Emails go to the console unless an environment says otherwise (prod.py: SMTP).
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "DealWatch <dealwatch@localhost>")

# The language choice is a preference, not a credential, but it still never goes to other
# sites' requests (and only over HTTPS in production, see prod.py).
LANGUAGE_COOKIE_SAMESITE = "Lax"

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses sign-in attempts from a locked-out user or address.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password guessing: five failures for one user name from one address lock it for an hour.
AXES_FAILURE_LIMIT = int(os.environ.get("DEALWATCH_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The address a request comes from: behind the reverse proxy every request connects from the
# proxy, so X-Forwarded-For is read, but only from the proxies listed here (comma-separated
# addresses or networks; none by default, i.e. no proxy is trusted). See dealwatch/client_ip.py.
DEALWATCH_TRUSTED_PROXIES = env_list("DEALWATCH_TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "dealwatch.client_ip.client_ip"

# Content Security Policy: scripts only from this site or carrying the page's nonce; no
# inline scripts, no other hosts. plotly.js injects its own <style> elements, hence the
# inline styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Aggregates are cached; Redis when REDIS_URL is set, process memory otherwise.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            # Django's RedisCache, except that an unreachable Redis reads as an empty cache
            # (pages slower, not failing); a connection attempt waits half a second at most.
            "BACKEND": "dealwatch.redis_cache.TolerantRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Django's default of 300 entries: six timeline pages of cards (50 entries each)
            # would evict the aggregates, which take seconds to rebuild at a million deals.
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

# The data generation every process must see at once (deals/pages/cache.py): in Redis when
# the cache is Redis (shared by every machine), otherwise in a small file shared by every
# process of this machine. Empty DEALWATCH_GENERATION_FILE: one file per database in the
# system's temporary directory.
DEALWATCH_GENERATION_STORE = "cache" if os.environ.get("REDIS_URL") else "file"
DEALWATCH_GENERATION_FILE = os.environ.get("DEALWATCH_GENERATION_FILE", "")
# After an edit, readers get the previous figures while one background thread rebuilds them.
DEALWATCH_REFRESH_IN_BACKGROUND = True
# An entry that took t seconds to build is rebuilt at most every PACE × t seconds, however
# often the data change (deals/pages/cache.py, too_soon): 0 rebuilds after every change.
DEALWATCH_REFRESH_PACE = float(os.environ.get("DEALWATCH_REFRESH_PACE", "5"))
# The share of its time the refresher process (`warm_cache --follow`) spends rebuilding: after a
# round that took T seconds it rests T × (1 / SHARE - 1) before the next, so that under edits
# every second it leaves the machine's CPUs to the readers that much of the time. 1: rounds
# back to back (the charts lag an edit by one round; at 0.5, by up to two).
DEALWATCH_REFRESHER_SHARE = float(os.environ.get("DEALWATCH_REFRESHER_SHARE", "0.5"))
# Server processes rebuild the big pages off the request path after each change and on their
# first request; commands warm a shared cache at their end (deals/pages/warm.py).
DEALWATCH_WARM = env_bool("DEALWATCH_WARM", True)

# Reading articles: the rules by default (offline); "llm" asks an OpenAI-compatible endpoint
# (a local llama.cpp, vLLM or Ollama server, or a hosted API) and falls back to the rules.
DEALWATCH_EXTRACTOR = os.environ.get("DEALWATCH_EXTRACTOR", "rules")
DEALWATCH_LLM_BASE_URL = os.environ.get("DEALWATCH_LLM_BASE_URL", "")
DEALWATCH_LLM_MODEL = os.environ.get("DEALWATCH_LLM_MODEL", "")
DEALWATCH_LLM_API_KEY = os.environ.get("DEALWATCH_LLM_API_KEY", "")
DEALWATCH_LLM_TIMEOUT = float(os.environ.get("DEALWATCH_LLM_TIMEOUT", "60"))
# Watched news sources (fetch_sources): seconds per request, bytes per page, seconds between
# two requests to one host.
DEALWATCH_FETCH_TIMEOUT = float(os.environ.get("DEALWATCH_FETCH_TIMEOUT", "15"))
DEALWATCH_FETCH_MAX_BYTES = int(os.environ.get("DEALWATCH_FETCH_MAX_BYTES", "5000000"))
DEALWATCH_FETCH_HOST_INTERVAL = float(os.environ.get("DEALWATCH_FETCH_HOST_INTERVAL", "1"))


def _permission_denied_in_one_line(record) -> bool:
    """A refused permission is routine (an editor opening a delete page): log it as one line.

    Django logs each 403 with the PermissionDenied exception attached, which prints a full
    traceback; every other record passes unchanged.
    """
    from django.core.exceptions import PermissionDenied

    exception = record.exc_info[1] if record.exc_info else None
    if isinstance(exception, PermissionDenied):
        record.exc_info = None
        record.exc_text = None
    return True


# Merged into Django's own logging configuration; prod.py adds a console handler for all.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "permission_denied_in_one_line": {
            "()": "django.utils.log.CallbackFilter",
            "callback": _permission_denied_in_one_line,
        }
    },
    "loggers": {
        name: {"filters": ["permission_denied_in_one_line"]}
        for name in ("django.request", "django.security")
    },
}
