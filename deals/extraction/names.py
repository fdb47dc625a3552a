"""Names the alias table does not spell: organisations in quotation marks or guillemets, and
known companies written another way ("سوفت بنك" for the alias "سوفت بانك").

Real news puts a new company's name in quotes far more often than after "شركة", and Arabic
transliterations of one name vary by a letter or two. rapidfuzz does the fuzzy comparison
(a maintained C library) rather than a hand-written edit distance.
"""

import re

from rapidfuzz import fuzz, process

# «كور ويف», "نوفا لابس", “Nebius”: up to four words between matching quotes.
_QUOTED = re.compile(r"[«\"“]\s*(?P<name>[^«»\"“”\n]{2,40}?)\s*[»\"”]")
FUZZY_CUTOFF = 90  # percent: "سوفتبنك" ~ "سوفتبانك" is 93; two different names score far lower
_MIN_FUZZY_LEN = 6


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quoted run of one to four words in folded `text`."""
    spans = []
    for match in _QUOTED.finditer(text):
        name = match["name"]
        if 1 <= len(name.split()) <= 4 and not any(ch.isdigit() for ch in name[:1]):
            spans.append(match.span("name"))
    return spans


def fuzzy_key(key: str, keys: list[str]) -> str | None:
    """The known Arabic spelling `key` is a variant of, or None. Latin names are compared
    exactly: a letter changes a Latin name ("Meta" / "Beta")."""
    if key.isascii() or len(key) < _MIN_FUZZY_LEN:
        return None
    # Same first letter: a preposition glued on ("في", "ل") must not pass for a variant.
    near = [k for k in keys if not k.isascii() and k[:1] == key[:1] and abs(len(k) - len(key)) <= 2]
    found = process.extractOne(key, near, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    return found[0] if found else None
