"""Django's Redis cache, made to behave like an empty cache while Redis is unreachable.

Django's `RedisCache` raises `redis.ConnectionError` from every call when Redis is down, so
every page answered 500. The cache only holds what can be computed again, so here a lost
connection reads as a miss and a write is dropped: pages are still served, computed on each
request (slower), and the throttle lets requests through. After a failure the client does not
try Redis again for `RETRY_SECONDS`, so an outage costs one connection attempt per worker every
few seconds rather than one per cache call (each may wait for the connect timeout).
"""

import contextlib
import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
_UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class _Unavailable(Exception):
    """Redis is down (or was a moment ago): the call did not reach it."""


class TolerantRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._down_until = 0.0
        self._lock = threading.Lock()

    def _call(self, method, *args):
        if time.monotonic() < self._down_until:
            raise _Unavailable
        try:
            result = method(*args)
        except _UNREACHABLE as error:
            with self._lock:
                if self._down_until == 0.0:
                    logger.warning("Redis is unreachable, serving without the cache: %s", error)
                self._down_until = time.monotonic() + RETRY_SECONDS
            raise _Unavailable from error
        if self._down_until:
            with self._lock:
                recovered, self._down_until = bool(self._down_until), 0.0
            if recovered:
                logger.warning("Redis is reachable again: the cache is back in use.")
                self._forget_what_may_be_stale()
        return result

    def _forget_what_may_be_stale(self):
        """An edit made during the outage could not move the data generation on, so entries
        stored before it would pass for current: drop the generation, which starts a new one
        (as an edit does: readers get the previous figures while they are rebuilt)."""
        from deals.pages.cache import GENERATION_KEY

        with contextlib.suppress(*_UNREACHABLE):
            super().delete(self.make_key(GENERATION_KEY))

    def _or(self, fallback, method, *args):
        """`method(*args)`, or `fallback` (what an empty cache answers) while Redis is down."""
        try:
            return self._call(method, *args)
        except _Unavailable:
            return fallback

    def add(self, key, value, timeout):
        return self._or(False, super().add, key, value, timeout)

    def get(self, key, default):
        return self._or(default, super().get, key, default)

    def set(self, key, value, timeout):
        self._or(None, super().set, key, value, timeout)

    def touch(self, key, timeout):
        return self._or(False, super().touch, key, timeout)

    def delete(self, key):
        return self._or(False, super().delete, key)

    def get_many(self, keys):
        return self._or({}, super().get_many, keys)

    def has_key(self, key):
        return self._or(False, super().has_key, key)

    def incr(self, key, delta):
        try:
            return self._call(super().incr, key, delta)
        except _Unavailable as error:
            # What the cache API raises for a key it does not hold: callers already handle it.
            raise ValueError(f"Key '{key}' not found (Redis is unreachable).") from error

    def set_many(self, data, timeout):
        self._or(None, super().set_many, data, timeout)

    def delete_many(self, keys):
        self._or(None, super().delete_many, keys)

    def clear(self):
        return self._or(False, super().clear)


class TolerantRedisCache(RedisCache):
    """`RedisCache` that serves misses instead of raising while Redis is unreachable."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = TolerantRedisCacheClient

    @cached_property
    def _cache(self):
        client = super()._cache
        client.make_key = self.make_key  # the full key of a name, for `_forget_what_may_be_stale`
        return client
