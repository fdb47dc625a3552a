"""Template filters for figures in words: {{ deal|money }}, {{ deal|power }}."""

from django import template

from deals.formatting import format_money, format_power, money_words

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
