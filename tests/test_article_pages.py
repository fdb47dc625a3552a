"""The sources list and the article reader."""

import datetime

import pytest

from deals.models import (
    Article,
    DataCenterCitation,
    DataCenterProject,
    DealCitation,
    DealStatusChange,
    Valuation,
    ValuationCitation,
)
from tests.conftest import count_queries
from tests.factories import ArticleFactory, CompanyFactory, DealCitationFactory, DealFactory

ARABIC_BODY = (
    "التزمت أنثروبيك بشراء طاقة حوسبة من مايكروسوفت أزور بقيمة 30 مليار دولار.\n"
    "\n"
    "ستستثمر إنفيديا ما يصل إلى 10 مليارات دولار في أنثروبيك."
)


@pytest.fixture
def arabic_article(db):
    return ArticleFactory(
        slug="arabic",
        title="صفقة أنثروبيك",
        language=Article.Language.ARABIC,
        body=ARABIC_BODY,
        source_file="001_x.txt",
        url="https://example.com/news/1",
    )


def test_article_list_shows_titles_languages_and_quote_counts(client, arabic_article):
    DealCitationFactory(article=arabic_article, quote="30 مليار دولار")
    DealCitationFactory(article=arabic_article, quote="10 مليارات دولار")
    ArticleFactory(slug="english", title="An English piece")
    page = client.get("/articles/").content.decode()
    assert "صفقة أنثروبيك" in page and "An English piece" in page
    row = page[page.index("صفقة أنثروبيك") : page.index("</tr>", page.index("صفقة أنثروبيك"))]
    assert "Arabic" in row
    assert '<td class="num">2</td>' in row


def test_arabic_article_reads_right_to_left_whatever_the_interface(client, arabic_article):
    for prefix in ["", "/ar"]:
        page = client.get(f"{prefix}/articles/arabic/").content.decode()
        assert '<article class="reader card" lang="ar" dir="rtl"' in page
    english = ArticleFactory(slug="en-piece", body="One.\nTwo.")
    page = client.get(f"/ar/articles/{english.slug}/").content.decode()
    assert 'lang="en" dir="ltr"' in page


def test_paragraphs_are_kept_and_blank_lines_dropped(client, arabic_article):
    page = client.get("/articles/arabic/").content.decode()
    body = page[page.index('class="reader-body"') : page.index("</article>")]
    assert body.count("<p>") == 2


def test_each_kind_of_quote_is_highlighted_with_its_anchor_and_link(client, arabic_article):
    lab = CompanyFactory(slug="lab", name="Lab")
    deal = DealFactory(slug="azure-deal", payee=lab)
    deal_quote = DealCitation.objects.create(
        deal=deal, article=arabic_article, quote="بقيمة 30 مليار دولار"
    )
    valuation = Valuation.objects.create(
        company=lab, amount_usd=10**9, as_of=datetime.date(2025, 1, 1)
    )
    valuation_quote = ValuationCitation.objects.create(
        valuation=valuation, article=arabic_article, quote="ستستثمر إنفيديا"
    )
    center = DataCenterProject.objects.create(
        slug="dc", name="Site", operator=lab, status="planned"
    )
    center_quote = DataCenterCitation.objects.create(
        data_center=center, article=arabic_article, quote="في أنثروبيك"
    )
    change = DealStatusChange.objects.create(
        deal=deal,
        status="announced",
        changed_on=datetime.date(2025, 1, 1),
        article=arabic_article,
        quote="التزمت أنثروبيك",
    )
    page = client.get("/articles/arabic/").content.decode()
    assert f'<mark class="quote" id="quote-{deal_quote.pk}">' in page
    assert f'id="quote-valuation-{valuation_quote.pk}"' in page
    assert f'id="quote-datacenter-{center_quote.pk}"' in page
    assert f'id="quote-status-{change.pk}"' in page
    assert page.count("<mark") == 4
    assert 'href="/deals/azure-deal/"' in page
    assert 'href="/companies/lab/#valuations"' in page
    # The side list links back to every highlight.
    for anchor in [
        f"quote-{deal_quote.pk}",
        f"quote-valuation-{valuation_quote.pk}",
        f"quote-datacenter-{center_quote.pk}",
        f"quote-status-{change.pk}",
    ]:
        assert f'href="#{anchor}"' in page


