"""Adding up uncertain figures honestly: the one arithmetic behind every total.

A deal's amount is exact, "about", "up to", "more than", or undisclosed, and the deal is firm
(signed, completed), promised (announced) or only reported (in talks, rumoured). Adding such
figures as bare numbers gives "Anthropic received $26B" where the sources say "$8B, more than
$3B, and up to $15B more if announced deals happen". A `Total` keeps what the sum is made of:

- per standing (firm / promised / reported), a `Span`: the least the figures guarantee
  (exact and "about" amounts, the floor of "more than") and the most they allow (adding the
  ceilings of "up to"; no ceiling once a "more than" is in it);
- how many amounts are undisclosed, per standing, so an unknown is counted, never drawn as 0.

Totals add (`+`), so the total of a filter is the sum of the totals of any partition of it, and
`words()` says a total in English or Arabic without hiding a qualifier. Cancelled deals are in no
total. The same type sums power (GW): `Total.of(..., unit=POWER)`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from dealwatch.language import ARABIC, reader_language

from .formatting import format_power, money_words
from .models import DataCenterProject, DealStatus, Qualifier

ZERO = Decimal(0)
MONEY = "money"
POWER = "power"


class Standing(StrEnum):
    """How far a deal has gone, as a reader weighs its money."""

    FIRM = "firm"
    PROMISED = "promised"
    REPORTED = "reported"


STANDING_OF_STATUS = {
    DealStatus.SIGNED: Standing.FIRM,
    DealStatus.COMPLETED: Standing.FIRM,
    DealStatus.ANNOUNCED: Standing.PROMISED,
    DealStatus.IN_TALKS: Standing.REPORTED,
    DealStatus.RUMORED: Standing.REPORTED,
}
STANDINGS = tuple(Standing)
# A data centre weighs like a deal: being built is as firm as a signed deal (the money is
# committed), planned is a promise; a cancelled site is in no total.
SITE_STANDING = {
    DataCenterProject.Status.OPERATIONAL: Standing.FIRM,
    DataCenterProject.Status.UNDER_CONSTRUCTION: Standing.FIRM,
    DataCenterProject.Status.PLANNED: Standing.PROMISED,
}


@dataclass(frozen=True)
class Span:
    """What some stated figures add up to: at least `low`, at most `high` (None: no ceiling)."""

    low: Decimal = ZERO
    high: Decimal | None = ZERO
    stated: int = 0
    # Which qualifiers are in it, for the words ("about $8B", "more than $3B").
    qualifiers: frozenset[str] = frozenset()
    # The "up to" ceilings it holds: what may come on top of `low`. A chart draws them apart
    # from the certain part even when a "more than" leaves the span without a ceiling.
    ceilings: Decimal = ZERO

    @classmethod
    def of(cls, amount: Decimal, qualifier: str, count: int = 1) -> Span:
        """The span of one figure, or of `count` figures of one qualifier adding to `amount`
        (a SQL GROUP BY row)."""
        amount = Decimal(amount)
        if qualifier == Qualifier.UP_TO:
            return cls(ZERO, amount, count, frozenset({qualifier}), ceilings=amount)
        if qualifier == Qualifier.MORE_THAN:
            return cls(amount, None, count, frozenset({qualifier}))
        return cls(amount, amount, count, frozenset({qualifier}))

    def __add__(self, other: Span) -> Span:
        high = None if self.high is None or other.high is None else self.high + other.high
        return Span(
            self.low + other.low,
            high,
            self.stated + other.stated,
            self.qualifiers | other.qualifiers,
            self.ceilings + other.ceilings,
        )

    @property
    def is_empty(self) -> bool:
        return self.stated == 0


_EMPTY_SPAN = Span()


@dataclass(frozen=True)
class Total:
    """The honest sum of some deals' figures (money or power)."""

    unit: str = MONEY
    spans: dict[Standing, Span] = field(default_factory=dict)
    undisclosed: dict[Standing, int] = field(default_factory=dict)

    @classmethod
    def of(cls, figures: Iterable[tuple[Decimal | None, str, str]], unit: str = MONEY) -> Total:
        """The total of `(amount, qualifier, status)` triples; cancelled deals are skipped."""
        return cls.from_rows(
            ((qualifier, status, amount, 1) for amount, qualifier, status in figures), unit
        )

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[tuple[str, str, Decimal | None, int]],
        unit: str = MONEY,
        standings: Mapping[str, Standing] = STANDING_OF_STATUS,
    ) -> Total:
        """The total of SQL GROUP BY rows `(qualifier, status, SUM(amount), COUNT(*))`, so that a
        total over a million deals is a few dozen rows, never the deals themselves.

        `standings` maps each status to its standing (`SITE_STANDING` for data centres); a
        status it does not know (cancelled) is in no total.
        """
        spans: dict[Standing, Span] = {}
        undisclosed: dict[Standing, int] = {}
        for qualifier, status, amount, count in rows:
            standing = standings.get(status)
            if standing is None or not count:
                continue
            if amount is None or qualifier == Qualifier.UNDISCLOSED:
                undisclosed[standing] = undisclosed.get(standing, 0) + count
            else:
                span = Span.of(amount, qualifier, count)
                spans[standing] = spans.get(standing, _EMPTY_SPAN) + span
        return cls(unit, spans, undisclosed)

    def __add__(self, other: Total) -> Total:
        if self.unit != other.unit:
            raise ValueError("Money and power are never added together.")
        spans = dict(self.spans)
        for standing, span in other.spans.items():
            spans[standing] = spans.get(standing, _EMPTY_SPAN) + span
        undisclosed = dict(self.undisclosed)
        for standing, count in other.undisclosed.items():
            undisclosed[standing] = undisclosed.get(standing, 0) + count
        return Total(self.unit, spans, undisclosed)

    def span(self, standing: Standing | None = None) -> Span:
        """The span of one standing, or of all of them together."""
        if standing is not None:
            return self.spans.get(standing, _EMPTY_SPAN)
        return sum((self.spans.get(s, _EMPTY_SPAN) for s in STANDINGS), _EMPTY_SPAN)

    @property
    def certain(self) -> Decimal:
        return self.span().low

    @property
    def possible(self) -> Decimal | None:
        """The most the figures allow; None when a "more than" leaves it without a ceiling."""
        return self.span().high

    @property
    def undisclosed_count(self) -> int:
        return sum(self.undisclosed.values())

    @property
    def stated_count(self) -> int:
        return self.span().stated

    @property
    def deal_count(self) -> int:
        return self.stated_count + self.undisclosed_count

    @property
    def is_empty(self) -> bool:
        return self.deal_count == 0

    def words(self, language: str | None = None) -> str:
        """The total in a sentence: "at least $11B firm, up to $15B promised, and 1 undisclosed
        (reported)"."""
        return _words(self, reader_language(language))

    def parts(self, language: str | None = None) -> list[str]:
        """The pieces of `words()`, one per line of a table cell: ["at least $11B firm",
        "up to $15B promised", "1 undisclosed (reported)"]; empty for an empty total."""
        return _parts(self, reader_language(language))

    def undisclosed_words(self, standing: Standing | None = None, language=None) -> str:
        """How many amounts are undisclosed: "1 undisclosed", "صفقة واحدة غير معلنة القيمة";
        empty when none is."""
        count = self.undisclosed.get(standing, 0) if standing else self.undisclosed_count
        return _undisclosed_words(count, self.unit, reader_language(language)) if count else ""

    def span_words(self, standing: Standing | None = None, language: str | None = None) -> str:
        """One span in words: "$8B", "more than $3B", "up to $15B", "$8B–$26B"."""
        return _span_words(self.span(standing), self.unit, reader_language(language))

    def as_json(self) -> dict:
        """Numbers for other tools: the same arithmetic, no words."""

        def number(value: Decimal | None):
            if value is None:
                return None
            return int(value) if value == value.to_integral_value() else float(value)

        def part(span: Span, undisclosed: int) -> dict:
            return {
                "certain": number(span.low),
                "possible": number(span.high),
                "stated": span.stated,
                "undisclosed": undisclosed,
            }

        return {
            "unit": "usd" if self.unit == MONEY else "gw",
            **part(self.span(), self.undisclosed_count),
            "by_standing": {
                standing.value: part(self.span(standing), self.undisclosed.get(standing, 0))
                for standing in STANDINGS
            },
        }


