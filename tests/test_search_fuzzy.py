"""Search forgives a wrong letter or two, finds data centres, and keeps short searches short.

What a reader types when they half-remember a name, in either script: "مايكروسفت" for
مايكروسوفت, "Nvidai" for Nvidia, "اوركل" for أوراكل. Correction only fills in when the name as
typed finds nothing, and never for a short query (which would match everything).
"""

import pytest

from companies.models import Company, CompanyAlias
from deals.models import DataCenterProject
from deals.pages import search as page
from deals.selectors.search import SHORT_QUERY
from deals.selectors.spellings import allowed_edits, closest, searchable_names
from tests.conftest import count_queries
from tests.factories import ArticleFactory, CompanyFactory, DealCitationFactory, DealFactory


def company_slugs(results) -> list[str]:
    return [company.slug for company in results.companies]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("مايكروسفت", "microsoft"),  # a letter missing
        ("Nvidai", "nvidia"),  # two letters swapped
        ("اوركل", "oracle"),  # a letter missing, no hamza
        ("Oracel", "oracle"),
        ("Amazn", "amazon"),
        ("انثروبيق", "anthropic"),  # one letter wrong
        ("Antrhopic", "anthropic"),
        ("Microsfot", "microsoft"),
        ("Mircosoft", "microsoft"),
        ("Micrsooft", "microsoft"),  # two edits in a long word
        ("سوفتبانك", "softbank"),  # the space left out is no mistake at all
    ],
)
def test_a_name_with_a_wrong_letter_or_two_finds_the_company(seeded, typed, meant):
    results = page.results(typed)
    assert meant in company_slugs(results)
    assert results.companies[0].slug == meant


def test_a_corrected_search_says_so_and_brings_the_companys_deals(seeded):
    results = page.results("Nvidai")
    assert results.corrected
    assert company_slugs(results) == ["nvidia"]
    nvidia = Company.objects.get(slug="nvidia")
    assert results.deals
    assert all(nvidia.pk in (deal.payer_id, deal.payee_id) for deal in results.deals)


def test_a_name_found_as_typed_is_not_corrected(seeded):
    results = page.results("Nvidia")
    assert not results.corrected
    assert company_slugs(results) == ["nvidia"]


@pytest.mark.parametrize(
    "query",
    [
        "Intel",  # no such company: nothing near enough either
        "Meta",  # four letters: never corrected ("Beta", "Mega"...)
        "orange",  # two edits from "oracle": too many for six letters
        "Amazing",  # two edits from "amazon"
        "Media",
        "ميتا",
        "ابل",
        "غوغلز كلاود ايه بي",  # nothing close enough as a whole
    ],
)
def test_words_far_from_every_name_find_no_company(seeded, query):
    results = page.results(query)
    assert results.companies == []
    assert not results.corrected


def test_a_short_query_is_never_corrected():
    assert allowed_edits("amd") == 0
    assert allowed_edits("ميتا") == 0
    assert allowed_edits("oracl") == 1
    assert allowed_edits("microsfot") == 2


def test_only_the_nearest_names_are_kept(db):
    near_one = CompanyFactory(slug="dabelonis", name="Dabelonis", name_ar="")
    CompanyFactory(slug="dabolonyx", name="Dabolonyx", name_ar="")
    # Nine letters may hold two wrong ones: "dabelonix" is one edit from Dabelonis and two
    # from Dabolonyx; once a name is one edit away, those two away are left out.
    assert allowed_edits("dabelonix") == 2
    assert closest("dabelonix", searchable_names()) == {"company": [near_one.pk]}
    assert company_slugs(page.results("Dabolonix")) == ["dabolonyx"]


def test_a_misspelt_word_of_a_longer_name_finds_it(db):
    company = CompanyFactory(slug="dabelon-web", name="Dabelon Web Services", name_ar="")
    assert page.results("Dabelom").companies == [company]


@pytest.mark.parametrize(
    ("query", "site"),
    [
        ("Rainier", "project-rainier"),
        ("رينير", "project-rainier"),
        ("Indiana", "project-rainier"),
        ("Abilene", "oracle-texas-openai"),
        ("Texas", "oracle-texas-openai"),
        ("تكساس", "oracle-texas-openai"),
    ],
)
def test_data_centres_are_found_by_name_and_place(seeded, query, site):
    assert site in [found.slug for found in page.results(query).data_centres]


def test_a_data_centre_brings_the_deals_that_run_there(seeded):
    results = page.results("Abilene")
    assert [deal.slug for deal in results.deals] == ["openai-oracle-compute-texas"]


def test_a_misspelt_data_centre_is_corrected_too(seeded):
    results = page.results("Rainer")
    assert [site.slug for site in results.data_centres] == ["project-rainier"]
    assert results.corrected


def test_the_search_page_lists_data_centres_with_links(client, seeded):
    response = client.get("/search/", {"q": "Rainier"})
    site = DataCenterProject.objects.get(slug="project-rainier")
    assert response.status_code == 200
    assert f'href="/data-centres/{site.slug}/"'.encode() in response.content


