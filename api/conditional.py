"""`ETag` and `Last-Modified` on every successful API response, and 304 when nothing changed.

The ETag is a hash of the body, so it is right by construction (whatever the filters, the
language or the caller, the same bytes have the same tag). Last-Modified is when this site
first served the current data generation (`deals.pages.cache`, moved on by every committed
write): never before the data last changed, so a client asking "modified since?" is never
told "no" wrongly. A conditional request still runs its queries; it saves the transfer.
"""

import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag

from deals.pages.cache import generation


def data_changed_at() -> float:
    """A time no earlier than the last committed change: one cache read (and a write the first
    time a generation is served)."""
    key = f"dealwatch:api:generation-seen:{generation()}"
    seen = cache.get(key)
    if seen is None:
        cache.add(key, time.time(), timeout=24 * 60 * 60)
        seen = cache.get(key) or time.time()
    return seen


def conditional(view):
    """Wrap an API view: validators on its 200 answers, 304 for a matching condition."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        head = request.method == "HEAD"
        if head:
            # Answered as GET: a link checker's HEAD works too.
            request.method = "GET"
        try:
            return validated(request, view(request, *args, **kwargs))
        finally:
            # The server then sends the headers alone.
            request.method = "HEAD" if head else request.method

    return wrapped


def validated(request, response):
    """`response` with its validators, or 304 when the request's condition matches them."""
    patch_vary_headers(response, ["Accept-Language", "Authorization"])
    if request.method != "GET" or response.status_code != 200:
        return response
    if getattr(response, "streaming", False):
        return response
    etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
    modified = int(data_changed_at())
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    # Caches may keep it, but must ask again (a cheap 304) before reusing it.
    private = {"private": True} if settings.REQUIRE_LOGIN else {}
    patch_cache_control(response, no_cache=True, **private)
    return get_conditional_response(request, etag=etag, last_modified=modified, response=response)
