"""A folded copy of a text that remembers where each of its characters came from.

The rules match on the folded copy (hamza and alef forms, taa marbuta, alef maqsura,
diacritics, tatweel and case folded exactly as `companies.text.normalize_name` folds them,
Eastern-Arabic digits turned into 0-9), and `Folded.span` maps a match back to the
original text, so that every quote is an exact substring of the article.
"""

import re
import unicodedata
from dataclasses import dataclass

from companies.text import _ARABIC_MARKS, _LETTER_FOLDS, _TATWEEL

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def fold_char(char: str) -> str:
    """The folded form of one character (possibly empty, possibly several characters)."""
    out = unicodedata.normalize("NFKC", char)
    out = _ARABIC_MARKS.sub("", out).replace(_TATWEEL, "")
    return out.translate(_LETTER_FOLDS).translate(_DIGITS).casefold()


@dataclass(frozen=True)
class Folded:
    original: str
    text: str
    origin: tuple[int, ...]  # origin[i] = index in `original` of folded character i

    @classmethod
    def of(cls, original: str) -> "Folded":
        chars, origin = [], []
        for index, char in enumerate(original):
            folded = fold_char(char)
            chars.append(folded)
            origin.extend([index] * len(folded))
        return cls(original, "".join(chars), tuple(origin))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the folded slice [start, end)."""
        if start >= len(self.origin):
            return len(self.original), len(self.original)
        if end <= start:
            return self.origin[start], self.origin[start]
        return self.origin[start], self.origin[end - 1] + 1

    def source(self, start: int, end: int) -> str:
        a, b = self.span(start, end)
        return self.original[a:b]


def fold(text: str) -> str:
    return Folded.of(text).text


def word_pattern(words) -> str:
    """An alternation of folded words, longest first so that 'مليارات' beats 'مليار'."""
    folded = sorted({fold(w) for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in folded)
