"""The one cache of the site: page parts kept with the data "generation" they were built from.

Only `deals.pages` reads and fills it (plus `deals.signals`, the commands that write in bulk
and `pages.warm`, which bump the generation or refresh the entries). A cached value never
holds another cached value: each key is filled by one function of `deals.pages`, which may
read an earlier entry as its input (the money flows that both the loops and the unfiltered
Sankey are built from).

The overview, the graph and the company directory sum over every deal: at a million deals
that is seconds of SQL, the same for every visitor until the data change. They are kept in
Django's cache (Redis when REDIS_URL is set, the process's local memory otherwise):

    charts = cached("overview", overview_charts, language)

**One generation for every process.** The generation lives where every process reads it at
once: in Redis when the cache is Redis (every machine shares it), otherwise in a small file
(`DEALWATCH_GENERATION_FILE`, one per database in the system's temporary directory by
default) replaced atomically under a lock. Reading it costs one Redis GET or one file read,
never a database query. `bump_generation()` moves it on; `deals.signals` calls it only once
the write's transaction has committed, so no reader can store old data as new.

**No cold page after an edit.** Each entry is stored as `(generation, value)` under a key
that does not hold the generation. A reader who finds the current generation gets the value.
A reader who finds an older one gets the previous figures at once while exactly one worker
builds the new ones (a lock taken with `cache.add`): in a background thread of a server
process (`DEALWATCH_REFRESH_IN_BACKGROUND`), or inline where that is off (the tests) or
inside `refreshing()` (`pages.warm`). Only a reader who finds nothing at all (a fresh deploy
before `warm_cache`) computes on its request, and a second such reader waits for the first.

With the local-memory cache each process keeps its own entries, so each refreshes its own
(once per edit: `pages.warm` does it off the request path); with Redis one refresh serves all,
and a refresher process (`warm_cache --follow`) takes the big pages' rebuilds off the servers
altogether (`refresher_rebuilds`). However often the data change, an entry that took t seconds
to build is rebuilt at most every DEALWATCH_REFRESH_PACE × t seconds (`too_soon`), and one
built from an entry still out of date is stored as that old (`_store`).

Readers are told: each out-of-date part a request is served is noted (`note_stale_parts`), and
the page then says at its top how old its charts are (`dealwatch.refreshing`). Entries hold
their parts' HTML, rendered once when they are built (`pages.fragments`); a warm round
computes the sums that name no language once for both languages (`per_round`).

The overview's headline is not here at all: the database keeps its sums (`deals.tally`).
"""

import contextlib
import contextvars
import fcntl
import hashlib
import logging
import os
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import translation

from dealwatch.db_router import primary_reads

from .keys import make_room

logger = logging.getLogger(__name__)

GENERATION_KEY = "dealwatch:generation"
# Freshness comes from the generation; the TTL only drops entries nobody has read for a day
# (an entry must outlive an edit, since its previous figures are served while it is rebuilt).
DATA_TTL_SECONDS = 24 * 60 * 60
# How long one worker may hold an entry's refresh before another may take it over (a worker
# killed mid-refresh must not keep readers on old figures for longer).
LOCK_SECONDS = 30
# How long a reader who finds nothing waits for another worker already computing the entry.
WAIT_SECONDS = 10.0
POLL_SECONDS = 0.05

_MISSING = object()


# The generation ---------------------------------------------------------------------------


def _generation_file() -> Path:
    configured = settings.DEALWATCH_GENERATION_FILE
    if configured:
        return Path(configured)
    # One file per database: two sites (or the bench's databases) on one machine do not
    # invalidate each other's pages.
    database = settings.DATABASES["default"]
    where = f"{database.get('HOST', '')}:{database.get('PORT', '')}/{database.get('NAME', '')}"
    digest = hashlib.sha1(where.encode(), usedforsecurity=False).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"dealwatch-generation-{digest}"


def _shared_in_cache() -> bool:
    return settings.DEALWATCH_GENERATION_STORE == "cache"


def _read_file(path: Path) -> int | None:
    try:
        return int(path.read_bytes()) or None
    except (FileNotFoundError, ValueError):
        return None


