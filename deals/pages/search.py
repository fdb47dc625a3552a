"""What the search page shows: the full results, or the few suggestions under the search box.

Not cached: a search reads only the rows it shows, and queries rarely repeat.
"""

from deals.selectors.search import SearchResults, search

SUGGESTIONS = 5
# One letter matches too much to be a useful suggestion.
SHORTEST_SUGGESTED_QUERY = 2


def results(query: str) -> SearchResults | None:
    """Everything `query` finds, or None when nothing was asked."""
    return search(query=query) if query else None


def suggestions(query: str) -> SearchResults | None:
    """The first few companies, platforms and deals; no articles (the slowest part)."""
    if len(query) < SHORTEST_SUGGESTED_QUERY:
        return None
    return search(query=query, limit=SUGGESTIONS, articles=False)
