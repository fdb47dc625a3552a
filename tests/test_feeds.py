"""Atom feeds: valid Atom in both languages, the timeline's filters, and nothing unescaped."""

import datetime
import re
from decimal import Decimal

import feedparser
import pytest
from django.urls import reverse
from django.utils import translation

from companies.models import Company
from deals.models import DataCenterProject, Deal, DealStatus, DealStatusChange, DealType
from tests.conftest import count_queries
from tests.factories import ArticleFactory, CompanyFactory, DealCitationFactory, DealFactory

pytestmark = pytest.mark.django_db


def _feed(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def _deal_slugs(parsed) -> list[str]:
    prefix = "tag:dealwatch,2025:deal/"
    return [
        entry.id.removeprefix(prefix) for entry in parsed.entries if entry.id.startswith(prefix)
    ]


def test_the_filtered_timeline_feed_lists_exactly_the_timelines_deals(client, seeded):
    parsed = _feed(client, "/deals/feed/?company=anthropic&type=investment")
    expected = Deal.objects.involving(Company.objects.get(slug="anthropic")).of_type(
        DealType.INVESTMENT
    )
    assert sorted(_deal_slugs(parsed)) == sorted(expected.values_list("slug", flat=True))
    assert len(_deal_slugs(parsed)) == 5
    assert parsed.feed.title == "DealWatch: Company: Anthropic; Type: investment"
    assert parsed.feed.link == "http://testserver/deals/?company=anthropic&type=investment"


def test_every_entry_carries_its_amount_in_words_status_and_source(client, seeded):
    parsed = _feed(client, "/deals/feed/?company=nvidia&role=investor")
    (entry,) = [e for e in parsed.entries if e.id.endswith("/nvidia-anthropic-investment-10b")]
    assert entry.title == "Nvidia to Anthropic: investment, up to $10B"
    assert "Amount: up to $10B" in entry.summary
    assert "Status: announced" in entry.summary
    assert 'href="http://testserver/articles/' in entry.summary
    assert entry.link == "http://testserver/deals/nvidia-anthropic-investment-10b/"


def test_an_undisclosed_amount_is_said_not_shown_as_zero(client, seeded):
    deal = DealFactory(amount_usd=None, amount_qualifier="undisclosed")
    parsed = _feed(client, reverse("feeds:company", args=[deal.payee.slug]))
    (entry,) = parsed.entries
    assert "undisclosed" in entry.title
    assert "$0" not in entry.summary


def test_the_arabic_feed_is_in_arabic(client, seeded):
    parsed = _feed(client, "/ar/companies/nvidia/feed/")
    assert parsed.feed.language == "ar"
    assert parsed.feed.title.endswith("إنفيديا")
    titles = " ".join(entry.title for entry in parsed.entries)
    assert "من إنفيديا إلى أنثروبيك: استثمار، ما يصل إلى 10 مليارات دولار" in titles
    assert all(entry.link.startswith("http://testserver/ar/deals/") for entry in parsed.entries)


def test_status_changes_after_the_first_are_entries_of_their_own(client, seeded):
    deal = Deal.objects.get(slug="amazon-openai-investment-10b")
    article = deal.citations.first().article
    DealStatusChange.objects.create(
        deal=deal, status=DealStatus.SIGNED, changed_on=datetime.date(2026, 1, 5), article=article
    )
    parsed = _feed(client, "/companies/openai/feed/")
    newest = parsed.entries[0]
    assert newest.id.startswith("tag:dealwatch,2025:status-change/")
    assert newest.title == "Amazon and OpenAI: status now “signed”"
    assert newest.link == "http://testserver/deals/amazon-openai-investment-10b/"
    assert len({entry.id for entry in parsed.entries}) == len(parsed.entries)


def test_a_bad_filter_answers_400_with_the_timelines_message(client, seeded):
    response = client.get("/deals/feed/?company=nobody&type=gift")
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is no company with the id “nobody”." in text
    assert "“gift” is not a deal type." in text


def test_unknown_companies_and_data_centres_have_no_feed(client, seeded):
    assert client.get("/companies/nobody/feed/").status_code == 404
    assert client.get("/data-centres/nowhere/feed/").status_code == 404


def test_a_data_centres_feed_lists_the_deals_naming_it(client, seeded):
    parsed = _feed(client, reverse("feeds:data_centre", args=["project-rainier"]))
    assert _deal_slugs(parsed) == ["anthropic-aws-compute-project-rainier"]
    assert "Project Rainier" in parsed.feed.title


def test_html_in_the_data_is_escaped_never_markup(client, db):
    villain = CompanyFactory(slug="villain", name="<script>alert(1)</script>", name_ar="")
    article = ArticleFactory(title="<img src=x onerror=alert(2)>")
    deal = DealFactory(payer=villain, summary="<b>bold</b> & <i>claims</i>")
    DealCitationFactory(deal=deal, article=article)
    response = client.get("/companies/villain/feed/")
    raw = response.content.decode()
    # No element in the XML; in the titles (text) escaped once, in the summaries (HTML) twice.
    assert "<script" not in raw and "<img" not in raw
    assert "&lt;script" not in re.sub(r"<title>.*?</title>", "", raw)
    assert "&lt;img" not in raw and "&amp;lt;img" in raw
    parsed = feedparser.parse(response.content, sanitize_html=False)
    assert not parsed.bozo
    (entry,) = parsed.entries
    assert entry.title.startswith("<script>alert(1)</script> to ")
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;claims&lt;/i&gt;" in entry.summary
    assert "&lt;img src=x onerror=alert(2)&gt;" in entry.summary


def test_a_feed_costs_the_same_queries_however_many_deals(client, seeded):
    url = "/deals/feed/?company=anthropic"
    before = count_queries(client, url)
    anthropic = Company.objects.get(slug="anthropic")
    for number in range(40):
        DealFactory(payee=anthropic, amount_usd=Decimal(number + 1) * 10**6)
    after = count_queries(client, url)
    assert after == before
    assert after <= 12


def test_timeline_and_company_pages_link_their_feed(client, seeded):
    page = client.get("/deals/?company=anthropic&type=investment").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" title="DealWatch feed" '
        'href="/deals/feed/?company=anthropic&amp;type=investment" data-follows-query>'
    ) in page  # and static/js/timeline.js keeps it following the filter after each swap
    page = client.get("/ar/companies/nvidia/").content.decode()
    assert 'type="application/atom+xml"' in page
    assert 'href="/ar/companies/nvidia/feed/"' in page


def test_the_feed_link_include_serves_a_data_centre_page():
    from django.template.loader import render_to_string

    project = DataCenterProject(slug="project-rainier")
    with translation.override("ar"):
        html = render_to_string("includes/feed_link.html", {"data_centre": project})
    assert 'href="/ar/data-centres/project-rainier/feed/"' in html
