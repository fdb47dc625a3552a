"""The company directory and company pages, as a reader sees them."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache

from companies.models import Company
from deals.analytics import valuation_frame
from deals.charts import valuation_history
from deals.models import Article, DealCitation, DealType, Qualifier, Valuation, ValuationCitation
from tests.conftest import count_queries
from tests.factories import (
    ArticleFactory,
    ChipPlatformFactory,
    CloudPlatformFactory,
    CompanyFactory,
    DealFactory,
)

B = Decimal(10) ** 9


@pytest.fixture(autouse=True)
def fresh_cache():
    """The directory caches its totals; each test starts from an empty cache."""
    cache.clear()


@pytest.fixture
def lab(db):
    return CompanyFactory(slug="lab", name="Lab One", name_ar="مختبر واحد", kind="ai_lab")


def add_deals(company, count, start=0, counterparties=None):
    """`count` deals touching `company` in every role, each cited, some on chips and clouds.

    Each deal has its own counterparty unless `counterparties` caps how many there are.
    """
    cloud = CloudPlatformFactory(slug="shared-cloud", name="Shared Cloud")
    chip = ChipPlatformFactory(slug="shared-chip", name="Shared Chip")
    article = Article.objects.filter(slug="shared-article").first() or ArticleFactory(
        slug="shared-article"
    )
    kinds = [
        (DealType.INVESTMENT, "payee"),
        (DealType.INVESTMENT, "payer"),
        (DealType.COMPUTE_COMMITMENT, "payer"),
        (DealType.COMPUTE_COMMITMENT, "payee"),
        (DealType.CHIP_SUPPLY, "payer"),
    ]
    for number in range(start, start + count):
        deal_type, side = kinds[number % len(kinds)]
        other_number = number % counterparties if counterparties else number
        other = CompanyFactory(slug=f"other-{other_number}", name=f"Other {other_number}")
        payer, payee = (company, other) if side == "payer" else (other, company)
        deal = DealFactory(
            slug=f"bulk-{number}",
            deal_type=deal_type,
            payer=payer,
            payee=payee,
            cloud=cloud if deal_type == DealType.COMPUTE_COMMITMENT else None,
            amount_usd=Decimal(number + 1) * B,
            announced_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=number),
        )
        deal.chip_platforms.add(chip)
        DealCitation.objects.create(deal=deal, article=article, quote="Alpha invested $1 billion")


# The directory


def test_directory_lists_companies_with_the_other_script_and_totals(client, lab):
    investor = CompanyFactory(slug="fund", name="Big Fund", name_ar="صندوق كبير", kind="investor")
    DealFactory(payer=investor, payee=lab, amount_usd=8 * B)
    DealFactory(payer=investor, payee=lab, amount_usd=2 * B)
    page = client.get("/companies/").content.decode()
    assert "Lab One" in page and "مختبر واحد" in page
    assert "Big Fund" in page and "صندوق كبير" in page
    fund_row = page[page.index("Big Fund") : page.index("</tr>", page.index("Big Fund"))]
    assert "$10B" in fund_row  # paid out: 8 + 2, added in SQL


def test_directory_filters_by_kind_and_sorts_by_money(client, lab):
    rich = CompanyFactory(slug="rich", name="Rich Fund", kind="investor")
    poor = CompanyFactory(slug="poor", name="Poor Fund", kind="investor")
    DealFactory(payer=rich, payee=lab, amount_usd=50 * B)
    DealFactory(payer=poor, payee=lab, amount_usd=1 * B)
    page = client.get("/companies/?kind=investor&sort=paid").content.decode()
    assert "Lab One" not in page
    assert page.index("Rich Fund") < page.index("Poor Fund")
    page = client.get("/companies/?kind=investor&sort=name").content.decode()
    assert page.index("Poor Fund") < page.index("Rich Fund")


def test_arabic_directory_leads_with_arabic_names(client, lab):
    page = client.get("/ar/companies/").content.decode()
    assert page.index("مختبر واحد") < page.index("Lab One")


@pytest.mark.parametrize(
    "query",
    ["?kind=nonsense", "?sort=%27;drop", "?page=abc", "?page=999999", "?page=-1", "?kind=&sort="],
)
def test_bad_directory_parameters_never_break_the_page(client, lab, query):
    assert client.get(f"/companies/{query}").status_code == 200


def test_directory_costs_the_same_queries_for_5_and_60_deals(client, lab):
    add_deals(lab, 5)
    with_five = count_queries(client, "/companies/")
    add_deals(lab, 55, start=5)
    assert count_queries(client, "/companies/") == with_five


# One company


def test_company_page_shows_names_aliases_and_every_kind_of_deal(client, lab):
    add_deals(lab, 10)
    lab.aliases.create(name="LabOne Inc.")
    page = client.get("/companies/lab/").content.decode()
    assert "Lab One" in page and "مختبر واحد" in page and "LabOne Inc." in page
    for title in ["Investments made", "Investments received", "Compute bought", "Compute sold"]:
        assert title in page
    assert "Shared Chip" in page  # a chip it uses, through its deals
    assert "/deals/bulk-0/" in page
    citation = DealCitation.objects.filter(deal__slug="bulk-0").get()
    assert f"/articles/shared-article/#quote-{citation.pk}" in page
    assert "/graph/?company=lab" in page


def test_hub_tables_show_the_latest_50_with_a_link_to_the_rest(client, lab):
    for number in range(53):
        DealFactory(
            slug=f"hub-{number}",
            payer=CompanyFactory(slug=f"investor-{number}"),
            payee=lab,
            announced_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=number),
        )
    page = client.get("/companies/lab/").content.decode()
    # The tables, not the flow charts above them (whose marks link every deal they draw).
    tables = page[page.index('class="deal-section"') :]
    assert "/deals/hub-52/" in tables  # the newest
    assert "/deals/hub-2/" not in tables  # the three oldest are on the timeline
    assert "/deals/?company=lab&amp;role=investee" in page
    assert "of 53" in page


def test_valuations_appear_as_a_table_and_a_chart(client, lab):
    article = ArticleFactory(slug="val-article", body="Lab One is now worth $183 billion.")
    valuation = Valuation.objects.create(
        company=lab, amount_usd=183 * B, as_of=datetime.date(2025, 9, 2)
    )
    Valuation.objects.create(
        company=lab, amount_usd=Decimal("61.5") * B, as_of=datetime.date(2025, 3, 1)
    )
    citation = ValuationCitation.objects.create(
        valuation=valuation, article=article, quote="worth $183 billion"
    )
    page = client.get("/companies/lab/").content.decode()
    assert "$183B" in page and "$61.5B" in page
    assert 'id="valuation-history-figure"' in page
    assert f"/articles/val-article/#quote-valuation-{citation.pk}" in page
    assert "plotly-dealwatch.min.js" in page


def test_valuation_chart_is_a_function_of_the_frame(lab):
    Valuation.objects.create(company=lab, amount_usd=10 * B, as_of=datetime.date(2024, 1, 1))
    Valuation.objects.create(
        company=lab,
        amount_usd=20 * B,
        amount_qualifier=Qualifier.ABOUT,
        as_of=datetime.date(2025, 1, 1),
        is_projection=True,
    )
    figure = valuation_history(valuation_frame(lab))
    reported, projected = figure.data
    assert list(reported.y) == [10.0]
    assert list(projected.y) == [20.0]
    assert projected.text == ("about $20B",)


def test_company_without_deals_or_valuations_says_so(client, lab):
    page = client.get("/companies/lab/").content.decode()
    assert "No deal involving this company yet." in page
    assert "No valuation recorded." in page
    assert "valuation-history-figure" not in page


def test_parent_subsidiaries_clouds_and_chips_made(client, db):
    parent = CompanyFactory(slug="parent", name="Parent Co", kind="investor")
    child = CompanyFactory(slug="child", name="Child Cloud", kind="cloud_provider", parent=parent)
    CloudPlatformFactory(slug="cc", name="Child Cloud Platform", operator=child)
    ChipPlatformFactory(slug="cchip", name="Child Chip", vendor=child)
    page = client.get("/companies/child/").content.decode()
    assert "Parent Co" in page and "Child Cloud Platform" in page and "Child Chip" in page
    assert "/companies/child/" in client.get("/companies/parent/").content.decode()


def test_a_new_deal_shows_in_the_directory_and_page_at_once(client, lab):
    investor = CompanyFactory(slug="fund", name="Big Fund", kind="investor")
    DealFactory(payer=investor, payee=lab, amount_usd=2 * B)
    assert "$2B" in client.get("/companies/?kind=investor").content.decode()
    DealFactory(slug="fresh", payer=investor, payee=lab, amount_usd=3 * B)
    assert "$5B" in client.get("/companies/?kind=investor").content.decode()
    page = client.get("/companies/fund/").content.decode()
    assert "/deals/fresh/" in page and "$5B" in page


def test_sources_list_the_articles_behind_its_deals_with_quote_counts(client, lab):
    article = ArticleFactory(slug="src", title="The source piece")
    deal = DealFactory(payee=lab)
    DealCitation.objects.create(deal=deal, article=article, quote="Alpha invested $1 billion")
    DealCitation.objects.create(deal=deal, article=article, quote="Beta will buy compute")
    page = client.get("/companies/lab/").content.decode()
    sources = page[page.index('id="sources"') :]
    assert "The source piece" in sources and "2 quotes" in sources


def test_unknown_company_is_404(client, db):
    assert client.get("/companies/no-such-company/").status_code == 404
    assert client.get("/ar/companies/no-such-company/").status_code == 404


def test_company_page_costs_the_same_queries_for_5_and_60_deals(client, lab):
    add_deals(lab, 5, counterparties=5)
    Valuation.objects.create(company=lab, amount_usd=10 * B, as_of=datetime.date(2024, 1, 1))
    with_five = count_queries(client, "/companies/lab/")
    add_deals(lab, 55, start=5, counterparties=5)
    Valuation.objects.create(company=lab, amount_usd=20 * B, as_of=datetime.date(2025, 1, 1))
    assert count_queries(client, "/companies/lab/") == with_five
    assert 'id="company-graph-figure"' in client.last_page  # the neighbourhood is drawn


def test_a_hub_page_costs_the_same_queries_for_45_and_90_counterparties(client, lab):
    add_deals(lab, 45)
    with_45 = count_queries(client, "/companies/lab/")
    add_deals(lab, 45, start=45)
    assert count_queries(client, "/companies/lab/") == with_45
    # Too many neighbours to draw legibly: the page links to the graph instead.
    assert 'id="company-graph-figure"' not in client.last_page
    assert "/graph/?company=lab" in client.last_page


def test_a_cached_company_page_loads_no_deal_rows_and_shows_an_edit_at_once(client, lab):
    add_deals(lab, 10, counterparties=3)
    cold = count_queries(client, "/companies/lab/")
    warm = count_queries(client, "/companies/lab/")
    # Not read again: the tables' deals (2 queries for each of the 5 roles, then the deals,
    # chips, citations and articles), besides the counts and counterparties cached before.
    assert warm <= cold - 14
    deal = lab.deals_paid.filter(deal_type=DealType.INVESTMENT).first()
    deal.amount_usd = 77 * B
    deal.save()
    made = client.get("/companies/lab/").content.decode()
    made = made[made.index('id="deals-investor"') : made.index('id="platforms"')]
    assert "$77B" in made


@pytest.mark.usefixtures("seeded")
def test_the_cached_deal_tables_follow_the_language(client):
    english = client.get("/companies/anthropic/").content.decode()
    arabic = client.get("/ar/companies/anthropic/").content.decode()
    assert "Investments received" in english
    assert "Investments received" not in arabic
    assert 'href="/ar/deals/' in arabic


# The seed: what a reader expects of the real data


@pytest.mark.usefixtures("seeded")
def test_anthropic_page_lists_its_investors_with_amounts_in_words(client):
    page = client.get("/companies/anthropic/").content.decode()
    received = page[
        page.index('id="deals-investee"') : page.index(
            "</section>", page.index('id="deals-investee"')
        )
    ]
    for investor in ["Amazon", "Google", "Nvidia", "Microsoft"]:
        assert investor in received
    assert "up to $10B" in received  # Nvidia
    assert "up to $5B" in received  # Microsoft


@pytest.mark.usefixtures("seeded")
def test_amazon_page_shows_its_investment_in_anthropic(client):
    page = client.get("/companies/amazon/").content.decode()
    made = page[
        page.index('id="deals-investor"') : page.index(
            "</section>", page.index('id="deals-investor"')
        )
    ]
    assert "Anthropic" in made
    assert "$8B" in made


@pytest.mark.usefixtures("seeded")
def test_every_seeded_company_page_renders_in_both_languages(client):
    for company in Company.objects.all():
        assert client.get(f"/companies/{company.slug}/").status_code == 200
        assert client.get(f"/ar/companies/{company.slug}/").status_code == 200
    assert client.get("/companies/").status_code == 200


def test_an_edited_amount_shows_at_once_in_the_company_totals(seeded):
    from deals.models import Deal
    from deals.pages.companies import company_totals

    google = Company.objects.get(slug="google")
    before = company_totals()[google.pk].paid.certain
    deal = Deal.objects.get(payer=google, payee__slug="anthropic", deal_type="investment")
    deal.amount_usd += Decimal(10**9)
    deal.save()
    assert company_totals()[google.pk].paid.certain == before + Decimal(10**9)
