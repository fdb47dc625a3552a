"""Turning an uploaded or stored file into an article's text, or saying clearly why not.

Shared by `manage.py extract_deals` and the admin's article assistant, so a file refused in
one is refused in the other with the same words.
"""

from django.utils.translation import gettext as _

from dealwatch.language import is_arabic_text

MAX_BYTES = 1_000_000
ENCODINGS = ("utf-8-sig", "utf-8", "cp1256")


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
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "cp1256" and not is_arabic_text(text):
            break
        if not text.strip():
            raise UnreadableArticle(_("The file is empty."))
        return text, encoding
    raise UnreadableArticle(
        _(
            "The file is not text in any encoding tried (%(encodings)s); "
            "save it as UTF-8 and try again."
        )
        % {"encodings": ", ".join(ENCODINGS)}
    )
