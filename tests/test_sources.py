"""Watched news sources: add_source and fetch_sources against a small news site served from
this process (tests/sources_site), never the internet."""

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command

from deals.models import Article, DealDraft
from sources.collect import MAX_ATTEMPTS, collect_all
from sources.fetching import FetchError, PoliteClient
from sources.models import Source, SourceItem

from .sources_site import pages

pytestmark = pytest.mark.django_db


class NewsSite:
    """Routes: path -> (status, content type, body). Records every request's path and headers."""

    def __init__(self):
        self.routes = {}
        self.requests = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                site.requests.append((self.path, dict(self.headers)))
                status, kind, body = site.routes.get(self.path, (404, "text/plain", b"gone"))
                etag = f'"{hash(body) & 0xFFFF:x}"'
                if status == 200 and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def paths(self):
        return [path for path, _ in self.requests]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site(settings):
    settings.DEALWATCH_FETCH_HOST_INTERVAL = 0
    news = NewsSite()
    news.routes["/ar/1"] = (200, "text/html; charset=utf-8", pages.article_page(pages.ARABIC))
    news.routes["/en/1"] = (200, "text/html; charset=utf-8", pages.article_page(pages.ENGLISH))
    news.routes["/rss"] = (
        200,
        "application/rss+xml",
        pages.rss(news.base, [("/ar/1", pages.ARABIC["title"]), ("/en/1", "")]),
    )
    news.routes["/atom"] = (
        200,
        "application/atom+xml",
        pages.atom(news.base, [("/en/1", pages.ENGLISH["title"])]),
    )
    yield news
    news.close()


def fetch(**options) -> list[dict]:
    out = io.StringIO()
    call_command("fetch_sources", stdout=out, **options)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_add_source_then_fetch_stores_each_article_once_with_drafts(site):
    call_command(
        "add_source", "--name", "Test News", "--feed", site.base + "/rss", stdout=io.StringIO()
    )
    [line] = fetch()
    assert line == {
        "source": "Test News",
        "fetched": 2,
        "new_articles": 2,
        "drafts": line["drafts"],
        "errors": [],
    }
    assert line["drafts"] >= 2
    arabic = Article.objects.get(url=site.base + "/ar/1")
    assert arabic.language == "ar"
    assert arabic.title == pages.ARABIC["title"]
    assert str(arabic.published_on) == "2026-11-20"
    # The article's own text, verbatim; none of the page around it.
    assert "ما يصل إلى 5 مليارات" in arabic.body
    for noise in (pages.ARABIC["sidebar"], pages.ARABIC["comment"], pages.ARABIC["footer"]):
        assert noise not in arabic.body
    english = Article.objects.get(url=site.base + "/en/1")
    assert english.language == "en"
    assert english.title == pages.ENGLISH["title"]  # from the page when the feed gives none
    assert DealDraft.objects.filter(article=arabic).exists()
    assert DealDraft.objects.filter(article=english).exists()

    # Twice: the feed answers 304 to the validators it sent, and nothing is added.
    before = len(site.requests)
    [again] = fetch()
    assert again == {
        "source": "Test News",
        "fetched": 0,
        "new_articles": 0,
        "drafts": 0,
        "errors": [],
    }
    assert site.paths()[before:] == ["/rss"]
    assert site.requests[-1][1].get("If-None-Match")
    assert Article.objects.count() == 2


def test_requests_name_dealwatch_and_a_changed_feed_adds_only_new_items(site):
    Source.objects.create(name="Test", feed_url=site.base + "/rss")
    fetch()
    assert all("DealWatch" in headers["User-Agent"] for _, headers in site.requests)
    site.routes["/ar/2"] = (
        200,
        "text/html",
        pages.article_page(
            pages.ARABIC | {"title": "خبر آخر", "paragraphs": "<p>" + "نص. " * 80 + "</p>"}
        ),
    )
    site.routes["/rss"] = (
        200,
        "application/rss+xml",
        pages.rss(site.base, [("/ar/2", "خبر آخر"), ("/ar/1", ""), ("/en/1", "")]),
    )
    before = len(site.requests)
    [line] = fetch()
    assert line["new_articles"] == 1
    assert site.paths()[before:] == ["/rss", "/ar/2"]


def test_the_same_text_under_another_url_is_not_stored_twice(site):
    site.routes["/copy"] = site.routes["/en/1"]
    Source.objects.create(name="Atom", feed_url=site.base + "/atom")
    Source.objects.create(name="Copy", feed_url=site.base + "/rss2", language="en")
    site.routes["/rss2"] = (200, "application/rss+xml", pages.rss(site.base, [("/copy", "x")]))
    lines = fetch()
    assert [line["new_articles"] for line in lines] == [1, 0]
    copy = SourceItem.objects.get(url=site.base + "/copy")
    assert copy.status == SourceItem.Status.DUPLICATE
    assert copy.article == Article.objects.get(url=site.base + "/en/1")