def _bump_file(path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        # Two writers at once must not both write the same next number.
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            # Never below the clock: a file lost with the temporary directory starts again
            # above every number an older entry may still carry.
            new = max((_read_file(path) or 0) + 1, time.time_ns())
            temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            temporary.write_text(str(new))
            # Readers see the old file or the new one, never a half-written one.
            os.replace(temporary, path)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return new


def generation() -> int:
    """The current data generation (created on first use)."""
    _run_test_commits()
    if not _shared_in_cache():
        path = _generation_file()
        return _read_file(path) or _bump_file(path)
    value = cache.get(GENERATION_KEY)
    if value is None:
        # Start from the clock, not 1: a restarted cache never reuses an older run's numbers.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY, 0)
    return value


def bump_generation(**_signal_kwargs) -> None:
    """Mark every cached part out of date. Call it once a write has committed (the signal
    receivers of `deals.signals` do; bulk writers call it at their end)."""
    if not _shared_in_cache():
        _bump_file(_generation_file())
        return
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet (or it was evicted)
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def after_commit(func, using: str | None = None) -> None:
    """Run `func` once the current transaction has committed (at once outside one), once per
    transaction however many writes ask; not at all if it rolls back."""
    using = using or DEFAULT_DB_ALIAS
    connection = transaction.get_connection(using)
    _after_commit.add(func)
    if _only_test_transactions(connection):
        func()  # a test's own wrapping transaction never commits: its writes count as committed
        return
    if any(waiting is func for _ids, waiting, _robust in connection.run_on_commit):
        return
    transaction.on_commit(func, using=using)


# What `after_commit` was given (the callbacks `_run_test_commits` may run).
_after_commit: set = set()


def _only_test_transactions(connection) -> bool:
    blocks = connection.atomic_blocks
    return bool(blocks) and all(getattr(block, "_from_testcase", False) for block in blocks)


def _run_test_commits() -> None:
    """In a test, once a write's own `atomic` block has exited only the test case's wrapping
    transaction is left, which never commits: a callback of `after_commit` still waiting runs
    now, as that write's commit would have run it. (Never the case outside the tests: a
    transaction of the site is never the test case's, so this is one look at an empty list.)"""
    for connection in connections.all(initialized_only=True):
        if not connection.run_on_commit or not _only_test_transactions(connection):
            continue
        waiting = [entry for entry in connection.run_on_commit if entry[1] in _after_commit]
        if waiting:
            connection.run_on_commit = [e for e in connection.run_on_commit if e not in waiting]
            for _ids, func, _robust in waiting:
                func()


# The entries -------------------------------------------------------------------------------


# Moved on whenever what an entry holds changes shape (2: parts kept as their rendered HTML,
# `pages.fragments`), so that a server of the new code never reads an entry of the old from a
# shared cache, nor the other way round during a deploy.
ENTRY_FORMAT = 2


def cache_key(name: str, *parts) -> str:
    """The key of `name` and its parameters (the same in every generation)."""
    described = repr((ENTRY_FORMAT, parts)).encode()
    suffix = hashlib.sha1(described, usedforsecurity=False).hexdigest()[:16]
    return f"dealwatch:{name}:{suffix}"


# Inside `refreshing()` an out-of-date entry is rebuilt at once, in this thread.
_refresh_inline = contextvars.ContextVar("dealwatch_refresh_inline", default=False)
# Background refreshes under way in this process (`wait_for_refreshes`).
_refreshes: set[threading.Thread] = set()
_refreshes_lock = threading.Lock()


@contextlib.contextmanager
def refreshing():
    """Rebuild every out-of-date entry read in this block now, in this thread (unless another
    worker is already at it): what `pages.warm` runs its pages in."""
    token = _refresh_inline.set(True)
    try:
        yield
    finally:
        _refresh_inline.reset(token)


# Sums shared by both languages of one warm round --------------------------------------------

# Within `one_round()`: {name: (generation, value)} of what `per_round` computed.
_round: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "dealwatch_round", default=None
)


@contextlib.contextmanager
def one_round():
    """A warm round (`pages.warm`): the sums that name no language, which the English and the
    Arabic entries of a page are both drawn from, are computed once in it (`per_round`)."""
    token = _round.set({})
    try:
        yield
    finally:
        _round.reset(token)


def per_round(name: str, compute):
    """`compute()` once per `one_round()` (at every call outside one). At a million deals the
    overview's and the flow charts' sums took about 19 s, once for each language.

    Reused in a later generation (an edit committed during the round), the value counts as
    an out-of-date input: the entry drawn from it is stored as that old (`_store`), so it is
    built again rather than taken for current.
    """
    memo = _round.get()
    if memo is None:
        return compute()
    if name in memo:
        made, value = memo[name]
        if made != generation():
            _served_previous((made, value))
        return value
    made = generation()
    value = compute()
    memo[name] = (made, value)
    return value


# The refresher process (`warm_cache --follow`, `pages.warm.follow`) -------------------------

REFRESHER_KEY = "dealwatch:refresher"
# The refresher says it is alive this often, and is taken for gone after this long without.
HEARTBEAT_SECONDS = 2.0
HEARTBEAT_TTL = 10
# The names of the entries `refreshing()` blocks have read in this process (what a refresher
# rebuilds each round, so readers can leave them to it).
_rebuilt_names: set[str] = set()


