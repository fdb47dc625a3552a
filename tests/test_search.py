import pytest

from companies.models import CompanyAlias
from deals.search import search
from tests.factories import (
    ArticleFactory,
    ChipPlatformFactory,
    CloudPlatformFactory,
    CompanyFactory,
    DealCitationFactory,
    DealFactory,
)


@pytest.fixture
def nvidia(db):
    company = CompanyFactory(slug="nvidia", name="Nvidia", name_ar="إنفيديا", kind="chipmaker")
    CompanyAlias.objects.create(company=company, name="نفيديا")
    return company


@pytest.mark.parametrize(
    "query",
    ["nvidia", "NVIDIA", " Nvidia ", "إنفيديا", "انفيديا", "نفيديا", "إنفيدْيا", "إنفيـديا", "نفيد"],
)
def test_every_spelling_of_nvidia_finds_it(nvidia, query):
    assert nvidia in search(query).companies


def test_taa_marbuta_and_alef_maqsura_variants_match(db):
    company = CompanyFactory(slug="humain", name="Humain", name_ar="هيوماين للحوسبة السحابية")
    assert company in search("هيوماين للحوسبه السحابيه").companies


def test_latin_names_ignore_case_and_spacing(db):
    company = CompanyFactory(slug="openai", name="OpenAI", name_ar="أوبن إيه آي")
    assert company in search("open ai").companies
    assert company in search("اوبن ايه اي").companies


def test_clouds_chips_deals_and_articles_are_found_by_name(nvidia):
    chip = ChipPlatformFactory(
        slug="grace-blackwell", name="Grace Blackwell", name_ar="غريس بلاكويل", vendor=nvidia
    )
    cloud = CloudPlatformFactory(
        slug="azure", name="Microsoft Azure", name_ar="مايكروسوفت أزور", aliases=["Azure", "أزور"]
    )
    lab = CompanyFactory(slug="anthropic", name="Anthropic", name_ar="أنثروبيك")
    deal = DealFactory(slug="nvidia-anthropic", payer=nvidia, payee=lab)
    article = ArticleFactory(title="Chips and clouds")
    DealCitationFactory(deal=deal, article=article)

    results = search("نفيديا")
    assert deal in results.deals
    assert article in results.articles
    assert chip in search("غريس").chips
    assert cloud in search("ازور").clouds
    assert cloud in search("AZURE").clouds


def test_nothing_to_search_returns_nothing(db):
    assert search("  ").total == 0
    assert search("!!!").total == 0


def test_search_page_lists_hits_with_links(client, nvidia):
    response = client.get("/search/", {"q": "انفيديا"})
    assert response.status_code == 200
    assert b'href="/companies/nvidia/"' in response.content


def test_arabic_search_page_is_right_to_left(client, nvidia):
    response = client.get("/ar/search/", {"q": "nvidia"})
    assert response.status_code == 200
    assert b'dir="rtl"' in response.content
    assert b'href="/ar/companies/nvidia/"' in response.content


def test_suggestions_are_a_fragment(client, nvidia):
    response = client.get("/search/", {"q": "نفيد", "suggest": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"/companies/nvidia/" in response.content


@pytest.mark.parametrize(
    "query",
    ["<script>alert(1)</script>", "' OR 1=1 --", "x" * 5000, "🚀🚀", "%00", "\u202e"],
)
def test_hostile_queries_are_shown_as_text_never_an_error(client, db, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content


def test_search_runs_a_fixed_number_of_queries(client, nvidia, django_assert_max_num_queries):
    lab = CompanyFactory(slug="anthropic", name="Anthropic")
    for n in range(15):
        DealFactory(slug=f"deal-n{n}", payer=nvidia, payee=lab)
    with django_assert_max_num_queries(12):
        client.get("/search/", {"q": "nvidia"})
