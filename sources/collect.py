"""One pass over the watched sources: what `manage.py fetch_sources` runs.

For each active source: fetch its feed (conditionally), read each item not seen before,
store its main text verbatim as an Article (unless the same URL or the same text is stored
already) and let the extractor propose the deals it reports as drafts. A source that fails is
reported and tried again later, waiting longer after each failure in a row; an item that fails
is tried again on the next passes, up to MAX_ATTEMPTS; one bad item never stops the rest.
Running it twice adds nothing the first run stored.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone

from deals.assistant.services import article_submit, detect_language, same_text
from deals.models import Article

from .fetching import FetchError, PoliteClient
from .models import Source, SourceItem
from .reading import FeedItem, article_text, feed_items, feed_links, is_feed

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
FIRST_RETRY = datetime.timedelta(minutes=15)
LONGEST_RETRY = datetime.timedelta(days=1)


@dataclass
class SourceRun:
    """What one source gave in one pass: the JSON line fetch_sources prints."""

    source: str
    fetched: int = 0  # item pages fetched
    new_articles: int = 0
    drafts: int = 0
    errors: list[str] = field(default_factory=list)
    skipped: str = ""  # why the source was not fetched at all

    def as_json(self) -> dict:
        line = {
            "source": self.source,
            "fetched": self.fetched,
            "new_articles": self.new_articles,
            "drafts": self.drafts,
            "errors": self.errors,
        }
        if self.skipped:
            line["skipped"] = self.skipped
        return line


def collect_all(sources=None, client: PoliteClient | None = None) -> list[SourceRun]:
    client = client or PoliteClient()
    sources = Source.objects.filter(active=True) if sources is None else sources
    return [collect(source, client) for source in sources]


def collect(source: Source, client: PoliteClient) -> SourceRun:
    run = SourceRun(source=source.name)
    now = timezone.now()
    if source.retry_after and source.retry_after > now:
        run.skipped = (
            f"failed {source.failures} time(s) in a row; "
            f"next try at {source.retry_after:%Y-%m-%d %H:%M} UTC"
        )
        return run
    try:
        items = _listed_items(source, client)
    except FetchError as error:
        _failed(source, str(error), now)
        run.errors.append(str(error))
        return run
    for item in items:
        if _known(source, item.url):
            continue
        _read_item(source, item, client, run)
    source.failures, source.last_error, source.retry_after = 0, "", None
    source.checked_at = now
    source.save()
    return run


def _listed_items(source: Source, client: PoliteClient) -> list[FeedItem]:
    """The items the source lists now: [] when its feed has not changed since last time."""
    if source.feed_url:
        return _feed(source, client, source.feed_url)
    page = client.get(source.page_url)
    if is_feed(page):
        return feed_items(page)
    feeds = feed_links(page)
    if feeds:
        return _feed(source, client, feeds[0])
    # A page without a feed is watched as one article.
    return [FeedItem(url=page.url, title="", published_on=None)]


def _feed(source: Source, client: PoliteClient, url: str) -> list[FeedItem]:
    fetched = client.get(url, etag=source.etag, last_modified=source.last_modified)
    if fetched.not_modified:
        return []
    source.etag, source.last_modified = fetched.etag[:500], fetched.last_modified[:100]
    items = feed_items(fetched)
    if not items and not is_feed(fetched):
        raise FetchError(f"{url} is not an RSS or Atom feed ({fetched.content_type or 'no type'})")
    return items


def _known(source: Source, url: str) -> bool:
    """Seen before and settled (stored, duplicate, empty, or failed too often)."""
    seen = SourceItem.objects.filter(source=source, url=url).first()
    if seen is None:
        return False
    return seen.status != SourceItem.Status.FAILED or seen.attempts >= MAX_ATTEMPTS


def _read_item(source: Source, item: FeedItem, client: PoliteClient, run: SourceRun) -> None:
    record, created = SourceItem.objects.get_or_create(
        source=source,
        url=item.url,
        defaults={"title": item.title, "status": SourceItem.Status.FAILED, "attempts": 0},
    )
    record.attempts += 1
    try:
        _store(source, item, client, record, run)
    except FetchError as error:
        record.status, record.error = SourceItem.Status.FAILED, str(error)
        run.errors.append(str(error))
    except Exception as error:  # noqa: BLE001 (one bad item must not stop the rest)
        logger.exception("Reading %s from %s failed", item.url, source.name)
        record.status, record.error = SourceItem.Status.FAILED, f"{type(error).__name__}: {error}"
        run.errors.append(f"{item.url}: {record.error}")
    record.save()


def _store(source, item, client, record: SourceItem, run: SourceRun) -> None:
    already = Article.objects.filter(url=item.url).first()
    if already is not None:
        record.status, record.article, record.error = SourceItem.Status.DUPLICATE, already, ""
        return
    page = client.get(item.url)
    run.fetched += 1
    found = article_text(page)
    if found is None:
        record.status, record.error = SourceItem.Status.EMPTY, ""
        return
    duplicate = same_text(found.text)
    if duplicate is not None:
        record.status, record.article, record.error = SourceItem.Status.DUPLICATE, duplicate, ""
        return
    try:
        submission = article_submit(
            title=item.title or found.title,
            body=found.text,
            language=source.language or detect_language(found.text),
            published_on=item.published_on or found.published_on,
            url=item.url,
        )
    except ValidationError as error:
        record.status, record.attempts = SourceItem.Status.FAILED, MAX_ATTEMPTS
        record.error = "; ".join(error.messages)
        run.errors.append(f"{item.url}: {record.error}")
        return
    record.status, record.article, record.error = SourceItem.Status.STORED, submission.article, ""
    run.new_articles += 1
    run.drafts += len(submission.drafts)


def _failed(source: Source, error: str, now) -> None:
    source.failures += 1
    source.last_error = error
    source.checked_at = now
    source.retry_after = now + min(FIRST_RETRY * 2 ** (source.failures - 1), LONGEST_RETRY)
    source.save()