def test_one_bad_item_never_stops_the_rest_and_is_tried_again_later(site):
    site.routes["/rss"] = (
        200,
        "application/rss+xml",
        pages.rss(site.base, [("/broken", "x"), ("/empty", "y"), ("/en/1", "z")]),
    )
    site.routes["/broken"] = (500, "text/plain", b"oops")
    site.routes["/empty"] = (200, "text/html", pages.NO_ARTICLE_PAGE.encode())
    Source.objects.create(name="Test", feed_url=site.base + "/rss")
    [line] = fetch()
    assert line["new_articles"] == 1
    assert line["errors"] == [f"HTTP 500 from {site.base}/broken"]
    assert SourceItem.objects.get(url=site.base + "/empty").status == SourceItem.Status.EMPTY

    # The feed changes (no 304), the broken page is tried again until MAX_ATTEMPTS.
    for attempt in range(2, MAX_ATTEMPTS + 2):
        site.routes["/rss"] = (
            site.routes["/rss"][0],
            site.routes["/rss"][1],
            site.routes["/rss"][2] + b" ",
        )
        fetch()
        broken = SourceItem.objects.get(url=site.base + "/broken")
        assert broken.attempts == min(attempt, MAX_ATTEMPTS)
    assert site.paths().count("/broken") == MAX_ATTEMPTS
    assert site.paths().count("/empty") == 1


def test_a_failing_source_is_reported_waits_and_does_not_stop_the_others(site):
    Source.objects.create(name="A down", feed_url=site.base + "/missing")
    Source.objects.create(name="B up", feed_url=site.base + "/atom")
    down, up = fetch()
    assert down["errors"] == [f"HTTP 404 from {site.base}/missing"]
    assert up["new_articles"] == 1
    source = Source.objects.get(name="A down")
    assert source.failures == 1 and source.retry_after is not None
    # Run again at once: the failed source waits for its retry time, saying so.
    down, up = fetch()
    assert "next try" in down["skipped"]
    assert site.paths().count("/missing") == 1


def test_a_page_source_is_read_through_the_feed_it_names(site):
    site.routes["/"] = (
        200,
        "text/html",
        b'<html><head><link rel="alternate" type="application/atom+xml" href="/atom">'
        b"</head><body></body></html>",
    )
    Source.objects.create(name="Home page", page_url=site.base + "/")
    [line] = fetch()
    assert line["new_articles"] == 1
    assert Article.objects.filter(url=site.base + "/en/1").exists()


def test_an_html_page_given_as_a_feed_is_an_error_not_a_crash(site):
    Source.objects.create(name="Wrong", feed_url=site.base + "/en/1")
    [line] = fetch()
    assert "not an RSS or Atom feed" in line["errors"][0]


def test_oversized_pages_and_other_schemes_are_refused(site, settings):
    settings.DEALWATCH_FETCH_MAX_BYTES = 1000
    with pytest.raises(FetchError, match="larger than"):
        PoliteClient().get(site.base + "/en/1")
    with pytest.raises(FetchError, match="not an http"):
        PoliteClient().get("file:///etc/passwd")


def test_at_most_one_request_a_second_per_host(settings):
    settings.DEALWATCH_FETCH_HOST_INTERVAL = 1.0
    now, slept = [100.0], []

    def sleep(seconds):
        slept.append(round(seconds, 3))
        now[0] += seconds

    client = PoliteClient(clock=lambda: now[0], sleep=sleep)
    client._wait_turn("a.example")
    now[0] += 0.25
    client._wait_turn("a.example")
    client._wait_turn("b.example")  # another host does not wait
    assert slept == [0.75]


def test_add_source_refuses_bad_input_with_a_message():
    with pytest.raises(CommandError, match="Not added: feed_url"):
        call_command("add_source", "--name", "Bad", "--feed", "not a url", stdout=io.StringIO())
    Source.objects.create(name="Taken", feed_url="https://example.com/rss")
    with pytest.raises(CommandError, match="exists already"):
        call_command(
            "add_source", "--name", "Taken", "--feed", "https://example.com/x", stdout=io.StringIO()
        )
    with pytest.raises(CommandError, match="No source is named"):
        call_command("fetch_sources", "--source", "Nobody", stdout=io.StringIO())
    assert Source.objects.count() == 1


def test_inactive_sources_are_not_fetched(site):
    Source.objects.create(name="Off", feed_url=site.base + "/rss", active=False)
    assert collect_all() == []
    assert site.requests == []
