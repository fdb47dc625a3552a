"""What a cache key may contain, and how many entries of one kind the cache may hold.

The graph used to be cached under its raw query parameters, so `?min_amount=1`, `=2`, `=3`…
each made a new entry of 0.35–0.45 MB (at 30k deals), and anyone could fill a worker's memory
by counting. Two rules close that:

- A key is built from the filter's *cleaned* values in one canonical spelling (`filter_key`):
  a company by its id whichever name was typed, an amount as a plain decimal ("1B", "$1,000M"
  and "1000000000" are one key), a date in ISO form. A parameter that is unknown or invalid is
  left out of the filtering, so it is left out of the key too and makes no new entry.
- Valid values still come in endless variety, so a kind that is cached per filter has a bound
  (`KIND_LIMITS`): the cache holds at most that many entries of the kind, whatever the
  generation, and storing one more deletes the oldest (`make_room`). The unfiltered pages are
  kinds of their own and never pushed out by filtered ones.

With Redis the bound is shared by every worker and machine; Redis itself is also capped
(`docs/redis.conf`: `maxmemory` with `allkeys-lru`), which bounds everything else.
"""

from datetime import date
from decimal import Decimal

from django.core.cache import cache

# Entries of each bounded kind the cache keeps at most. A filtered graph is about 0.4 MB at
# 30k deals: 64 of them is about 26 MB per local-memory worker (or in Redis, shared).
KIND_LIMITS = {
    "graph:filtered": 64,
    # A filtered summary is a few KB of JSON: more of them fit, but never without a bound.
    "summary:filtered": 256,
    # Deal flow over time (pages/over_time.py): a few dozen KB per filter or company.
    "over-time:filtered": 128,
    "over-time:company": 256,
    "circularity:company": 512,
    # The data-centre map for a filter of the list (pages/datacentres.py): a few KB each.
    "datacentre-map:filtered": 128,
    # A standing chart drawn from its sums (pages/fragments.py): about 15 KB each; every edit
    # of a deal may make new sums.
    "standing-chart": 256,
}

_BOUND_PREFIX = "dealwatch:bound"


def canonical(value) -> str:
    """One spelling for a cleaned filter value, whichever way it was typed."""
    if isinstance(value, Decimal):
        # 1E+9, 1000000000.00 and 1000000000 are one amount.
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    slug = getattr(value, "slug", None)  # a company, cloud or chip platform: by its id
    if slug is not None:
        return slug
    return str(value)


def filter_key(filters) -> list[tuple[str, str]]:
    """The key parts of a `DealFilter`: its valid, non-empty values, canonical, in a fixed order.

    Empty for an unbound filter or one whose every value was refused: the unfiltered page.
    """
    if not filters.is_bound:
        return []
    filters.form.is_valid()  # fills cleaned_data; a refused value is not in it
    cleaned = filters.form.cleaned_data
    return [
        (name, canonical(cleaned[name]))
        for name in filters.filters  # the declaration order: independent of the URL's order
        if cleaned.get(name) not in (None, "")
    ]


def kind_limit(kind: str) -> int | None:
    """How many entries of `kind` the cache keeps (None: no bound of its own)."""
    return KIND_LIMITS.get(kind)


def make_room(kind: str, key: str) -> None:
    """Count `key` as the newest entry of `kind`, deleting the oldest one beyond its bound.

    Call it just before storing `key`. The entries of a kind sit in a ring of `limit` slots;
    each new entry takes the next slot (an atomic increment, so two workers never share one)
    and deletes the entry that held it. Kinds without a bound cost one dictionary lookup.
    """
    limit = kind_limit(kind)
    if not limit:
        return
    counter = f"{_BOUND_PREFIX}:{kind}:next"
    cache.add(counter, 0, timeout=None)
    try:
        number = cache.incr(counter)
    except ValueError:  # evicted between the two calls: start the ring again
        cache.set(counter, 1, timeout=None)
        number = 1
    slot = f"{_BOUND_PREFIX}:{kind}:{number % limit}"
    previous = cache.get(slot)
    cache.set(slot, key, timeout=None)
    if previous and previous != key:
        cache.delete(previous)
