"""What the search page shows, and the suggestions under the search box.

The results are not cached: a search reads only the rows it shows, and queries rarely repeat.
What is cached is the folded list of every name (`selectors.spellings`), read once per data
generation and only by a search whose names as typed found nothing.

The suggestions are the first few of each group of the very results the search page shows,
so that their last line, "All N results", names what that page lists.
"""

from dataclasses import dataclass

from deals.selectors.search import SearchResults, search
from deals.selectors.spellings import Spellings, searchable_names

from .cache import cached

# Each group of the search page shows this many; one more is read to say "more than".
RESULTS_PER_GROUP = 20
# Each group under the search box shows this many.
SUGGESTIONS_PER_GROUP = 4
# One letter matches too much to be a useful suggestion.
SHORTEST_SUGGESTED_QUERY = 2


def spellings() -> Spellings:
    """Every folded name, from the cache (rebuilt once per data generation)."""
    return cached("search:spellings", searchable_names)


def results(query: str) -> SearchResults | None:
    """Everything `query` finds, or None when nothing was asked."""
    if not query:
        return None
    return search(query=query, limit=RESULTS_PER_GROUP, spellings=spellings)


GROUPS = ("companies", "clouds", "chips", "data_centres", "deals", "articles")


@dataclass(frozen=True)
class Suggestions:
    """The first few of each group of the search page's results, and how many it shows."""

    query: str
    companies: list
    clouds: list
    chips: list
    data_centres: list
    deals: list
    articles: list
    # How many results the search page shows; more than that match if `more`.
    total: int
    more: bool
    corrected: bool

    @property
    def shown(self) -> int:
        return sum(len(getattr(self, group)) for group in GROUPS)


def suggestions(query: str) -> Suggestions | None:
    """What the search box suggests for `query`, or None when it is too short to suggest."""
    if len(query) < SHORTEST_SUGGESTED_QUERY:
        return None
    found = results(query)
    first = {group: getattr(found, group)[:SUGGESTIONS_PER_GROUP] for group in GROUPS}
    return Suggestions(
        query=query, total=found.total, more=found.more, corrected=found.corrected, **first
    )
