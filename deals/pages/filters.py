"""The deal filter every page builds, with what its form offers read from the cache.

Without the cache the form would read the clouds, the chips and the suggested companies on
every request (three queries); they change only with the data.
"""

from django.utils.functional import SimpleLazyObject

from deals.filters import DealFilter
from deals.models import Deal
from deals.selectors.timeline import filter_choices, top_companies
from dealwatch.language import reader_language

from .cache import cached


def deal_filter(data) -> DealFilter:
    """A `DealFilter` of every deal for the request's `data` (None when nothing was sent)."""
    return DealFilter(
        data,
        queryset=Deal.objects.all(),
        # Each read only when the form needs it (an htmx refresh of a list never draws the
        # company box). The choices are per language: their names are in the reader's.
        model_choices=SimpleLazyObject(
            lambda: cached("filter-choices", filter_choices, reader_language())
        ),
        company_suggestions=SimpleLazyObject(lambda: cached("top-companies", top_companies)),
    )
