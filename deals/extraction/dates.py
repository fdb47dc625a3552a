"""The dates an article gives for its deals: "15 March 2026", "في 3 مارس", "في نوفمبر الماضي",
"أمس الاثنين", "yesterday", "on Tuesday".

The shapes of a date are found here: a day beside a month word, a month word after "في" / "in",
a weekday, "أمس" / "yesterday", "اليوم" / "today". Whether a word is a month, in Arabic or
English and however it is spelt, is left to dateparser (a maintained library, installed with
trafilatura's htmldate), which answers nothing for a word that is not one ("5 مليارات").
Relative dates count back from the article's date; without it, only dates that give their year
are read. A date after the article's is a plan (a delivery, a start), never the deal's date.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import dateparser

from deals.models import DatePrecision

from .folding import Folded, fold, word_pattern

_YEAR = r"(?:19|20)\d{2}"
_WORD = r"[^\W\d_]{3,9}\.?"
# "15 March 2026", "3 مارس", "في 12 فبراير 2026"; "March 15, 2026".
_DAY_MONTH = re.compile(
    rf"(?<![\w.,])(?P<day>\d{{1,2}})\s+(?P<month>{_WORD})(?:\s*,?\s*(?P<year>{_YEAR}))?(?!\w)"
    rf"|(?<!\w)(?P<month2>{_WORD})\s+(?P<day2>\d{{1,2}}),?\s+(?P<year2>{_YEAR})(?!\w)"
)
_PAST = word_pattern(["الماضي", "المنصرم", "الفائت", "الماضية"])
# "في نوفمبر الماضي", "خلال شهر مارس", "in November", "last November", "in March 2025".
_MONTH = re.compile(
    rf"(?<!\w)(?:في|خلال|منذ|in|during|since|last)\s+(?:شهر\s+)?(?P<month>{_WORD})"
    rf"(?:\s+(?P<year>{_YEAR})|\s+(?P<past>{_PAST}))?(?!\w)"
)
_WEEKDAYS = {
    **{fold(w): i for i, w in enumerate(
        ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"])},
    **{w: i for i, w in enumerate(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])},
}  # fmt: skip
_DAYS_BACK = {fold(w): n for w, n in [("أمس", 1), ("البارحة", 1), ("اليوم", 0)]} | {
    "yesterday": 1,
    "today": 0,
}
_RELATIVE = re.compile(
    rf"(?<!\w)(?:(?P<back>{word_pattern(_DAYS_BACK)})\s*(?:يوم\s+)?)?"
    rf"(?:(?:يوم|on|last|this)\s+)?(?P<weekday>{word_pattern(_WEEKDAYS)})?"
    rf"(?:\s+(?P<past>{_PAST}))?(?!\w)"
)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    day: date  # the first day of the month when the precision is a month
    precision: str


def find_dates(folded: Folded, published_on: date | None) -> list[DateMention]:
    """Every date of the sentence that is not after the article's, in order."""
    found = _absolute(folded, published_on) + _months(folded, published_on)
    if published_on is not None:
        found += _relative(folded, published_on)
    found = [d for d in found if published_on is None or d.day <= published_on]
    found.sort(key=lambda d: d.start)
    return [d for i, d in enumerate(found) if not any(o.end > d.start for o in found[:i])]


def _parse(words: str, published_on: date | None, parts: list[str]) -> date | None:
    """What dateparser reads in `words` (a month word with a day and/or year), or None."""
    language = "en" if words.isascii() else "ar"
    settings = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": parts}
    if published_on is not None:
        settings["RELATIVE_BASE"] = datetime.combine(published_on, datetime.min.time())
    parsed = dateparser.parse(words, languages=[language], settings=settings)
    return parsed.date() if parsed else None


def _absolute(folded: Folded, published_on: date | None) -> list[DateMention]:
    found = []
    for match in _DAY_MONTH.finditer(folded.text):
        day = match["day"] or match["day2"]
        month = match["month"] or match["month2"]
        year = match["year"] or match["year2"]
        if year is None and published_on is None:
            continue
        parsed = _parse(" ".join(filter(None, [day, month, year])), published_on, ["day", "month"])
        if parsed is not None:
            found.append(DateMention(*match.span(), parsed, DatePrecision.DAY))
    return found


def _months(folded: Folded, published_on: date | None) -> list[DateMention]:
    found = []
    for match in _MONTH.finditer(folded.text):
        if match["year"] is None and published_on is None:
            continue
        words = " ".join(filter(None, [match["month"], match["year"]]))
        parsed = _parse(words, published_on, ["month"])
        if parsed is not None:
            found.append(DateMention(*match.span(), parsed.replace(day=1), DatePrecision.MONTH))
    return found


def _relative(folded: Folded, published_on: date) -> list[DateMention]:
    found = []
    for match in _RELATIVE.finditer(folded.text):
        if not (match["back"] or match["weekday"]):
            continue
        if match["back"] is not None:
            days_back = _DAYS_BACK[match["back"]]
        else:
            days_back = (published_on.weekday() - _WEEKDAYS[match["weekday"]]) % 7
            if days_back == 0 and match["past"]:
                days_back = 7
        found.append(
            DateMention(*match.span(), published_on - timedelta(days=days_back), DatePrecision.DAY)
        )
    return found