# -- words --------------------------------------------------------------------------------------

_STANDING_WORDS = {
    "en": {
        Standing.FIRM: "firm",
        Standing.PROMISED: "promised",
        Standing.REPORTED: "reported",
    },
    "ar": {
        Standing.FIRM: "مؤكدة",
        Standing.PROMISED: "موعودة",
        Standing.REPORTED: "متداولة",
    },
}
_SPAN_FORMS = {
    "en": {
        "about": "about {}",
        "more_than": "more than {}",
        "at_least": "at least {}",
        "up_to": "up to {}",
        "range": "{}–{}",
    },
    "ar": {
        "about": "نحو {}",
        "more_than": "أكثر من {}",
        "at_least": "ما لا يقل عن {}",
        "up_to": "ما يصل إلى {}",
        "range": "من {} إلى {}",
    },
}


def _amount(value: Decimal, unit: str, language: str) -> str:
    if unit == POWER:
        return format_power(value, Qualifier.EXACT, language) or "0 GW"
    return money_words(value, language) if value else ("0 دولار" if language == ARABIC else "$0")


def _span_words(span: Span, unit: str, language: str) -> str:
    if span.is_empty:
        return ""
    forms = _SPAN_FORMS[language]
    low = _amount(span.low, unit, language)
    if span.high is None:
        only_more_than = span.qualifiers == {Qualifier.MORE_THAN}
        return forms["more_than" if only_more_than else "at_least"].format(low)
    high = _amount(span.high, unit, language)
    if span.low == span.high:
        return forms["about"].format(low) if Qualifier.ABOUT in span.qualifiers else low
    if span.low == 0:
        return forms["up_to"].format(high)
    return forms["range"].format(low, high)


