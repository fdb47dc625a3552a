"""Normalising names so that every spelling of a company finds it.

Arabic news spells the same name many ways: with or without hamza on the alef, with taa
marbuta or haa, alef maqsura or yaa, with diacritics and tatweel, in Arabic-Indic or ASCII
digits. Latin names vary in case and spacing, and sometimes carry accents. `normalize_name`
folds all of these into one search key; it is the only place that knows the rules, so the
admin, the site search and the article assistant agree.
"""

import re
import unicodedata

# Harakat, tanween, shadda, sukun, superscript alef and Quranic marks.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_LETTER_FOLDS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ؤ": "و",
        "ئ": "ي",
        "ى": "ي",
        "ی": "ي",  # Persian yeh
        "ک": "ك",  # Persian kaf
        "ة": "ه",
        "ۀ": "ه",
        "گ": "غ",  # gaf, used by some writers for a hard g
        "\u200c": " ",  # zero-width non-joiner
        "\u200f": "",  # right-to-left mark
        "\u200e": "",  # left-to-right mark
    }
)
# Arabic-Indic and Persian digits read as the ASCII digits the Latin spelling uses ("جي ٤٢").
_DIGIT_FOLDS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_SPACES = re.compile(r"\s+")


def normalize_name(text: str) -> str:
    """Return the search key of `text`: folded Arabic letters, no marks, lower case, single spaces.

    >>> normalize_name("أنثروبيك") == normalize_name("انثروبيك")
    True
    >>> normalize_name("  Open  AI ")
    'open ai'
    """
    text = unicodedata.normalize("NFKC", text or "")
    text = _ARABIC_MARKS.sub("", text).replace(_TATWEEL, "")
    text = text.translate(_LETTER_FOLDS).translate(_DIGIT_FOLDS).casefold()
    text = _strip_latin_accents(text)
    text = _NON_WORD.sub(" ", text).replace("_", " ")
    return _SPACES.sub(" ", text).strip()


def _strip_latin_accents(text: str) -> str:
    """Drop Latin accents (Nestlé → nestle); Arabic letters were already folded above."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped)


def compact_name(text: str) -> str:
    """The search key with spaces removed too, so "Open AI" matches "OpenAI"."""
    return normalize_name(text).replace(" ", "")
