"""The deal-flow and circularity parts a page includes with one line: {% include
"includes/flow_over_time.html" %}, {% include "includes/circularity_table.html" %}.

These tags hand the page's own deals (its filter, its company) to `deals.pages`, which builds
and caches the figures: the views of the overview, the timeline and the company page stay as
they are, and the same include works on each of them.
"""

from django import template

from deals.charts import circularity as charts
from deals.pages import circularity, over_time
from deals.totals import STANDING_OF_STATUS, standing_name

register = template.Library()


@register.simple_tag
def flow_over_time(filters=None, company=None):
    """The flow charts of a page, as HTML: filtered (`filters`), one company's, or every
    deal's; None when the page's filter was refused."""
    return over_time.flow_over_time(filters=filters or None, company=company or None)


@register.simple_tag
def circularity_ranking():
    """The companies whose money comes back to them the most, ranked, as HTML."""
    return circularity.circularity_ranking()


@register.simple_tag
def company_circularity(company):
    """How much of `company`'s money comes back to it (or to its group), and through what,
    as HTML (empty when none does)."""
    return circularity.company_circularity(company)


@register.filter
def standing_words(status: str) -> str:
    """A deal status's standing: "firm", "promised", "reported" (empty when cancelled)."""
    standing = STANDING_OF_STATUS.get(status)
    return standing_name(standing) if standing else ""


@register.filter
def span_words(span) -> str:
    """What a loop could bring back, in words: "up to $5B", "about $10B"."""
    return charts.span_words(span)


@register.filter
def standing_label(standing) -> str:
    """A loop's standing in words: "firm", "promised", "reported"."""
    return standing_name(standing)
