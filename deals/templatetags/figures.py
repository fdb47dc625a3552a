"""Template filters for figures and dates in words: {{ deal|money }}, {{ deal|power }},
{{ deal.announced_on|date_words:deal.date_precision }}, {{ article.published_on|day_words }},
{{ deal|deal_dates }}, {{ deal|role:"payer" }}.

Every date a page shows goes through `date_words` (with its stored precision) or `day_words`
(a whole date): one format per language, never Django's `|date` with a format of its own.
"""

from django import template

from deals import formatting
from deals.formatting import format_money, format_power, money_words, role_word

register = template.Library()


@register.filter
def money(record, prefix: str = "") -> str:
    """Any object with `<prefix>amount_usd` and `<prefix>amount_qualifier`, e.g. a deal."""
    return format_money(
        getattr(record, f"{prefix}amount_usd"), getattr(record, f"{prefix}amount_qualifier")
    )


@register.filter
def power(record, prefix: str = "") -> str:
    return format_power(
        getattr(record, f"{prefix}power_gw"), getattr(record, f"{prefix}power_qualifier")
    )


@register.filter
def usd(amount) -> str:
    """A bare amount: "$10B" / "10 مليارات دولار"."""
    return money_words(amount)


@register.filter
def date_words(day, precision: str) -> str:
    """A date as precisely as the sources give it: "1 October 2025", "Q4 2025", "2025"."""
    return formatting.date_words(day, precision)


@register.filter
def day_words(day) -> str:
    """A whole date as every page writes one: "18 Nov 2025", "18 نوفمبر 2025"."""
    return formatting.day_words(day)


@register.filter
def deal_dates(deal) -> str:
    """When a deal happened: its date, or for a deal paid in tranches the span of its
    tranches ("Sep 2023 – Nov 2024, in 3 tranches"). Reads `deal.tranches.all()` (prefetch)."""
    tranches = list(deal.tranches.all())
    if len(tranches) > 1:
        return formatting.date_span_words([(t.paid_on, t.date_precision) for t in tranches])
    return formatting.date_words(deal.announced_on, deal.date_precision)


@register.filter
def month_heading(day, precision: str) -> str:
    """A timeline group's heading: "October 2025", "Q4 2025", "Date unknown"."""
    return formatting.month_heading(day, precision)


@register.filter
def role(deal, side: str) -> str:
    """What the deal's "payer" or "payee" is called in it: "investor", "provider"..."""
    return role_word(deal.deal_type, side)