def test_two_deals_citing_one_sentence_share_one_highlight(client, arabic_article):
    sentence = "ستستثمر إنفيديا ما يصل إلى 10 مليارات دولار في أنثروبيك."
    first = DealCitationFactory(article=arabic_article, quote=sentence)
    second = DealCitationFactory(article=arabic_article, quote="10 مليارات دولار")
    page = client.get("/articles/arabic/").content.decode()
    assert page.count("<mark") == 1
    assert f'id="quote-{first.pk}"' in page and f'id="quote-{second.pk}"' in page


def test_a_quote_missing_from_the_text_is_listed_not_highlighted(client, arabic_article):
    DealCitationFactory(article=arabic_article, quote="جملة غير موجودة")
    page = client.get("/articles/arabic/").content.decode()
    assert "<mark" not in page
    assert "could not be found word for word" in page
    assert "جملة غير موجودة" in page


def test_markup_in_an_article_is_shown_as_text(client, db):
    article = ArticleFactory(slug="evil", body='Hello <img src=x onerror="alert(1)"> world')
    DealCitationFactory(article=article, quote="<img src=x")
    page = client.get("/articles/evil/").content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x" in page


def test_metadata_shows_date_outlet_and_url_not_the_internal_file(client, arabic_article):
    page = client.get("/articles/arabic/").content.decode()
    assert "001_x.txt" not in page  # the file it was uploaded from is the editors' business
    assert "example.com" in page  # the outlet, from the original link's host
    assert 'href="https://example.com/news/1"' in page
    assert 'datetime="2025-01-01"' in page


def test_unknown_article_is_404(client, db):
    assert client.get("/articles/nope/").status_code == 404
    assert client.get("/ar/articles/nope/").status_code == 404


@pytest.mark.parametrize("query", ["?page=abc", "?page=0", "?page=99999"])
def test_bad_list_parameters_never_break_the_page(client, arabic_article, query):
    assert client.get(f"/articles/{query}").status_code == 200


def test_reader_costs_the_same_queries_for_5_and_60_quotes(client, arabic_article):
    def cite(count, start):
        for number in range(start, start + count):
            deal = DealFactory(slug=f"d{number}")
            DealCitation.objects.create(deal=deal, article=arabic_article, quote="30 مليار دولار")
            DealStatusChange.objects.create(
                deal=deal,
                status="announced",
                changed_on=datetime.date(2025, 1, 1),
                article=arabic_article,
                quote="التزمت أنثروبيك",
            )

    cite(5, 0)
    with_five = count_queries(client, "/articles/arabic/")
    list_with_five = count_queries(client, "/articles/")
    cite(55, 5)
    assert count_queries(client, "/articles/arabic/") == with_five
    assert count_queries(client, "/articles/") == list_with_five


# The seed


@pytest.mark.usefixtures("seeded")
def test_article_001_highlights_the_30_billion_azure_quote(client):
    citation = DealCitation.objects.filter(
        article__slug="article-001", quote__contains="30 مليار دولار"
    ).first()
    assert citation is not None
    page = client.get("/articles/article-001/").content.decode()
    assert f'id="quote-{citation.pk}"' in page
    assert 'lang="ar" dir="rtl"' in page
    marked = page[page.index(f'id="quote-{citation.pk}"') :]
    assert "30 مليار دولار" in marked[: marked.index("</mark>")]


@pytest.mark.usefixtures("seeded")
def test_every_seeded_quote_is_found_and_anchored(client):
    for article in Article.objects.all():
        page = client.get(article.get_absolute_url()).content.decode()
        assert "could not be found word for word" not in page
        for citation in article.dealcitations.all():
            assert f'id="quote-{citation.pk}"' in page
