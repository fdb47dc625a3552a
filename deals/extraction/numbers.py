"""Money, power and terms as Arabic and English business news write them.

Every finder takes a `Folded` sentence and returns mentions whose `start`/`end` index the
*folded* text (map them back with `Folded.span`). Nothing here touches the database.

    >>> from deals.extraction.folding import Folded
    >>> [str(m.amount_usd) for m in find_money(Folded.of("استثمرت أمازون حوالي 8 مليارات دولار"))]
    ['8000000000']
"""

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from deals.models import Qualifier

from .folding import Folded, fold, word_pattern

# An Arabic word may carry one or two attached letters (وبـ38، لـ10، بنحو): a number or a
# qualifier counts as starting a word if only such letters stand before it.
_START = r"(?:(?<![\w.,٫٬])|(?<=(?<!\w)[وفبلك])|(?<=(?<!\w)[وف][بل]))"

NUMBER_WORDS = {
    # Arabic, both genders, with and without the article (السبع).
    "واحد": 1, "واحدة": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2,
    "ثلاث": 3, "ثلاثة": 3, "أربع": 4, "أربعة": 4, "خمس": 5, "خمسة": 5, "ست": 6, "ستة": 6,
    "سبع": 7, "سبعة": 7, "ثمان": 8, "ثماني": 8, "ثمانية": 8, "تسع": 9, "تسعة": 9,
    "عشر": 10, "عشرة": 10, "عشرين": 20, "عشرون": 20, "ثلاثين": 30, "ثلاثون": 30,
    "أربعين": 40, "خمسين": 50, "مئة": 100, "مائة": 100,
    "نصف": Decimal("0.5"), "ربع": Decimal("0.25"),
    # English.
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20,
    "half": Decimal("0.5"), "a": 1,
}  # fmt: skip
_WORD_VALUES = {fold(word): Decimal(value) for word, value in NUMBER_WORDS.items()}
_AR_NUMBER_WORDS = word_pattern(w for w in NUMBER_WORDS if not w.isascii())
_EN_NUMBER_WORDS = word_pattern(w for w in NUMBER_WORDS if w.isascii() and w != "a")

_DIGITS = r"\d+(?:[.,٫٬]\d+)*"

# (words, qualifier). Negated forms come first so "لا تتجاوز" is not read as "more than".
QUALIFIER_WORDS = [
    (["لا يتجاوز", "لا تتجاوز", "لا يزيد على", "لا يزيد عن", "not exceeding"], Qualifier.UP_TO),
    (["لا يقل عن", "لا تقل عن", "at least"], Qualifier.MORE_THAN),
    (
        ["ما يصل إلى", "يصل إلى", "تصل إلى", "تصل قيمتها إلى", "حتى", "up to", "as much as"],
        Qualifier.UP_TO,
    ),
    (
        [
            "أكثر من", "يزيد على", "يزيد عن", "ما يزيد على", "ما يزيد عن", "يتجاوز", "تتجاوز",
            "تزيد عن", "تزيد على", "at least", "لا تقل عن", "لا يقل عن",
            "تجاوز", "يفوق", "تفوق", "more than", "over", "in excess of", "upwards of",
            "north of", "exceeding",
        ],
        Qualifier.MORE_THAN,
    ),
    (
        [
            "حوالي", "حوالى", "نحو", "قرابة", "ما يقارب", "يقارب", "تقارب", "ما يقرب من", "زهاء",
            "تقريبا", "about", "around", "roughly", "nearly", "approximately", "almost", "some",
            "close to", "an estimated", "تقدر ب", "تقدر بنحو", "يقدر ب", "estimated at",
        ],
        Qualifier.ABOUT,
    ),
]  # fmt: skip
_QUALIFIER_OF = {fold(w): q for words, q in QUALIFIER_WORDS for w in words}
_QUALIFIERS = word_pattern(_QUALIFIER_OF)
# "تصل قيمتها إلى", "يصل حجمها إلى": reaching up to, with a word between.
_REACHING = r"[يت]صل\s+\w+\s+الي"
# "أكثر من", "قد تتجاوز قيمتها 90": words that may stand between a qualifier and its number.
_BRIDGE = r"(?:(?:من|قيمتها|قيمته|حجمها|حجمه)\s+)?"
# "تقدر بملياري": a qualifier ending in "ب" may be glued to the figure.
_QUALIFIER_RE = rf"(?:{_START}(?P<qual>{_REACHING}|{_QUALIFIERS})(?:\s+{_BRIDGE}|(?<=ب)))?"