def beat(names) -> None:
    """Tell every server process that a refresher is alive and rebuilds the entries `names`."""
    cache.set(REFRESHER_KEY, {"pid": os.getpid(), "names": sorted(names)}, HEARTBEAT_TTL)


def refresher_rebuilds(name: str) -> bool:
    """Whether a live refresher process rebuilds the entries of `name` (then a reader who
    finds one out of date serves it and leaves the rebuild to it). Asked only of an entry out
    of date: one cache read, never on the warm path."""
    if _refresh_inline.get():
        return False  # the refresher itself, or a warm round: rebuild now
    refresher = cache.get(REFRESHER_KEY)
    return bool(refresher) and name in refresher["names"]


def rebuilt_names() -> set[str]:
    return set(_rebuilt_names)


def refresh_lock(name: str, *parts) -> str:
    """The key of the lock one worker holds while it rebuilds the entry of `name`, `parts`."""
    return f"{cache_key(name, *parts)}:lock"


def cached(name: str, compute, *parts, timeout: int = DATA_TTL_SECONDS):
    """`compute()` once per generation (and per `parts`, e.g. the language or a filter).

    After a change, the previous value is served while one worker recomputes it (see above).
    """
    key = cache_key(name, *parts)
    if _refresh_inline.get():
        _rebuilt_names.add(name)
    current = generation()
    entry = cache.get(key)
    if entry is None:
        # A new key: within its kind's bound (pages.keys), the oldest of the kind makes way.
        make_room(name, key)
        return _first_value(key, compute, current, timeout)
    made, value = entry[:2]
    if made == current:
        return value
    if refresher_rebuilds(name) or (not _refresh_inline.get() and too_soon(entry)):
        # The refresher process is at it, or it was rebuilt a moment ago at a cost (the next
        # edit's rebuild takes both): the previous figures meanwhile.
        return _served_previous(entry)
    lock = refresh_lock(name, *parts)
    if not cache.add(lock, os.getpid(), LOCK_SECONDS):
        # Another worker is building the new figures: the previous ones meanwhile.
        return _served_previous(entry)
    if settings.DEALWATCH_REFRESH_IN_BACKGROUND and not _refresh_inline.get():
        _refresh_in_background(key, lock, compute, timeout)
        return _served_previous(entry)
    try:
        return _store(key, compute, current, timeout)
    finally:
        cache.delete(lock)


def too_soon(entry: tuple) -> bool:
    """Whether an out-of-date entry was built too recently to be rebuilt already.

    An entry that took `cost` seconds to build is rebuilt at most once every
    DEALWATCH_REFRESH_PACE × `cost` seconds: with an edit a second, a page that takes 3 s to
    build at a million deals would otherwise be rebuilt without end, by every server, and its
    readers would wait for the CPU it takes. Cheap entries (milliseconds) are rebuilt at once;
    costly ones lag an edit by at most that interval, and take the CPU of their rebuilds at most
    1 / pace of the time. 0 turns it off (the tests)."""
    pace = settings.DEALWATCH_REFRESH_PACE
    if not pace or len(entry) < 4:
        return False
    _made, _value, built_at, cost = entry
    return time.time() - built_at < pace * cost


# The generations of the out-of-date entries a `compute()` under way was given as its input.
_inputs_made: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "dealwatch_inputs_made", default=None
)


def _served_previous(entry: tuple):
    """The value of `entry` (generation, value, built at, cost), served although out of date:
    an entry being computed from it is as old as it is (`_store`), and a page showing it
    says so (`note_stale_parts`)."""
    made, value = entry[:2]
    inputs = _inputs_made.get()
    if inputs is not None:
        inputs.append(made)
    noted = _stale_built.get()
    if noted is not None and len(entry) > 2:
        noted.append(entry[2])
    return value


# When each out-of-date part served since `note_stale_parts` was built (time.time()).
_stale_built: contextvars.ContextVar[list[float] | None] = contextvars.ContextVar(
    "dealwatch_stale_built", default=None
)


def note_stale_parts() -> list[float]:
    """From now on in this context, note when each out-of-date part served was built: the
    list returned fills as parts are read (`dealwatch.refreshing`, once per request)."""
    noted: list[float] = []
    _stale_built.set(noted)
    return noted


