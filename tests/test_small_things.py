"""The small things a reader and an editor notice (issue 13): each as the person meets it."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from deals.models import Article, Deal
from tests.factories import ArticleFactory, CompanyFactory, DealFactory
from tests.test_assistant import NVIDIA_SENTENCE, paste, sign_in


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_deal_without_edits_says_so_in_a_sentence_not_a_numbered_list(client, seeded):
    deal = Deal.objects.order_by("pk").first()
    html = page(client, deal.get_absolute_url())
    history = html.split('class="change-history"')[1].split("</section>")[0]
    assert '<p class="change-history-empty">No edits recorded.</p>' in history
    assert "<ol" not in history and "<li" not in history


def test_the_assistant_counts_drafts_in_words_and_isolates_the_title(client, seeded):
    Deal.objects.filter(slug="openai-aws-compute-38b").delete()
    sign_in(client)
    response = paste(client, NVIDIA_SENTENCE, title="Nvidia إنفيديا", language="ar")
    [message] = [str(m) for m in response.context["messages"]]
    assert message == 'Stored “<bdi dir="auto">Nvidia إنفيديا</bdi>”. 1 draft to review.'
    assert "(s)" not in response.content.decode()
    # Shown as markup (the title still escaped inside it), not as text with visible tags.
    assert '“<bdi dir="auto">Nvidia إنفيديا</bdi>”. 1 draft to review.' in response.content.decode()


def test_a_title_with_markup_stays_text_inside_the_isolate(client, seeded):
    sign_in(client)
    response = paste(client, NVIDIA_SENTENCE + " <b>", title="<b>bold</b>", language="ar")
    [message] = [str(m) for m in response.context["messages"]]
    assert '<bdi dir="auto">&lt;b&gt;bold&lt;/b&gt;</bdi>' in message


@pytest.mark.parametrize(("field", "what"), [("amount_usd", "amount"), ("power_gw", "power")])
def test_a_negative_figure_gets_one_clear_message(db, field, what):
    deal = DealFactory.build(
        payer=CompanyFactory(), payee=CompanyFactory(), **{field: Decimal("-4")}
    )
    if field == "power_gw":
        deal.power_qualifier = "exact"
    with pytest.raises(ValidationError) as refused:
        deal.full_clean()
    assert refused.value.message_dict[field] == [f"The {what} cannot be negative."]


def test_the_reader_names_the_outlet_and_links_the_original(client, db):
    article = ArticleFactory(
        url="https://www.example-news.com/2025/11/anthropic-azure",
        source_file="001_5383deef026bd71d.txt",
    )
    html = page(client, article.get_absolute_url())
    assert "5383deef026bd71d" not in html
    assert '<bdi dir="ltr">example-news.com</bdi>' in html
    assert 'href="https://www.example-news.com/2025/11/anthropic-azure"' in html
    listing = page(client, reverse("deals:articles"))
    assert ">example-news.com</a>" in listing


def test_an_article_without_an_address_says_so_and_hides_its_file(client, seeded):
    article = Article.objects.exclude(source_file="").first()
    html = page(client, f"/ar{article.get_absolute_url()}")
    assert article.source_file not in html
    assert Article(url="").outlet == ""
    assert Article(url="https://reuters.com/x").outlet == "reuters.com"


def test_the_website_sits_beside_its_label_in_arabic(client, db):
    company = CompanyFactory(website="https://www.anthropic.com")
    html = page(client, f"/ar{company.get_absolute_url()}")
    # The definition keeps the page's direction (so it sits by its label); only the address
    # inside is left to right.
    assert (
        '<dd class="company-website"><a href="https://www.anthropic.com" rel="noopener noreferrer"'
        ' dir="ltr">' in html
    )
    assert '<dd dir="ltr">' not in html


def test_an_undated_deal_has_no_empty_datetime(client, db):
    DealFactory(announced_on=None)
    DealFactory()
    html = page(client, "/deals/")
    assert 'datetime=""' not in html
    assert len(re.findall(r'<time datetime="\d{4}-\d\d-\d\d">', html)) >= 1


def test_the_company_directory_form_names_its_action(client, db):
    assert '<form method="get" class="filter-bar" action="/companies/">' in page(
        client, "/companies/"
    )
    assert 'action=""' not in page(client, "/ar/companies/")


def test_favicon_ico_leads_to_the_site_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("favicon.svg")
    assert client.head("/favicon.ico").status_code == 302
    assert client.post("/favicon.ico").status_code == 405
