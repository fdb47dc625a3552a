"""The one cache of the site: page parts kept per data "generation", which every change bumps.

Only `deals.pages` reads and fills it (plus `deals.signals` and the synthetic-data loader,
which bump the generation). A cached value never holds another cached value: each key is
filled by one function of `deals.pages`, which may read an earlier entry as its input (the
money flows that both the loops and the unfiltered Sankey are built from).

The overview, the graph and the company directory sum over every deal: at a million deals
that is seconds of SQL, the same for every visitor until the data change. They are kept in
Django's cache (Redis when REDIS_URL is set, the process's local memory otherwise) under keys
that contain the current generation:

    figures = cached("overview", overview_figures, language)

`bump_generation()` moves every reader to fresh keys at once (the old entries simply expire),
so nothing has to know which aggregates a change touches. It runs:
- on post_save / post_delete of deals, citations, tranches, status changes, companies,
  platforms, articles and valuations, and on changes of a deal's chip platforms (receivers
  connected by `deals.signals.connect_signals` from `DealsConfig.ready`), which covers the
  admin, services, `loaddata` and the importer when they save through the ORM;
- explicitly after bulk writes that bypass signals (`seed_synthetic`, `--flush`, raw SQL):
  call `bump_generation()` once at the end.

With the local-memory cache each process has its own cache *and its own generation*: a
change made by another process (a management command, another worker) is not seen until
`DATA_TTL_SECONDS`. Production runs Redis, where all processes share one generation.
"""

import hashlib
import time

from django.core.cache import cache

GENERATION_KEY = "dealwatch:generation"
# Entries are replaced on every change through the generation; the TTL only bounds how long a
# process with its own local-memory cache can lag behind another process's writes.
DATA_TTL_SECONDS = 60 * 60


def generation() -> int:
    """The current data generation (created on first use)."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        # Start from the clock, not 1: a restarted cache never reuses an older run's keys.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY, 0)
    return value


def bump_generation(**_signal_kwargs) -> None:
    """Invalidate every cached aggregate. Usable directly as a signal receiver."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet (or it was evicted)
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def cache_key(name: str, *parts) -> str:
    """A key for `name` and its parameters under the current generation."""
    suffix = hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()[:16]
    return f"dealwatch:{generation()}:{name}:{suffix}"


_MISSING = object()


def cached(name: str, compute, *parts, timeout: int = DATA_TTL_SECONDS):
    """`compute()` once per generation (and per `parts`, e.g. the language or a filter)."""
    key = cache_key(name, *parts)
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, timeout)
    return value


def cached_many(name: str, keys, compute_missing, *parts, timeout: int = DATA_TTL_SECONDS) -> dict:
    """`{key: value}` for each of `keys`, computing only those this generation has not cached.

    `compute_missing(keys)` gets the keys not found and returns `{key: value}` for them (it may
    leave out a key that no longer exists). One cache round trip to read, one to write.
    """
    prefix = cache_key(name, *parts)
    names = {f"{prefix}:{key}": key for key in keys}
    found = cache.get_many(list(names))
    values = {names[full]: value for full, value in found.items()}
    missing = [key for full, key in names.items() if full not in found]
    if missing:
        computed = compute_missing(missing)
        cache.set_many({f"{prefix}:{key}": value for key, value in computed.items()}, timeout)
        values.update(computed)
    return values
