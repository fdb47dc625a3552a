import datetime
import itertools

import pytest
from django.db.models import Q

from companies.models import CompanyAlias
from deals.models import Deal
from deals.selectors.search import search
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
    assert nvidia in search(query=query).companies


def test_taa_marbuta_and_alef_maqsura_variants_match(db):
    company = CompanyFactory(slug="humain", name="Humain", name_ar="هيوماين للحوسبة السحابية")
    assert company in search(query="هيوماين للحوسبه السحابيه").companies


def test_latin_names_ignore_case_and_spacing(db):
    company = CompanyFactory(slug="openai", name="OpenAI", name_ar="أوبن إيه آي")
    assert company in search(query="open ai").companies
    assert company in search(query="اوبن ايه اي").companies


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

    results = search(query="نفيديا")
    assert deal in results.deals
    assert article in results.articles
    assert chip in search(query="غريس").chips
    assert cloud in search(query="ازور").clouds
    assert cloud in search(query="AZURE").clouds


def test_nothing_to_search_returns_nothing(db):
    assert search(query="  ").total == 0
    assert search(query="!!!").total == 0


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


@pytest.mark.parametrize("deal_count", [3, 40])
def test_query_count_does_not_grow_with_the_data(nvidia, deal_count, django_assert_num_queries):
    chip = ChipPlatformFactory(slug="nvidia-gb200", name="Nvidia GB200", vendor=nvidia)
    cloud = CloudPlatformFactory(slug="nvidia-dgx-cloud", name="Nvidia DGX Cloud", operator=nvidia)
    lab = CompanyFactory(slug="anthropic", name="Anthropic")
    for n in range(deal_count):
        payer, payee = (nvidia, lab) if n % 2 else (lab, nvidia)
        deal = DealFactory(slug=f"nvidia-{n}", payer=payer, payee=payee)
        deal.chip_platforms.add(chip)
        if n % 3 == 0:
            deal.cloud = cloud
            deal.save()
        DealCitationFactory(deal=deal)
    # Companies, clouds, chips, data centres; deals as payer, as payee, on the cloud, on the
    # chip, by id prefix, undated ones, then the deals shown; articles citing them, articles
    # containing the word, then the articles shown.
    with django_assert_num_queries(14):
        results = search(query="nvidia")
    assert len(results.deals) == min(deal_count, 20)


def test_suggestions_are_the_first_results_of_the_search_page(
    client, nvidia, django_assert_num_queries
):
    article = ArticleFactory(title="Why the market watches Nvidia")
    # Companies, clouds, chips, data centres; deals as payer, as payee, by id prefix,
    # undated ones; articles containing the word, then the articles shown.
    with django_assert_num_queries(10):
        response = client.get("/search/", {"q": "nvidia", "suggest": "1"}, HTTP_HX_REQUEST="true")
    assert b"/companies/nvidia/" in response.content
    assert article.get_absolute_url().encode() in response.content


def _timeline_of(deals) -> list[str]:
    return [deal.slug for deal in deals]


def test_deals_are_the_newest_of_every_way_they_match_without_repeats(nvidia):
    """Payer, payee, cloud, chips and id each searched apart, merged like the timeline."""
    lab = CompanyFactory(slug="anthropic", name="Anthropic")
    other = CompanyFactory(slug="other-co", name="Other Co")
    # A cloud's operator is found with it, and so are the operator's deals (none here).
    operator = CompanyFactory(slug="cloud-operator", name="Cloud Operator")
    cloud = CloudPlatformFactory(slug="nvidia-dgx-cloud", name="Nvidia DGX", operator=operator)
    chips = [
        ChipPlatformFactory(slug=f"nvidia-chip-{n}", name=f"Nvidia Chip {n}", vendor=operator)
        for n in range(2)
    ]
    days = itertools.cycle([datetime.date(2025, month, 1) for month in (3, 1, 12, 6, 9)])
    for n in range(12):
        day = None if n % 5 == 0 else next(days)
        DealFactory(slug=f"paid-{n}", payer=nvidia, payee=lab, announced_on=day)
        DealFactory(slug=f"received-{n}", payer=lab, payee=nvidia, announced_on=day)
        DealFactory(slug=f"cloud-{n}", payer=lab, payee=other, cloud=cloud, announced_on=day)
        on_chips = DealFactory(slug=f"chips-{n}", payer=lab, payee=other, announced_on=day)
        on_chips.chip_platforms.add(*chips)
        DealFactory(slug=f"nvidia-id-{n}", payer=lab, payee=other, announced_on=day)
        DealFactory(slug=f"unrelated-{n}", payer=lab, payee=other, announced_on=day)

    expected = Deal.objects.filter(
        Q(payer=nvidia)
        | Q(payee=nvidia)
        | Q(cloud=cloud)
        | Q(chip_platforms__in=chips)
        | Q(slug__startswith="nvidia")
    ).distinct()
    for limit in (5, 20, 100):
        found = search(query="nvidia", limit=limit).deals
        assert _timeline_of(found) == _timeline_of(expected.timeline()[:limit])
    assert len(search(query="nvidia", limit=100).deals) == 60


def test_undated_deals_come_after_dated_ones(nvidia):
    lab = CompanyFactory(slug="anthropic", name="Anthropic")
    DealFactory(slug="undated", payer=nvidia, payee=lab, announced_on=None)
    DealFactory(slug="older", payer=lab, payee=nvidia, announced_on=datetime.date(2020, 1, 1))
    DealFactory(slug="newer", payer=nvidia, payee=lab, announced_on=datetime.date(2024, 1, 1))
    assert _timeline_of(search(query="nvidia").deals) == ["newer", "older", "undated"]


def test_a_deal_is_found_by_the_start_of_its_id(db):
    deal = DealFactory(slug="syn-deal-0244421")
    assert search(query="syn-deal-0244421").deals == [deal]
    assert search(query="SYN-DEAL-02444").deals == [deal]
    # Only from its start: a substring would read every deal's id.
    assert search(query="0244421").deals == []


def test_articles_match_title_text_or_a_cited_deal_newest_first(nvidia):
    lab = CompanyFactory(slug="anthropic", name="Anthropic")
    deal = DealFactory(slug="nvidia-anthropic", payer=nvidia, payee=lab)
    by_title = ArticleFactory(title="Nvidia's year", published_on=datetime.date(2025, 3, 1))
    by_text = ArticleFactory(body="Shares of NVIDIA rose.", published_on=datetime.date(2025, 5, 1))
    cited = ArticleFactory(title="A deal", published_on=datetime.date(2025, 4, 1))
    DealCitationFactory(deal=deal, article=cited)
    ArticleFactory(title="Nothing here", published_on=datetime.date(2025, 6, 1))
    assert search(query="nvidia").articles == [by_text, cited, by_title]
    assert search(query="nvidia", limit=2).articles == [by_text, cited]