_SCALES = {
    "مليون": 6, "ملايين": 6, "مليوني": 6, "مليار": 9, "مليارات": 9, "ملياري": 9,
    "بليون": 9, "تريليون": 12, "تريليونات": 12, "تريليوني": 12,
    "million": 6, "millions": 6, "mn": 6, "m": 6, "billion": 9, "billions": 9, "bn": 9,
    "b": 9, "trillion": 12, "trillions": 12, "tn": 12, "t": 12,
}  # fmt: skip
_SHORT_SCALES = {"m", "b", "t", "bn", "mn", "tn"}
_PLURAL_SCALES = {fold(w) for w in ("ملايين", "مليارات", "تريليونات", "millions", "billions")}
_DUAL_SCALES = {fold(w) for w in ("مليوني", "ملياري", "تريليوني")}
_AR_SCALES = word_pattern(w for w in _SCALES if not w.isascii())
_EN_SCALES = word_pattern(w for w in _SCALES if w.isascii() and w not in _SHORT_SCALES)

_AR_CURRENCY = r"(?:ال)?دولار(?:ات)?(?:\s+(?:ال)?امريكي(?:ه)?)?"
_EN_CURRENCY = r"(?:us\s+)?dollars?|usd"

AR_MONEY = re.compile(
    _QUALIFIER_RE
    + rf"(?:{_START}(?P<num>{_DIGITS}|{_AR_NUMBER_WORDS})\s*)?"
    + rf"(?:(?<=\d)|{_START})(?P<scale>{_AR_SCALES})(?!\w)"
    + rf"(?:\s+(?P<cur>{_AR_CURRENCY}))?"
    + r"(?:\s+(?P<post>تقريبا))?"
)
EN_MONEY = re.compile(
    _QUALIFIER_RE
    + r"(?:(?P<pre>\$|usd\s*|us\$)\s*)?"
    + rf"(?P<num>(?<![\w.,]){_DIGITS}|\b(?:{_EN_NUMBER_WORDS}))"
    + r"(?:\s*(?P<scale>"
    + _EN_SCALES
    + r"|(?:bn|mn|tn|b|m|t))(?![\w]))"
    + rf"(?:\s+(?P<cur>{_EN_CURRENCY}))?"
)

_POWER_UNITS = {
    "غيغاواط": 1, "غيغاوات": 1, "جيجاواط": 1, "جيجاوات": 1, "جيغاواط": 1, "جيغاوات": 1,
    "قيقاواط": 1, "غيغا واط": 1, "جيجا واط": 1, "gw": 1, "gigawatt": 1, "gigawatts": 1,
    "ميغاواط": Decimal("0.001"), "ميغاوات": Decimal("0.001"), "ميجاواط": Decimal("0.001"),
    "ميجاوات": Decimal("0.001"), "ميغا واط": Decimal("0.001"), "mw": Decimal("0.001"),
    "megawatt": Decimal("0.001"), "megawatts": Decimal("0.001"),
}  # fmt: skip
_UNIT_OF = {fold(w): Decimal(v) for w, v in _POWER_UNITS.items()}
POWER = re.compile(
    _QUALIFIER_RE
    + r"(?:(?:مستوي|level\s+of|the)\s+)?"
    + rf"(?:{_START}(?P<num>{_DIGITS}|{_AR_NUMBER_WORDS}|{_EN_NUMBER_WORDS})[\s-]*)?"
    + r"[\"“”«»']?"
    + rf"(?:(?<=[\d\s\"“”«»'-])|{_START})(?P<unit>{word_pattern(_POWER_UNITS)})(?!\w)"
    + rf"(?:\s+(?P<post>{word_pattern(['واحد', 'واحدة'])})(?!\w))?"
)

_YEAR_UNITS = r"(?:سنوات|سنه|سنين|اعوام|عاما|عام|years?)"
_DURATION_CUES = word_pattern(
    ["على مدار", "على مدى", "لمدة", "مدتها", "تمتد", "يمتد", "خلال", "طوال", "over", "for",
     "across", "spanning", "lasting", "term of"]
)  # fmt: skip
TERM = re.compile(
    rf"(?:(?P<cue>{_DURATION_CUES})\s+(?:ال)?)"
    + rf"(?:(?P<num>{_DIGITS}|{_AR_NUMBER_WORDS}|{_EN_NUMBER_WORDS})\s*-?\s*{_YEAR_UNITS}"
    + rf"|(?:السنوات|الاعوام)\s+(?:ال)?(?P<num2>{_AR_NUMBER_WORDS})(?!\w)"
    + r"|(?P<dual>عامين|سنتين|two\s+years))"
    + rf"|(?P<num3>\d+|{_EN_NUMBER_WORDS})-year\b"
)


