"""Template filters for figures and dates in words: {{ deal|money }}, {{ deal|power }},
{{ deal.announced_on|date_words:deal.date_precision }}, {{ deal|role:"payer" }}."""

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
def month_heading(day, precision: str) -> str:
    """A timeline group's heading: "October 2025", "Q4 2025", "Date unknown"."""
    return formatting.month_heading(day, precision)


@register.filter
def role(deal, side: str) -> str:
    """What the deal's "payer" or "payee" is called in it: "investor", "provider"..."""
    return role_word(deal.deal_type, side)
