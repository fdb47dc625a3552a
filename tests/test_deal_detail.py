"""One deal's page at /deals/<id>/: every field, its history, its sources, and disagreements."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deals.models import DealCitation, DealStatusChange, DealTranche
from tests.factories import ArticleFactory, DealCitationFactory, DealFactory

AZURE = "/deals/anthropic-azure-compute-30b/"


@pytest.mark.django_db
def test_the_azure_deal_shows_each_sources_figure_side_by_side(client, seeded):
    response = client.get(AZURE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "sources disagree" in html
    table = html.split('<table class="reported-figures">')[1].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    figures = [re.findall(r"<td>([^<]*)</td>", row) for row in rows]
    assert ["$30B", "—"] in figures
    assert ["up to $30B", "—"] in figures
    assert 'href="/articles/' in table and "#quote-601" in table and "#quote-603" in table


@pytest.mark.django_db
def test_the_deal_page_shows_its_fields_history_and_quotes(client, seeded):
    html = client.get(AZURE).content.decode()
    assert 'href="/companies/anthropic/"' in html
    assert "compute commitment" in html
    assert "Microsoft Azure" in html or "Azure" in html
    history = html.split('class="status-history"')[1].split("</ol>")[0]
    assert "<time" in history
    # Every citation's quote, in Arabic, marked as Arabic, linking to its place in the article.
    quotes = re.findall(r'<blockquote dir="auto" lang="ar">', html)
    citations = DealCitation.objects.filter(deal__slug="anthropic-azure-compute-30b")
    assert len(quotes) >= citations.count() > 1
    for citation in citations:
        assert f'id="citation-{citation.pk}"' in html
        assert f"#quote-{citation.pk}" in html


@pytest.mark.django_db
def test_agreeing_sources_show_no_reported_figures_table(client, seeded):
    html = client.get("/deals/openai-aws-compute-38b/").content.decode()
    assert "$38B" in html
    assert "sources disagree" not in html
    assert "reported-figures" not in html


@pytest.mark.django_db
def test_an_unknown_deal_is_not_found(client, seeded):
    assert client.get("/deals/no-such-deal/").status_code == 404


@pytest.mark.django_db
def test_the_arabic_deal_page(client, seeded):
    response = client.get(f"/ar{AZURE}")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'dir="rtl"' in html
    assert "30 مليار دولار" in html


def a_busy_deal(citations: int, changes: int):
    deal = DealFactory()
    article = ArticleFactory(body=" ".join(f"Sentence {n}." for n in range(citations)))
    for n in range(citations):
        DealCitationFactory(
            deal=deal,
            article=article,
            quote=f"Sentence {n}.",
            reported_amount_usd=Decimal(n + 1) * 10**9,
            reported_amount_qualifier="exact",
        )
    for n in range(changes):
        DealStatusChange.objects.create(
            deal=deal,
            status="announced",
            changed_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=n),
            article=article,
            quote="Sentence 0.",
        )
        DealTranche.objects.create(
            deal=deal,
            amount_usd=Decimal(10**9),
            paid_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=n),
            reference_url="https://example.com/",
        )
    return deal


@pytest.mark.django_db
def test_the_deal_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    small, big = a_busy_deal(2, 1), a_busy_deal(30, 30)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(small.get_absolute_url()).status_code == 200
    # The deal with its parties, cloud and data centre; chips; tranches; status history;
    # citations; the change history (who edited which figure).
    assert len(queries) == 6
    with django_assert_num_queries(6):
        response = client.get(big.get_absolute_url())
    assert response.content.decode().count('class="citation"') == 30