# A range ends in the figure it precedes: "ما بين 20 و30 مليار", "تتراوح قيمتها بين 10 و14
# مليار", "between $1 billion and $1.5 billion", "$20-30 billion". The low end may lack its
# scale ("20 و30 مليار"); the high end is a figure `find_money` read. "من 10 إلى 20 مليار"
# is left alone: news writes a change that way ("ارتفع من ... إلى").
_LOW_END = (
    rf"(?:\$\s*)?(?:{_DIGITS}|{_AR_NUMBER_WORDS}|{_EN_NUMBER_WORDS})"
    rf"(?:\s*(?:{_AR_SCALES}|{_EN_SCALES}|bn|mn|b|m))?(?:\s+(?:{_AR_CURRENCY}|{_EN_CURRENCY}))?"
)
_RANGE_BEFORE = re.compile(
    rf"(?:(?<!\w)(?:(?:ما\s+)?بين|between)\s+(?P<low>{_LOW_END})\s*(?<!\w)(?:و|and)\s*"
    rf"|(?<![\w.,])(?P<dashed>{_LOW_END})\s*[-–]\s*)$"
)
_LOW_PARTS = re.compile(
    rf"\$?\s*(?P<num>{_DIGITS}|{_AR_NUMBER_WORDS}|{_EN_NUMBER_WORDS})"
    rf"(?:\s*(?P<scale>{_AR_SCALES}|{_EN_SCALES}|bn|mn|b|m)(?!\w))?"
)
_SCALE_IN = re.compile(rf"(?<![^\W\d_])(?:{_AR_SCALES}|{_EN_SCALES}|bn|mn|tn|b|m|t)(?!\w)")

# A figure followed by these is a rate, not a total: "30 مليار دولار سنوياً", "$3B a year".
_RATE = re.compile(
    r"\s*(?:امريكي\s*)?(?:سنويا|في السنه|كل عام|كل سنه|في العام|a year|per year|annually|"
    r"each year|a-year|/year)(?!\w)"
)
# Currencies the rules never take for dollars: without a stated rate the amount stays unknown.
_FOREIGN = re.compile(
    r"\s*(?P<cur>يورو|ريال|ريالات|درهم|دراهم|جنيه|ين|euros?|riyals?|dirhams?|pounds?|yen)(?!\w)"
)


@dataclass(frozen=True)
class MoneyMention:
    start: int
    end: int
    amount_usd: Decimal | None  # None: "billions of dollars", a figure without a number
    qualifier: str
    has_currency: bool
    rate: str = ""  # "30 مليار دولار سنوياً": the figure as written, a rate (no total)
    currency: str = ""  # a currency other than dollars, amount left undisclosed
    written_range: str = ""  # "ما بين 20 و30 مليار دولار": a range as written (`_ranges`)


@dataclass(frozen=True)
class PowerMention:
    start: int
    end: int
    power_gw: Decimal
    qualifier: str


@dataclass(frozen=True)
class TermMention:
    start: int
    end: int
    years: int


def parse_number(raw: str | None) -> Decimal | None:
    """'8' → 8, '1.4' → 1.4, '14٫3' → 14.3, '1,500' → 1500, 'سبع' → 7, 'نصف' → 0.5."""
    if raw is None:
        return None
    raw = raw.strip()
    if raw in _WORD_VALUES:
        return _WORD_VALUES[raw]
    groups = re.split(r"([.,٫٬])", raw)
    digits = groups[0]
    for sep, group in zip(groups[1::2], groups[2::2], strict=True):
        if sep in ",٬" and len(group) == 3:
            digits += group
        else:
            digits += "." + group
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def _qualifier(match: re.Match) -> str:
    qual = match.group("qual")
    if qual:
        return _QUALIFIER_OF.get(qual, Qualifier.UP_TO)
    if "post" in match.groupdict() and match.group("post") == fold("تقريبا"):
        return Qualifier.ABOUT
    return Qualifier.EXACT