def deals_count_words(count: int, language: str) -> str:
    """ "1 deal", "3 deals"; Arabic with number agreement: صفقة واحدة، صفقتان، 3 صفقات، 11 صفقة."""
    if language == ARABIC:
        if count == 1:
            return "صفقة واحدة"
        if count == 2:
            return "صفقتان"
        if 3 <= count % 100 <= 10:
            return f"{count:,} صفقات"
        return f"{count:,} صفقة"
    return f"{count:,} deal" if count == 1 else f"{count:,} deals"


def standing_name(standing: Standing, language: str | None = None) -> str:
    """ "firm", "promised", "reported" (Arabic: in the feminine plural that agrees with صفقات)."""
    return _STANDING_WORDS[reader_language(language)][standing]


def _undisclosed_words(count: int, unit: str, language: str) -> str:
    if language == ARABIC:
        # The adjective agrees with its noun: dual for two deals, singular feminine otherwise
        # (the agreement of a plural of things). What is undisclosed: the value or the power.
        adjective = "غير معلنتي" if count == 2 else "غير معلنة"
        what = "الطاقة" if unit == POWER else "القيمة"
        return f"{deals_count_words(count, language)} {adjective} {what}"
    return f"{count:,} undisclosed"


def _parts(total: Total, language: str) -> list[str]:
    names = _STANDING_WORDS[language]
    parts = []
    for standing in STANDINGS:
        span = total.span(standing)
        if span.is_empty:
            continue
        amount = _span_words(span, total.unit, language)
        if language == ARABIC:
            parts.append(f"{amount} في صفقات {names[standing]}")
        else:
            parts.append(f"{amount} {names[standing]}")
    undisclosed = [(s, total.undisclosed.get(s, 0)) for s in STANDINGS if total.undisclosed.get(s)]
    if undisclosed:
        count = sum(n for _s, n in undisclosed)
        standings = ("، " if language == ARABIC else ", ").join(
            names[s] if len(undisclosed) == 1 else f"{n:,} {names[s]}" for s, n in undisclosed
        )
        parts.append(f"{_undisclosed_words(count, total.unit, language)} ({standings})")
    return parts


def _words(total: Total, language: str) -> str:
    parts = _parts(total, language)
    if not parts:
        return "لا شيء" if language == ARABIC else "none"
    if language == ARABIC:
        return "، و".join(parts)
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + ", and " + parts[-1]
