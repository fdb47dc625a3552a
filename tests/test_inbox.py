"""The editors' inbox: articles the assistant read, with their drafts, newest first, filterable
by source and language, counted on the admin index; the review page reads stored drafts only,
lets the editor add a deal the assistant missed, and marks an article reviewed or ignored."""

import datetime
import re

import pytest
from django.urls import reverse

from deals.assistant import inbox, services
from deals.models import Article, Deal, DealCitation, DealDraft
from sources.models import ArticleReview, Source, SourceItem
from tests.test_assistant import sign_in

pytestmark = pytest.mark.django_db

DEAL = "ستستثمر إنفيديا ما يصل إلى 10 مليارات دولار في أنثروبيك."
MISSED = "وكانت مايكروسوفت قد وعدت بدعم الشركة الناشئة خلال العام المقبل."
ENGLISH = "Nvidia will invest up to $10 billion in Anthropic, the company said."


def submit(body: str, language: str = "") -> Article:
    return services.article_submit(
        title="",
        body=body,
        language=language,
        published_on=datetime.date(2025, 11, 3),
    ).article


@pytest.fixture
def editor(client, seeded):
    return sign_in(client)


def inbox_titles(client, query: str = "") -> str:
    """The inbox's rows (titles and sources), in order, without the page's messages."""
    response = client.get(reverse("admin:sources_inboxarticle_changelist") + query)
    assert response.status_code == 200
    return "\n".join(
        re.findall(r'<tr><td class="field-review_link">.*?</tr>', response.content.decode())
    )


def test_proposing_drafts_puts_the_article_in_the_inbox_with_the_extractors_notes(seeded):
    article = submit(f"{DEAL}\n{MISSED}")
    review = ArticleReview.objects.get(article=article)
    assert review.state == ArticleReview.State.NEW
    assert review.notes == []
    assert article.deal_drafts.count() == 1


def test_the_extractors_notes_are_stored_and_shown(client, editor, settings, monkeypatch):
    from deals.extraction import llm

    settings.DEALWATCH_EXTRACTOR = "llm"

    def refuse(endpoint, text):
        raise llm.ModelUnusable("connection refused")

    monkeypatch.setattr(llm, "ask", refuse)
    monkeypatch.setattr(llm.Endpoint, "from_settings", classmethod(lambda cls: None))
    article = submit(DEAL)
    assert "connection refused" in ArticleReview.objects.get(article=article).notes[0]
    page = client.get(reverse("admin:deals_article_review", args=[article.pk])).content.decode()
    assert "connection refused" in page


def test_the_review_page_never_runs_the_extractor(client, editor, monkeypatch):
    article = submit(DEAL)

    def boom(*args, **kwargs):
        raise AssertionError("the review page ran the extractor")

    monkeypatch.setattr(services, "extract_article", boom)
    response = client.get(reverse("admin:deals_article_review", args=[article.pk]))
    assert response.status_code == 200
    assert "إنفيديا" in response.content.decode()


def test_inbox_lists_new_articles_newest_first_by_source_and_language(client, editor):
    older = submit(DEAL)
    newer = submit(ENGLISH, language="en")
    feed = Source.objects.create(name="Tech wire", feed_url="https://example.test/feed.xml")
    SourceItem.objects.create(
        source=feed, url="https://example.test/a", status="stored", article=newer
    )
    page = inbox_titles(client)
    assert page.index(newer.title) < page.index(older.title)
    by_source = inbox_titles(client, f"?source={feed.pk}")
    assert newer.title in by_source and older.title not in by_source
    arabic = inbox_titles(client, "?language__exact=ar")
    assert older.title in arabic and newer.title not in arabic
    assert "Tech wire" in page
    pasted = inbox_titles(client, "?source=none")
    assert older.title in pasted and newer.title not in pasted


def test_the_admin_index_counts_new_articles_and_drafts(client, editor):
    submit(DEAL)
    submit(ENGLISH, language="en")
    page = client.get(reverse("admin:index")).content.decode()
    assert "2 new articles" in page
    assert "2 drafts to review" in page


def test_an_editor_adds_a_missed_deal_from_a_sentence_of_the_article(client, editor):
    article = submit(f"{DEAL}\n{MISSED}")
    page = client.get(reverse("admin:deals_article_review", args=[article.pk])).content.decode()
    assert f'<option value="{MISSED}">' in page
    response = client.post(
        reverse("admin:deals_article_add_draft", args=[article.pk]),
        {"quote": MISSED, "deal_type": "investment"},
        follow=True,
    )
    assert response.status_code == 200
    added = article.deal_drafts.order_by("position").last()
    assert added.status == DealDraft.Status.PROPOSED
    assert added.quote == MISSED
    assert article.body[added.proposal["start"] : added.proposal["end"]] == MISSED
    assert f'id="draft-{added.pk}"' in response.content.decode()  # in the same review form


def test_a_quote_that_is_not_verbatim_is_refused_and_nothing_is_stored(client, editor):
    article = submit(DEAL)
    response = client.post(
        reverse("admin:deals_article_add_draft", args=[article.pk]),
        {"quote": "Microsoft promised to back the startup.", "deal_type": "investment"},
        follow=True,
    )
    assert response.status_code == 200
    assert "copied from the article exactly" in response.content.decode()
    assert article.deal_drafts.count() == 1


def test_marking_an_article_reviewed_or_ignored_takes_it_out_of_the_inbox(client, editor):
    done, skipped, waiting = submit(DEAL), submit(ENGLISH, language="en"), submit(MISSED)
    for article, state in ((done, "reviewed"), (skipped, "ignored")):
        url = reverse("admin:deals_article_mark", args=[article.pk])
        assert client.post(url, {"state": state}).status_code == 302
    assert ArticleReview.objects.get(article=done).decided_by == editor
    page = inbox_titles(client)
    assert waiting.title in page and done.title not in page and skipped.title not in page
    assert skipped.title in inbox_titles(client, "?state=ignored")


def test_an_unknown_state_is_refused(client, editor):
    article = submit(DEAL)
    client.post(reverse("admin:deals_article_mark", args=[article.pk]), {"state": "published"})
    assert ArticleReview.objects.get(article=article).state == ArticleReview.State.NEW


def test_nothing_is_published_until_accepted(seeded):
    article = submit(f"{DEAL}\n{MISSED}")
    deals = Deal.objects.count()
    inbox.draft_add_missed(article=article, quote=MISSED, deal_type="investment")
    inbox.article_mark(article=article, state="reviewed")
    assert Deal.objects.count() == deals
    assert not DealCitation.objects.filter(article=article).exists()


def test_the_inbox_is_for_editors_only(client, seeded):
    sign_in(client, editor=False)
    response = client.get(reverse("admin:sources_inboxarticle_changelist"))
    assert response.status_code == 403