def _dollars(number: Decimal, scale: str) -> Decimal:
    return (number * Decimal(10) ** _SCALES[scale]).quantize(Decimal(1))


def find_money(folded: Folded) -> list[MoneyMention]:
    mentions = []
    for match in AR_MONEY.finditer(folded.text):
        scale = match.group("scale")
        number = parse_number(match.group("num"))
        if number is None:
            if scale in _PLURAL_SCALES:
                number = None  # "بمليارات الدولارات": billions, no figure
            elif scale in _DUAL_SCALES:
                number = Decimal(2)
            else:
                number = Decimal(1)
        amount = None if number is None else _dollars(number, scale)
        mentions.append(
            _rate_or_currency(
                folded,
                MoneyMention(
                    match.start(), match.end(), amount, _qualifier(match), bool(match.group("cur"))
                ),
            )
        )
    for match in EN_MONEY.finditer(folded.text):
        scale = match.group("scale")
        has_currency = bool(match.group("pre") or match.group("cur"))
        if scale in _SHORT_SCALES and not match.group("pre"):
            continue  # "7b" alone is not money; "$7B" is
        number = parse_number(match.group("num"))
        if number is None:
            continue
        amount = _dollars(number, scale)
        mentions.append(
            _rate_or_currency(
                folded,
                MoneyMention(match.start(), match.end(), amount, _qualifier(match), has_currency),
            )
        )
    return _ranges(folded, sorted(mentions, key=lambda m: m.start))


def _ranges(folded: Folded, mentions: list[MoneyMention]) -> list[MoneyMention]:
    """A range is one figure: "up to" its high end (the model has no range qualifier), the
    whole range kept as written for the reasons; a low end read as a figure of its own goes."""
    kept: list[MoneyMention] = []
    for money in mentions:
        before = folded.text[max(0, money.start - 45) : money.start]
        found = _RANGE_BEFORE.search(before)
        if found is None or not _low_is_lower(folded, found["low"] or found["dashed"], money):
            kept.append(money)
            continue
        start = money.start - len(before) + found.start()
        kept = [m for m in kept if m.end <= start]
        written = folded.source(start, money.end)
        kept.append(replace(money, start=start, qualifier=Qualifier.UP_TO, written_range=written))
    return kept


def _low_is_lower(folded: Folded, low: str, high: MoneyMention) -> bool:
    """ "بين 20 و30 مليار": 20, at its own scale or else the high end's, is below 30 billion;
    "من 2025 إلى 30 مليار" is no range."""
    parts = _LOW_PARTS.match(low)
    own_scale = _SCALE_IN.search(folded.text, high.start, high.end)
    if parts is None or high.amount_usd is None or own_scale is None:
        return False
    number = parse_number(parts["num"])
    scale = parts["scale"] or own_scale.group()
    return number is not None and 0 < _dollars(number, scale) < high.amount_usd


def _rate_or_currency(folded: Folded, money: MoneyMention) -> MoneyMention:
    """A per-year figure keeps its words but no total; a figure in euros, riyals or dirhams
    keeps its currency but no dollar amount (the rules convert only at a stated rate)."""
    after = folded.text[money.end : money.end + 40]
    foreign = _FOREIGN.match(after)
    if foreign and not money.has_currency:
        return replace(money, amount_usd=None, has_currency=True, currency=foreign["cur"])
    rate = _RATE.match(after)
    if rate:
        written = folded.source(money.start, money.end + rate.end())
        return replace(money, amount_usd=None, rate=written)
    return money


def find_power(folded: Folded) -> list[PowerMention]:
    mentions = []
    for match in POWER.finditer(folded.text):
        number = parse_number(match.group("num")) or parse_number(match.group("post"))
        if number is None:
            number = Decimal(1)  # "جيجاواط", "مستوى جيجاوات": a gigawatt
        power = (number * _UNIT_OF[re.sub(r"\s+", " ", match.group("unit"))]).normalize()
        mentions.append(PowerMention(match.start(), match.end(), power, _qualifier(match)))
    return mentions


def find_terms(folded: Folded) -> list[TermMention]:
    mentions = []
    for match in TERM.finditer(folded.text):
        if match.group("dual"):
            years = Decimal(2)
        else:
            years = parse_number(match.group("num") or match.group("num2") or match.group("num3"))
        if years is None or years != int(years) or not 0 < years <= 50:
            continue
        mentions.append(TermMention(match.start(), match.end(), int(years)))
    return mentions
