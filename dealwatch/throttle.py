"""Per-address throttling of the pages that cost the most to answer.

A filtered graph, an export or a search can take a second of CPU or more on a large database,
and any visitor can ask for thousands of them; everything else is served from the cache or by
an indexed read. So those pages draw on a token bucket per client address: a bucket holds as
many requests as the rate allows per period (`DEALWATCH_THROTTLE_RATE`, e.g. "60/min"), fills
again at that rate, and an empty bucket answers 429 with `Retry-After`: the seconds until the
next token, in the reader's language as well.

The buckets live in the cache, so every worker (with Redis, every machine) draws on the same
one. A bucket is read and written back, not changed atomically: requests from one address that
arrive at the same instant on different workers may each take the same token, so a client can
exceed the rate by about its number of simultaneous connections, never by more. Within one
worker a lock makes each bucket exact. An empty or unreachable cache lets requests through.

Signed-in users (editors) are not throttled. IPv6 addresses are grouped by /64, the block one
client usually holds.
"""

import math
import threading
import time
from functools import lru_cache
from ipaddress import IPv6Address, ip_address, ip_network

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.utils.translation import ngettext

from .client_ip import client_ip

# The URL names whose pages are expensive, and whether only their filtered form is (the
# unfiltered graph is one cached entry for everyone).
THROTTLED_VIEWS = {
    "deals:graph": "filtered",
    "deals:export_json": "always",
    "deals:export_csv": "always",
    "deals:search": "always",
    "deals:export_summary": "always",
    "deals:summary": "always",
}

_PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60}
_PERIODS |= {"h": 3600, "hour": 3600, "d": 86400, "day": 86400}

_lock = threading.Lock()


@lru_cache(maxsize=8)
def parse_rate(rate: str) -> tuple[int, int] | None:
    """`"60/min"` → (60 requests, 60 seconds); empty or "off" → None (no throttling)."""
    text = (rate or "").strip().lower()
    if text in ("", "0", "off", "none"):
        return None
    count, _, period = text.partition("/")
    try:
        requests = int(count)
        seconds = _PERIODS[period.strip().rstrip("s") or "s"] if period else 1
    except (ValueError, KeyError) as error:
        raise ImproperlyConfigured(
            f"DEALWATCH_THROTTLE_RATE must read like 60/min (requests per s, min, hour or "
            f"day), not {rate!r}."
        ) from error
    if requests <= 0:
        return None
    return requests, seconds


def _bucket_key(address: str) -> str:
    try:
        parsed = ip_address(address)
    except ValueError:
        return f"dealwatch:throttle:{address or 'unknown'}"
    if isinstance(parsed, IPv6Address):
        if parsed.ipv4_mapped:  # ::ffff:203.0.113.7 is 203.0.113.7
            return f"dealwatch:throttle:{parsed.ipv4_mapped}"
        return f"dealwatch:throttle:{ip_network(f'{parsed}/64', strict=False)}"
    return f"dealwatch:throttle:{parsed}"


def take_token(address: str, requests: int, seconds: int) -> float:
    """Take one token from `address`'s bucket: 0 when taken, else the seconds to wait."""
    per_second = requests / seconds
    key = _bucket_key(address)
    with _lock:
        now = time.time()
        tokens, then = cache.get(key) or (float(requests), now)
        tokens = min(float(requests), tokens + (now - then) * per_second)
        if tokens >= 1:
            # An idle bucket is full again after `seconds`: it need not outlive that.
            cache.set(key, (tokens - 1, now), timeout=seconds)
            return 0.0
        cache.set(key, (tokens, now), timeout=seconds)
        return (1 - tokens) / per_second


def _is_expensive(request, view_name: str) -> bool:
    kind = THROTTLED_VIEWS.get(view_name)
    if kind == "filtered":
        return any(value for value in request.GET.values())
    return kind == "always"


class ThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        rate = parse_rate(getattr(settings, "DEALWATCH_THROTTLE_RATE", ""))
        if rate is None or request.resolver_match is None:
            return None
        if not _is_expensive(request, request.resolver_match.view_name):
            return None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return None
        wait = take_token(client_ip(request), *rate)
        if not wait:
            return None
        seconds = max(1, math.ceil(wait))
        message = ngettext(
            "Too many requests from your address. Please wait %(seconds)s second and try again.",
            "Too many requests from your address. Please wait %(seconds)s seconds and try again.",
            seconds,
        ) % {"seconds": seconds}
        response = HttpResponse(
            message + "\n", status=429, content_type="text/plain; charset=utf-8"
        )
        response["Retry-After"] = str(seconds)
        response["Cache-Control"] = "no-store"
        return response
