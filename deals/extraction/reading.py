"""Turning an uploaded or stored file into an article's text, or saying clearly why not.

Shared by `manage.py extract_deals` and the admin's article assistant, so a file refused in
one is refused in the other with the same words.
"""

import unicodedata

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deals.validation import MAX_ARTICLE_BYTES
from dealwatch.language import is_arabic_text

MAX_BYTES = MAX_ARTICLE_BYTES  # the one limit of an article's size, wherever it comes from
ENCODINGS = ("utf-8-sig", "utf-8", "cp1256")

# How files that are not text begin. Such a file has no NUL byte at times (a packed program, a
# ZIP of text files), and Windows-1256 then reads its bytes as "Arabic".
NOT_TEXT_SIGNATURES = (
    (b"\x7fELF", gettext_lazy("a Linux program (ELF)")),
    (b"MZ", gettext_lazy("a Windows program")),
    (b"PK\x03\x04", gettext_lazy("a ZIP archive (or a Word or Excel document)")),
    (b"PK\x05\x06", gettext_lazy("a ZIP archive (or a Word or Excel document)")),
    (b"\xd0\xcf\x11\xe0", gettext_lazy("an old Office document")),
    (b"%PDF-", gettext_lazy("a PDF document")),
    (b"\x1f\x8b", gettext_lazy("a gzip archive")),
    (b"Rar!\x1a\x07", gettext_lazy("a RAR archive")),
    (b"7z\xbc\xaf\x27\x1c", gettext_lazy("a 7-Zip archive")),
    (b"\xca\xfe\xba\xbe", gettext_lazy("a macOS program")),
    (b"\xcf\xfa\xed\xfe", gettext_lazy("a macOS program")),
    (b"\xce\xfa\xed\xfe", gettext_lazy("a macOS program")),
    (b"\xff\xd8\xff", gettext_lazy("an image")),
    (b"\x89PNG", gettext_lazy("an image")),
    (b"GIF8", gettext_lazy("an image")),
)
# Control characters other than tab, line and page breaks: a stray one happens in real text,
# more than this share of the characters means the file is not text.
MAX_CONTROL_SHARE = 0.01
TEXT_CONTROLS = frozenset("\t\n\r\f\v")
# Windows-1256 gives every byte a character, so random bytes read as a mix of Arabic and
# Latin letters, symbols and controls, about 55% letters, digits and spaces; an Arabic article
# is over 90% of those.
MIN_LETTER_SHARE_CP1256 = 0.75


class UnreadableArticle(ValueError):
    """The file is too large, binary, empty or in an encoding we cannot tell."""


def check_size(size: int) -> None:
    if size > MAX_BYTES:
        raise UnreadableArticle(
            _("The file is %(size)s bytes; articles over %(limit)s bytes (1 MB) are refused.")
            % {"size": f"{size:,}", "limit": f"{MAX_BYTES:,}"}
        )


def decode_article(raw: bytes) -> tuple[str, str]:
    """The text of `raw` and the encoding it was read with; UnreadableArticle if unusable.

    Tries UTF-8 (with or without a byte-order mark), then Windows-1256, which decodes almost
    any bytes, so it is trusted only when the result contains Arabic.
    """
    check_size(len(raw))
    if b"\x00" in raw:
        raise UnreadableArticle(_("The file is not a text file (it contains NUL bytes)."))
    for signature, kind in NOT_TEXT_SIGNATURES:
        # "MZ" alone may begin a sentence; a Windows program follows it with binary header bytes.
        if raw.startswith(signature) and (signature != b"MZ" or _binary_after(raw, 2)):
            raise UnreadableArticle(
                _("The file is not a text file: it begins like %(kind)s.") % {"kind": kind}
            )
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "cp1256" and not (is_arabic_text(text) and _reads_as_words(text)):
            break
        if not text.strip():
            raise UnreadableArticle(_("The file is empty."))
        _check_controls(text)
        return text, encoding
    raise UnreadableArticle(
        _(
            "The file is not text in any encoding tried (%(encodings)s); "
            "save it as UTF-8 and try again."
        )
        % {"encodings": ", ".join(ENCODINGS)}
    )


def _binary_after(raw: bytes, start: int) -> bool:
    return any(byte < 0x20 and byte not in b"\t\n\r" for byte in raw[start : start + 4])


def _check_controls(text: str) -> None:
    controls = sum(
        1 for char in text if char not in TEXT_CONTROLS and unicodedata.category(char) == "Cc"
    )
    if controls > MAX_CONTROL_SHARE * len(text):
        raise UnreadableArticle(
            _(
                "The file is not a text file: %(count)s of its %(total)s characters are "
                "control characters."
            )
            % {"count": f"{controls:,}", "total": f"{len(text):,}"}
        )


def _reads_as_words(text: str) -> bool:
    """Mostly letters (vowel marks included), digits and spaces, as any article is."""
    wordlike = sum(1 for char in text if char.isspace() or unicodedata.category(char)[0] in "LMN")
    return wordlike >= MIN_LETTER_SHARE_CP1256 * len(text)