def test_suggestions_group_data_centres_and_end_with_all_results(client, seeded):
    response = client.get("/ar/search/", {"q": "رينير", "suggest": "1"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'href="/ar/data-centres/project-rainier/"' in html
    assert 'role="group"' in html and 'id="site-search-all"' in html
    assert html.rstrip().endswith("</a>")  # nothing after "All N results"


# Short queries ------------------------------------------------------------------------------


def test_a_short_query_matches_names_from_their_start_only(db):
    kylenvo = CompanyFactory(slug="kylenvo", name="Kylenvo", name_ar="كيلينفو")
    CompanyFactory(slug="makylo", name="Makylo", name_ar="")
    assert SHORT_QUERY == 2
    assert page.results("ky").companies == [kylenvo]
    assert page.results("K").companies == [kylenvo]
    assert page.results("كي").companies == [kylenvo]
    # Three letters: anywhere in the name.
    assert {c.slug for c in page.results("kyl").companies} == {"kylenvo", "makylo"}


def test_a_short_query_finds_articles_only_through_the_deals_it_finds(db):
    kylenvo = CompanyFactory(slug="kylenvo", name="Kylenvo", name_ar="")
    cited = ArticleFactory(title="Kylenvo raises money")
    DealCitationFactory(deal=DealFactory(slug="kylenvo-raise", payer=kylenvo), article=cited)
    ArticleFactory(title="Two letters: ky", body="ky ky ky")
    assert page.results("ky").articles == [cited]


def test_a_short_query_reads_no_article_text(db, django_assert_num_queries):
    ArticleFactory(title="qz", body="qz")
    # Companies, clouds, chips, data centres; deals by id prefix (dated, undated). Nothing
    # found, so no deal or article is read, and no name is corrected (too short).
    with django_assert_num_queries(6):
        results = page.results("qz")
    assert results.total == 0


def test_a_group_with_more_matches_than_shown_says_so_without_counting(db):
    for n in range(25):
        CompanyFactory(slug=f"testco-{n:02}", name=f"Testco {n:02}", name_ar="")
    results = page.results("testco")
    assert len(results.companies) == page.RESULTS_PER_GROUP
    assert results.more
    assert not page.results("testco 03").more


def test_the_search_page_says_more_match(client, db):
    for n in range(25):
        CompanyFactory(slug=f"testco-{n:02}", name=f"Testco {n:02}", name_ar="")
    response = client.get("/search/", {"q": "testco"})
    assert "The first 20 results for" in response.content.decode()
    response = client.get("/search/", {"q": "testco", "suggest": "1"}, HTTP_HX_REQUEST="true")
    assert "More than 20 results" in response.content.decode()


# Query counts and the cached name list ------------------------------------------------------


def _grow(size: int) -> None:
    for n in range(size):
        company = CompanyFactory(slug=f"grown-{n}", name=f"Grown Company {n}", name_ar="")
        CompanyAlias.objects.create(company=company, name=f"Grownco {n}")
        DealFactory(slug=f"grown-deal-{n}", payer=company)


@pytest.mark.parametrize("size", [2, 30])
def test_a_corrected_search_costs_the_same_queries_whatever_the_data(client, seeded, size):
    _grow(size)
    page.results("Nvidai")  # builds and caches the name list
    queries = count_queries(client, "/search/?q=Nvidai")
    # Companies, clouds, chips, data centres as typed (nothing); the corrected companies;
    # deals as payer and as payee (on PostgreSQL: the newest of each company's, then those),
    # by id prefix, undated, and the deals shown; the articles citing them and those shown:
    # never a query per name.
    assert queries == 12


def test_the_name_list_is_read_once_per_data_generation(seeded, django_assert_num_queries):
    page.results("Nvidai")
    with django_assert_num_queries(0):
        page.spellings()
    Company.objects.filter(slug="nvidia").get().save()  # any edit moves the generation on
    # Rebuilt (inline in the tests; a server serves the previous list meanwhile): four
    # queries (aliases, clouds, chips, data centres), then cached again.
    with django_assert_num_queries(4):
        page.spellings()
    with django_assert_num_queries(0):
        page.spellings()


def test_a_new_company_can_be_found_misspelt_after_the_edit(seeded):
    assert page.results("Zenzem").companies == []
    CompanyFactory(slug="zenzen", name="Zenzen", name_ar="زنزن")
    assert company_slugs(page.results("Zenzem")) == ["zenzen"]


@pytest.mark.parametrize("size", [2, 30])
def test_suggestions_cost_the_same_queries_whatever_the_data(client, seeded, size):
    _grow(size)
    # Companies, clouds, chips, data centres; deals as payer and as payee (on PostgreSQL: the
    # newest of each company's, then those), by id prefix, undated, and the deals shown; the
    # articles citing them and those containing the word (none, so none are read).
    assert count_queries(client, "/search/?suggest=1&q=grown", HTTP_HX_REQUEST="true") == 11