def _store(key: str, compute, current: int, timeout: int):
    # `current` was read before `compute()` ran: a change committed meanwhile has moved the
    # generation on, so this value is refreshed again rather than taken for the newest.
    # From the primary: a replica a moment behind must not fill the entry of this generation.
    started = time.perf_counter()
    token = _inputs_made.set([])
    try:
        with primary_reads():
            value = compute()
        # Built from an entry out of date (a company's circularity from every company's,
        # which the refresher is still rebuilding): stored as that old, so it is built again
        # once its input is new, rather than passing for current.
        made = min([current, *_inputs_made.get()])
    finally:
        _inputs_made.reset(token)
    entry = (made, value, time.time(), time.perf_counter() - started)
    cache.set(key, entry, timeout)
    if made != current:
        _served_previous(entry)  # an entry being computed from this one is as old
    return value


def _first_value(key: str, compute, current: int, timeout: int):
    """Nothing cached: compute, unless another worker is computing it already (then wait)."""
    lock = f"{key}:lock"
    if cache.add(lock, os.getpid(), LOCK_SECONDS):
        try:
            return _store(key, compute, current, timeout)
        finally:
            cache.delete(lock)
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline and cache.get(lock) is not None:
        time.sleep(POLL_SECONDS)
        entry = cache.get(key)
        if entry is not None:
            return entry[1]
    entry = cache.get(key)  # the other worker may have finished between two looks
    if entry is not None:
        return entry[1]
    return _store(key, compute, current, timeout)


def _refresh_in_background(key: str, lock: str, compute, timeout: int) -> None:
    language = translation.get_language()

    def refresh():
        try:
            with translation.override(language):
                _store(key, compute, generation(), timeout)
        except Exception:  # the readers keep the previous figures; the next one retries
            logger.exception("Refreshing the cached %s failed", key)
        finally:
            cache.delete(lock)
            # This thread's own database connection, opened for the refresh.
            connections.close_all()
            with _refreshes_lock:
                _refreshes.discard(threading.current_thread())

    thread = threading.Thread(target=refresh, name=f"dealwatch-refresh {key}", daemon=True)
    with _refreshes_lock:
        _refreshes.add(thread)
    deferred = getattr(_request, "deferred", None)
    if deferred is None:
        thread.start()
    else:
        deferred.append(thread)


# Refreshes asked for during a request start once its response is sent, so that the reader
# who found the old figures does not share the CPU with their rebuild (`deals.signals`).
_request = threading.local()


def defer_refreshes(**_signal_kwargs) -> None:
    """From now until `start_deferred_refreshes`, hold this thread's background refreshes."""
    # A previous response that was never closed left its refreshes waiting: start them now,
    # or they would be dropped until their locks expire.
    start_deferred_refreshes()
    _request.deferred = []


def start_deferred_refreshes(**_signal_kwargs) -> None:
    """Start the refreshes held since `defer_refreshes` (the response has been sent)."""
    deferred = getattr(_request, "deferred", None)
    _request.deferred = None
    for thread in deferred or ():
        thread.start()


def wait_for_refreshes(timeout: float = 60.0) -> None:
    """Wait until this process's background refreshes are done (tests and the bench)."""
    deadline = time.monotonic() + timeout
    while True:
        with _refreshes_lock:
            # A refresh held until its request ends (`defer_refreshes`) cannot be joined yet.
            running = [thread for thread in _refreshes if thread.ident is not None]
        if not running or time.monotonic() > deadline:
            return
        running[0].join(max(0.0, deadline - time.monotonic()))


def memoized(name: str, compute, *parts, timeout: int = DATA_TTL_SECONDS):
    """`compute()` for `parts` that decide it wholly, kept whatever the generation: a chart
    drawn from the headline's sums is the same chart for the same sums (a kind bounded in
    `pages.keys`, since every edit may make new sums)."""
    key = cache_key(name, *parts)
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        make_room(name, key)
        value = compute()
        cache.set(key, value, timeout)
    return value


def cached_many(name: str, keys, compute_missing, *parts, timeout: int = DATA_TTL_SECONDS) -> dict:
    """`{key: value}` for each of `keys`, computing only those this generation has not cached.

    `compute_missing(keys)` gets the keys not found (or out of date) and returns
    `{key: value}` for them (it may leave out a key that no longer exists). One cache round
    trip to read, one to write. Each value is small and cheap (a deal's card), so an
    out-of-date one is rebuilt at once rather than served.
    """
    prefix = cache_key(name, *parts)
    current = generation()
    names = {f"{prefix}:{key}": key for key in keys}
    found = cache.get_many(list(names))
    values = {names[full]: entry[1] for full, entry in found.items() if entry[0] == current}
    missing = [key for key in names.values() if key not in values]
    if missing:
        with primary_reads():
            computed = compute_missing(missing)
        cache.set_many(
            {f"{prefix}:{key}": (current, value) for key, value in computed.items()}, timeout
        )
        values.update(computed)
    return values
