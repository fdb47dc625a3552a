"""The two language questions every layer asks, answered in one place.

- Which language does the reader read? (`reader_language`, `reader_is_arabic`,
  `text_direction`): from Django's active language, so a request to an /ar/ page answers
  Arabic everywhere below it, and a caller may pass a language to ask about another.
- Is this piece of text Arabic? (`is_arabic_text`): any letter of the Arabic block, which is
  how an uploaded article, a company name or a chart label is told apart from Latin text.

It lives in the project package so both apps (and the tooling) can import it without one app
reaching into the other.
"""

import re

from django.conf import settings
from django.utils.translation import get_language

ARABIC = "ar"
ENGLISH = "en"

_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")


def reader_language(language: str | None = None) -> str:
    """ "ar" when `language` (default: the active language) is Arabic, else "en"."""
    current = language or get_language() or settings.LANGUAGE_CODE
    return ARABIC if current.startswith(ARABIC) else ENGLISH


def reader_is_arabic(language: str | None = None) -> bool:
    return reader_language(language) == ARABIC


def text_direction(language: str | None = None) -> str:
    """The `dir` of the reader's pages: "rtl" for Arabic, "ltr" otherwise."""
    return "rtl" if reader_is_arabic(language) else "ltr"


def is_arabic_text(text: str) -> bool:
    """True when `text` holds at least one Arabic letter."""
    return bool(_ARABIC_LETTER.search(text))
