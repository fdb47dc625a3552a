"""Who may read the API, and how fast.

Reads are public unless the site requires sign-in (`DEALWATCH_REQUIRE_LOGIN`); then a request
needs a signed-in session or an API token an admin issued (`Authorization: Bearer dw_…`). A
token that is sent is always checked, so a revoked token fails loudly even on a public site.
The OpenAPI document describes both ways in (`BearerToken`, `SessionCookie`) and, on a public
site, says that neither is needed (`api.api.DealWatchAPI`).

Clients that are neither signed in nor holding a token draw on the site's per-address token
bucket (`dealwatch.throttle`, the real address from `dealwatch.client_ip`), at
`DEALWATCH_API_THROTTLE_RATE` (empty: the site's `DEALWATCH_THROTTLE_RATE`).
"""

import threading

from django.conf import settings
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import BaseThrottle

from dealwatch.client_ip import client_ip
from dealwatch.throttle import parse_rate, take_token

from .models import ApiToken

# What `request.auth` holds for a visitor of a public site.
PUBLIC = "public"


class RefusedToken(AuthenticationError):
    """A token was sent that is not (or no longer) valid."""


class BearerToken(HttpBearer):
    """A token, when one is sent: its holder, or a refusal (never a silent public read)."""

    openapi_description = (
        "An API token an admin issued, as `Authorization: Bearer <token>`. Needed only when "
        "the site requires sign-in (DEALWATCH_REQUIRE_LOGIN); a token that is sent is always "
        "checked."
    )

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        return self.authenticate(request, header) if header else None

    def authenticate(self, request, token):
        scheme, _sep, secret = token.partition(" ")
        found = ApiToken.objects.for_token(secret.strip()) if scheme.lower() == "bearer" else None
        if found is None:
            raise RefusedToken(401, "refused token")
        request.api_token = found
        return found.user


class SessionCookie(APIKeyCookie):
    """A signed-in browser session (the site's own sign-in)."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = (
        "The session cookie of someone signed in to this site. Needed only when the site "
        "requires sign-in (DEALWATCH_REQUIRE_LOGIN)."
    )

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


def public_reads(request):
    """The last resort: anyone may read, unless the site requires sign-in."""
    return None if settings.REQUIRE_LOGIN else PUBLIC


# Tried in this order; the first that answers is `request.auth`.
API_ACCESS = [BearerToken(), SessionCookie(), public_reads]


def refusal_message(error: AuthenticationError) -> str:
    if isinstance(error, RefusedToken):
        return _("This API token is not valid or has been revoked. Ask an admin for a new one.")
    return _(
        "This site requires sign-in: send an API token (“Authorization: Bearer …”) or sign in."
    )


def api_rate() -> tuple[int, int] | None:
    rate = settings.DEALWATCH_API_THROTTLE_RATE or settings.DEALWATCH_THROTTLE_RATE
    return parse_rate(rate)


class AnonymousAddressThrottle(BaseThrottle):
    """Per-address buckets for clients without a session or a token (`dealwatch.throttle`)."""

    def __init__(self):
        self._waits = threading.local()

    def allow_request(self, request) -> bool:
        self._waits.seconds = None
        rate = api_rate()
        if rate is None or getattr(request, "auth", PUBLIC) != PUBLIC:
            return True
        wait = take_token(client_ip(request), *rate)
        self._waits.seconds = wait or None
        return not wait

    def wait(self) -> float | None:
        return getattr(self._waits, "seconds", None)
