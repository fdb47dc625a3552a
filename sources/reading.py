"""From fetched bytes to what DealWatch stores: a feed's items, a page's feed links, an
article page's main text (trafilatura: it drops navigation, comments and boilerplate)."""

import datetime
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

import feedparser
import trafilatura

from .fetching import Fetched

# Shorter than this is a page of links or a teaser, not an article that could report a deal.
MIN_ARTICLE_CHARACTERS = 200
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/feed+xml"}


@dataclass(frozen=True)
class FeedItem:
    url: str
    title: str
    published_on: datetime.date | None


@dataclass(frozen=True)
class ArticleText:
    title: str
    text: str
    published_on: datetime.date | None


def _decoded(fetched: Fetched) -> str:
    charset = "utf-8"
    if "charset=" in fetched.content_type:
        charset = fetched.content_type.split("charset=")[-1].split(";")[0].strip() or charset
    try:
        return fetched.body.decode(charset, errors="replace")
    except LookupError:
        return fetched.body.decode("utf-8", errors="replace")


def is_feed(fetched: Fetched) -> bool:
    kind = fetched.content_type.split(";")[0].strip().lower()
    if kind in FEED_TYPES or kind.endswith("+xml") or kind in ("text/xml", "application/xml"):
        return True
    head = fetched.body[:500].lstrip().lower()
    return head.startswith(b"<?xml") or head.startswith(b"<rss") or head.startswith(b"<feed")


def feed_items(fetched: Fetched) -> list[FeedItem]:
    """The entries of an RSS or Atom feed, links made absolute, in the feed's order."""
    parsed = feedparser.parse(
        fetched.body,
        response_headers={"content-location": fetched.url, "content-type": fetched.content_type},
    )
    items = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        items.append(
            FeedItem(
                url=urljoin(fetched.url, link),
                title=(entry.get("title") or "").strip()[:500],
                published_on=datetime.date(*when[:3]) if when else None,
            )
        )
    return items


class _AlternateLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.feeds: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        rel = (attributes.get("rel") or "").lower().split()
        kind = (attributes.get("type") or "").lower()
        if tag == "link" and "alternate" in rel and kind in FEED_TYPES and attributes.get("href"):
            self.feeds.append(attributes["href"])


def feed_links(fetched: Fetched) -> list[str]:
    """The feeds a page names in its `<link rel="alternate">` elements, absolute."""
    parser = _AlternateLinks()
    parser.feed(_decoded(fetched))
    return [urljoin(fetched.url, href) for href in parser.feeds]


def article_text(fetched: Fetched) -> ArticleText | None:
    """The main text of an article page, its title and date; None when there is no article."""
    document = trafilatura.bare_extraction(
        _decoded(fetched),
        url=fetched.url,
        include_comments=False,
        include_tables=False,
        with_metadata=True,
    )
    text = (getattr(document, "text", None) or "").strip()
    if len(text) < MIN_ARTICLE_CHARACTERS:
        return None
    published_on = None
    if getattr(document, "date", None):
        try:
            published_on = datetime.date.fromisoformat(document.date[:10])
        except ValueError:
            published_on = None
    return ArticleText(
        title=(document.title or "").strip()[:500], text=text, published_on=published_on
    )
