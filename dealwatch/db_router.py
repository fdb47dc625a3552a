"""Visitors' page reads from the replica, when one is configured; everything else from the primary.

`DATABASE_REPLICA_URL` adds the "replica" database (settings/base.py). Then:

- a visitor's GET or HEAD (`ReplicaReadsMiddleware` marks the request) reads deals, companies
  and articles from the replica, including the rows of a streamed export;
- every write goes to the primary, and so does every read of a signed-in user (an editor sees
  the deal they just saved, whatever the replica's lag), of a POST, of a management command
  or the shell (no request: nothing is marked);
- sessions, users, permissions and sign-in records are always read from the primary: a visitor
  who has just signed in must not be signed out by a replica a moment behind;
- an unreachable replica sends reads to the primary: the middleware checks the connection at
  the start of a marked request (the health check Django runs on first use anyway), and after a
  failure leaves the replica alone for `RETRY_SECONDS`. A replica that fails in the middle of
  a request fails that request.

The replica lags the primary by its replication delay (usually well under a second).
"""

import contextlib
import contextvars
import logging
import time

from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
RETRY_SECONDS = 10.0
# Read from the primary whatever the request: who is signed in, and what they may do.
PRIMARY_ONLY_APPS = {"auth", "sessions", "admin", "contenttypes", "axes"}

# The database this request's page reads go to; None outside a visitor's request.
_read_from = contextvars.ContextVar("dealwatch_read_from", default=None)
_replica_down_until = 0.0


def replica_configured() -> bool:
    return REPLICA in connections.settings


def replica_available() -> bool:
    """Whether the replica is configured and answers (checked at most once per request)."""
    global _replica_down_until
    if not replica_configured() or time.monotonic() < _replica_down_until:
        return False
    replica = connections[REPLICA]
    try:
        # A kept connection is checked as Django checks it before its first query (and then
        # not again this request); a closed one is opened.
        replica.close_if_health_check_failed()
        replica.ensure_connection()
    except DatabaseError as error:
        if not _replica_down_until:
            logger.warning("The replica is unreachable, reading from the primary: %s", error)
        _replica_down_until = time.monotonic() + RETRY_SECONDS
        return False
    if _replica_down_until:
        logger.warning("The replica is reachable again.")
        _replica_down_until = 0.0
    return True


def reads_go_to_replica(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return replica_available()


@contextlib.contextmanager
def primary_reads():
    """Reads in this block go to the primary, even in a visitor's request: for what is stored
    in the shared cache, which must not be built from a replica a moment behind the
    generation it is stored under."""
    token = _read_from.set(None)
    try:
        yield
    finally:
        _read_from.reset(token)


def _streamed_from(alias, chunks):
    """A streamed response's chunks, produced with this request's reads still routed: its
    rows are read after the middleware has returned."""
    chunks = iter(chunks)
    while True:
        token = _read_from.set(alias)
        try:
            chunk = next(chunks)  # where the rows are read
        except StopIteration:
            return
        finally:
            _read_from.reset(token)
        yield chunk


class ReplicaReadsMiddleware:
    """Marks a visitor's page request so that `ReplicaRouter` sends its reads to the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured() or not reads_go_to_replica(request):
            return self.get_response(request)
        token = _read_from.set(REPLICA)
        try:
            response = self.get_response(request)
        finally:
            _read_from.reset(token)
        if response.streaming and not response.is_async:
            response.streaming_content = _streamed_from(REPLICA, response.streaming_content)
        return response


class ReplicaRouter:
    """Reads to the database the request was marked with; writes always to the primary."""

    def db_for_read(self, model, **hints):
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return "default"
        return _read_from.get()  # None: Django's default, the primary

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: a row from one may refer to a row of the other.
        return True
