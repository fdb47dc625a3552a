"""Saved timeline filters: one canonical query string per filter, and its words.

Two links to the same filter ("?type=investment&company=أنثروبيك" and
"?company=anthropic&type=investment") are one follow: the query is rebuilt from the filter's
valid values (a company by its id), in a fixed order.
"""

from django.http import QueryDict
from django.utils.translation import gettext as _

from deals.filters import DealFilter
from deals.pages.filters import deal_filter
from deals.pages.timeline import filter_summary


def filter_of(query: str) -> DealFilter:
    """The timeline's filter for a saved query string."""
    return deal_filter(QueryDict(query))


def canonical_query(filters: DealFilter) -> str:
    """The filter's valid, non-empty values as a query string in a fixed order ("" for none)."""
    query = QueryDict(mutable=True)
    for name, value in sorted(filters.active_params.items()):
        query[name] = value
    return query.urlencode()


def describe(query: str) -> str:
    """The saved filter in the reader's words: "Company: Anthropic; Type: investment"."""
    filters = filter_of(query)
    if filters.error_messages:
        return _("a filter that no longer works (%(query)s)") % {"query": query}
    return filter_summary(filters) or _("all deals")
