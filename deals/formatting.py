"""Figures in words: the one place that turns an amount and its qualifier into text.

"up to $10B" in English and "ما يصل إلى 10 مليارات دولار" in Arabic; "up to 1 GW" and
"ما يصل إلى 1 غيغاواط". Every page, chart label and export summary goes through here, and so
do a deal's dates ("Q4 2025") and the words for the part each company plays in it.
"""

import datetime
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dealwatch.language import reader_language

from .models import DatePrecision, Qualifier, role_of

_SCALES_EN = [(Decimal(10) ** 12, "T"), (Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M")]

# Arabic counted nouns: (one, two in construct form, plural for 3-10, singular for 11+).
_SCALES_AR = [
    (Decimal(10) ** 12, ("تريليون", "تريليوني", "تريليونات", "تريليون")),
    (Decimal(10) ** 9, ("مليار", "ملياري", "مليارات", "مليار")),
    (Decimal(10) ** 6, ("مليون", "مليوني", "ملايين", "مليون")),
]

_QUALIFIER_EN = {
    Qualifier.EXACT: "{}",
    Qualifier.ABOUT: "about {}",
    Qualifier.UP_TO: "up to {}",
    Qualifier.MORE_THAN: "more than {}",
}
_QUALIFIER_AR = {
    Qualifier.EXACT: "{}",
    Qualifier.ABOUT: "نحو {}",
    Qualifier.UP_TO: "ما يصل إلى {}",
    Qualifier.MORE_THAN: "أكثر من {}",
}
_UNDISCLOSED = {"en": "undisclosed", "ar": "غير معلن"}


def _number(value: Decimal) -> str:
    """1.25 → "1.25", 8.0 → "8", 61.5 → "61.5", 23644.98 → "23,644.98"; no float surprises.

    Thousands are grouped with "," and decimals marked with "." in both languages, as
    dealwatch/formats writes every other number.
    """
    text = f"{value.quantize(Decimal('0.01')):,f}".rstrip("0").rstrip(".")
    return text or "0"


def _arabic_count(value: Decimal, forms: tuple[str, str, str, str]) -> str:
    singular, dual, plural, eleven_plus = forms
    if value == 1:
        return f"{singular} دولار"
    if value == 2:
        return f"{dual} دولار"
    number = _number(value)
    if value == value.to_integral_value() and 3 <= value <= 10:
        return f"{number} {plural} دولار"
    return f"{number} {eleven_plus if value >= 11 else singular} دولار"


def money_words(amount: Decimal | None, language: str | None = None) -> str:
    """An amount without qualifier: "$10B", "$300M", "10 مليارات دولار"."""
    if amount is None:
        return ""
    amount = Decimal(amount)
    lang = reader_language(language)
    if lang == "ar":
        for scale, forms in _SCALES_AR:
            if amount >= scale:
                return _arabic_count(amount / scale, forms)
        return f"{_number(amount)} دولار"
    for scale, suffix in _SCALES_EN:
        if amount >= scale:
            return f"${_number(amount / scale)}{suffix}"
    return f"${_number(amount)}"


def format_money(amount: Decimal | None, qualifier: str, language: str | None = None) -> str:
    """The amount in words with its qualifier: "up to $10B", "undisclosed", "نحو 8 مليارات"."""
    lang = reader_language(language)
    if qualifier == Qualifier.UNDISCLOSED or amount is None:
        return _UNDISCLOSED[lang]
    templates = _QUALIFIER_AR if lang == "ar" else _QUALIFIER_EN
    return templates.get(qualifier, "{}").format(money_words(amount, lang))


def format_power(power_gw: Decimal | None, qualifier: str, language: str | None = None) -> str:
    """Power in words: "up to 1 GW", "2.2 GW", "ما يصل إلى 1 غيغاواط"; empty when unknown."""
    if power_gw is None or qualifier == Qualifier.UNDISCLOSED:
        return ""
    lang = reader_language(language)
    power_gw = Decimal(power_gw)
    if lang == "ar":
        figure = (
            f"{_number(power_gw)} غيغاواط"
            if power_gw >= 1
            else f"{_number(power_gw * 1000)} ميغاواط"
        )
        return _QUALIFIER_AR.get(qualifier, "{}").format(figure)
    figure = f"{_number(power_gw)} GW" if power_gw >= 1 else f"{_number(power_gw * 1000)} MW"
    return _QUALIFIER_EN.get(qualifier, "{}").format(figure)


def full_amount(amount: Decimal) -> str:
    """Every digit of an amount, "$8,000,000,000" or "$1,234.5": what an editor typed."""
    return f"${amount:,.0f}" if amount == amount.to_integral_value() else f"${amount:,}"


# -- dates ------------------------------------------------------------------------------------


# One way to write a date per language, on every page (timeline, deal, company, search):
# "18 Nov 2025" / "18 نوفمبر 2025", "Nov 2025" / "نوفمبر 2025". Arabic has no customary short
# month names, so it spells them out. Exports stay ISO (2025-11-18).
_DAY_FORMAT = {"en": "j M Y", "ar": "j F Y"}
_MONTH_FORMAT = {"en": "M Y", "ar": "F Y"}


def day_words(day: datetime.date | None, language: str | None = None) -> str:
    """A whole date, as every page writes one: "18 Nov 2025", "18 نوفمبر 2025"; "" for none."""
    if day is None:
        return ""
    return date_format(day, _DAY_FORMAT[reader_language(language)])


def date_words(day: datetime.date | None, precision: str, language: str | None = None) -> str:
    """A date exactly as precisely as the sources give it: "18 Nov 2025", "Nov 2025",
    "Q4 2025", "2025" (a quarter never becomes its first month)."""
    if day is None:
        return _("date unknown")
    if precision == DatePrecision.YEAR:
        return str(day.year)
    if precision == DatePrecision.QUARTER:
        return _("Q%(quarter)s %(year)s") % {"quarter": (day.month - 1) // 3 + 1, "year": day.year}
    if precision == DatePrecision.MONTH:
        return date_format(day, _MONTH_FORMAT[reader_language(language)])
    return day_words(day, language)


def date_span_words(dated, language: str | None = None) -> str:
    """When payments in parts were made: "Sep 2023 – Nov 2024, in 3 tranches".

    `dated` is a list of (date, precision), oldest first, e.g. a deal's tranches. The ends
    are said no more precisely than their month (a span of days reads poorly), and never more
    precisely than stored. One item is just its date.
    """
    dated = [(day, precision) for day, precision in dated if day is not None]
    if not dated:
        return _("date unknown")
    if len(dated) == 1:
        return date_words(*dated[0], language=language)

    def end(day, precision):
        coarse = DatePrecision.MONTH if precision == DatePrecision.DAY else precision
        return date_words(day, coarse, language)

    first, last = end(*dated[0]), end(*dated[-1])
    span = first if first == last else f"{first} – {last}"
    return ngettext(
        "%(span)s, in %(count)s tranche", "%(span)s, in %(count)s tranches", len(dated)
    ) % {"span": span, "count": len(dated)}


def month_heading(day: datetime.date | None, precision: str) -> str:
    """The timeline's heading for a deal's date: its month, or its quarter or year when that is
    all the sources give."""
    if day is None:
        return _("Date unknown")
    if precision in (DatePrecision.YEAR, DatePrecision.QUARTER):
        return date_words(day, precision)
    return date_format(day, "YEAR_MONTH_FORMAT")


# -- the parties ------------------------------------------------------------------------------

# What each role of deals.models.PARTY_ROLES is called beside a company's name.
ROLE_WORDS = {
    "investor": gettext_lazy("investor"),
    "investee": gettext_lazy("investee"),
    "buyer": gettext_lazy("buyer"),
    "provider": gettext_lazy("provider"),
    "chip_buyer": gettext_lazy("buyer"),
    "chip_vendor": gettext_lazy("supplier"),
}


def role_word(deal_type: str, side: str) -> str:
    """What the company on `side` ("payer" or "payee") of a deal of this type is called:
    "investor", "provider", "supplier"."""
    return str(ROLE_WORDS[role_of(side, deal_type)])
