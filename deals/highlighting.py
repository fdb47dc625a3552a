"""Cited quotes highlighted in an article's text, safely.

The article body is untrusted text. `segment` is a pure function that cuts it into plain and
highlighted pieces; `render_paragraphs` turns those pieces into HTML with every character of
the article escaped, so nothing in an article can become markup.

Quotes may overlap or nest (two deals cite the same sentence, a valuation cites a clause of
it). Overlapping quotes are merged into one highlight carrying every key; quotes that only
touch stay separate highlights, so each keeps its own anchor.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Segment:
    """A run of article text; `keys` name the quotes it belongs to (empty for plain text).

    `opens` is False for the later pieces of a highlight cut by a paragraph break, so that its
    anchors appear once, at its start.
    """

    text: str
    keys: tuple[str, ...] = ()
    opens: bool = True

    @property
    def highlighted(self) -> bool:
        return bool(self.keys)


@dataclass(frozen=True)
class QuoteLink:
    """Where a highlight points: the fact a quote supports."""

    anchor: str  # the HTML id of the highlight, e.g. "quote-12"
    href: str
    label: str
    number: int


def find_span(body: str, quote: str) -> tuple[int, int] | None:
    """Where `quote` first occurs in `body` (surrounding blanks ignored), or None."""
    quote = (quote or "").strip()
    if not quote:
        return None
    start = body.find(quote)
    if start < 0:
        return None
    return start, start + len(quote)


def segment(body: str, spans: Iterable[tuple[int, int, str]]) -> list[Segment]:
    """Cut `body` into segments; each (start, end, key) span becomes (part of) a highlight.

    Spans outside the text are clipped, empty ones dropped. Overlapping or nested spans merge
    into one segment whose keys are ordered by where each quote starts. The segments' texts
    always join back to `body` exactly.
    """
    size = len(body)
    cleaned = sorted(
        (
            (max(0, start), min(size, end), index, key)
            for index, (start, end, key) in enumerate(spans)
            if min(size, end) > max(0, start)
        ),
    )
    merged: list[tuple[int, int, list[str]]] = []
    for start, end, _index, key in cleaned:
        if merged and start < merged[-1][1]:
            last_start, last_end, keys = merged[-1]
            if key not in keys:
                keys.append(key)
            merged[-1] = (last_start, max(last_end, end), keys)
        else:
            merged.append((start, end, [key]))

    segments: list[Segment] = []
    position = 0
    for start, end, keys in merged:
        if start > position:
            segments.append(Segment(body[position:start]))
        segments.append(Segment(body[start:end], tuple(keys)))
        position = end
    if position < size:
        segments.append(Segment(body[position:]))
    return segments


def paragraphs(segments: Sequence[Segment]) -> list[list[Segment]]:
    """Split segments at line breaks into paragraphs; blank lines make no empty paragraphs.

    A highlight cut by a break continues in the next paragraph; only its first non-blank
    piece `opens` (carries the anchors), so every id appears exactly once.
    """
    result: list[list[Segment]] = [[]]
    for piece in segments:
        opened = False
        for number, line in enumerate(piece.text.split("\n")):
            if number:
                result.append([])
            if not line:
                continue
            opens = piece.opens and not opened and bool(line.strip())
            opened = opened or opens
            result[-1].append(Segment(line, piece.keys, opens))
    return [paragraph for paragraph in result if any(s.text.strip() for s in paragraph)]


def render_segment(piece: Segment, links: Mapping[str, QuoteLink]) -> SafeString:
    """One segment as HTML: escaped text, or a <mark> with its anchors and links."""
    if not piece.keys:
        return format_html("{}", piece.text)
    known = [links[key] for key in piece.keys if key in links]
    if not known:
        return format_html("{}", piece.text)
    refs = format_html_join(
        "",
        '<a class="quote-ref" href="{}" title="{}">{}</a>',
        ((link.href, link.label, link.number) for link in known),
    )
    if not piece.opens:
        return format_html('<mark class="quote">{}</mark>', piece.text)
    # One element can carry one id: the first quote names the mark, the others get empty
    # anchors at its start so that every #quote-… link lands here.
    extra = format_html_join(
        "", '<span class="quote-anchor" id="{}"></span>', ((link.anchor,) for link in known[1:])
    )
    return format_html(
        '<mark class="quote" id="{}">{}{}<sup class="quote-refs">{}</sup></mark>',
        known[0].anchor,
        extra,
        piece.text,
        refs,
    )


def render_paragraphs(
    body: str, spans: Iterable[tuple[int, int, str]], links: Mapping[str, QuoteLink]
) -> SafeString:
    """The whole body as <p> elements with every cited quote highlighted and linked."""
    return format_html_join(
        "\n",
        "<p>{}</p>",
        (
            (format_html_join("", "{}", ((render_segment(piece, links),) for piece in paragraph)),)
            for paragraph in paragraphs(segment(body, spans))
        ),
    )
