"""Totals a journalist can quote: the company pages, the overview and /export/summary.json add
up money and power with their qualifiers, statuses and unknowns (issue 11, part A)."""

import json
import re
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from deals.models import DataCenterProject, Deal, DealStatus, DealType, Qualifier
from deals.totals import POWER, SITE_STANDING, Total
from tests.conftest import count_queries
from tests.factories import CompanyFactory, DealFactory

B = Decimal(10) ** 9
SCHEMA = json.loads((Path(settings.BASE_DIR) / "docs" / "summary.schema.json").read_text())


def text(html: str) -> str:
    """The page's words, tags removed, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def section(page: str, start: str, end: str) -> str:
    begin = page.index(start)
    return page[begin : page.index(end, begin)]


# -- the arithmetic, from SQL rows ------------------------------------------------------------

figures = st.lists(
    st.tuples(
        st.one_of(st.none(), st.integers(min_value=0, max_value=10**6).map(Decimal)),
        st.sampled_from([Qualifier.EXACT, Qualifier.ABOUT, Qualifier.UP_TO, Qualifier.MORE_THAN]),
        st.sampled_from(list(DealStatus.values)),
    ),
    max_size=25,
)


# Generating deals is quick, but a machine busy with other tests can make it look slow.
RELAXED = hypothesis_settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)


@RELAXED
@given(figures)
def test_a_total_from_grouped_rows_is_the_total_of_the_deals(deals):
    """What SQL's GROUP BY (qualifier, status) returns adds up to the same total as the deals
    one by one, so no page has to load its deals to add them."""
    groups: dict = {}
    for amount, qualifier, status in deals:
        key = (Qualifier.UNDISCLOSED if amount is None else qualifier, status)
        summed, count = groups.get(key, (None, 0))
        if amount is not None:
            summed = (summed or 0) + amount
        groups[key] = (summed, count + 1)
    rows = [(q, s, summed, count) for (q, s), (summed, count) in groups.items()]
    assert Total.from_rows(rows).as_json() == Total.of(deals).as_json()
    assert Total.from_rows(rows).words("ar") == Total.of(deals).words("ar")


def test_arabic_undisclosed_counts_agree_in_number_and_say_what_is_unknown():
    two = Total.of([(None, Qualifier.UNDISCLOSED, "announced")] * 2)
    assert two.words("ar") == "صفقتان غير معلنتي القيمة (موعودة)"
    three = Total.of([(None, Qualifier.UNDISCLOSED, "announced")] * 3, unit=POWER)
    assert three.words("ar") == "3 صفقات غير معلنة الطاقة (موعودة)"
    assert three.words("en") == "3 undisclosed (promised)"


def test_a_data_centre_weighs_like_a_deal_and_a_cancelled_one_is_in_no_total():
    sites = Total.from_rows(
        [
            (Qualifier.EXACT, "operational", Decimal("2.2"), 1),
            (Qualifier.ABOUT, "planned", Decimal("1.1"), 1),
            (Qualifier.EXACT, "cancelled", Decimal(5), 1),
        ],
        POWER,
        standings=SITE_STANDING,
    )
    assert sites.words("en") == "2.2 GW firm, and about 1.1 GW promised"
    assert sites.span_words(language="en") == "about 3.3 GW"


# -- the company pages, on the seed ------------------------------------------------------------


@pytest.mark.usefixtures("seeded")
def test_the_directory_says_what_anthropic_received_with_its_qualifiers(client):
    page = client.get("/companies/").content.decode()
    row = text(section(page, 'href="/companies/anthropic/"', "</tr>"))
    assert "at least $11B firm" in row  # Amazon $8B completed, Google more than $3B
    assert "up to $15B promised" in row  # Nvidia up to $10B, Microsoft up to $5B, announced
    assert "1 undisclosed (reported)" in row  # Amazon's rumoured new investment
    assert "$26B" not in page


@pytest.mark.usefixtures("seeded")
def test_no_page_says_anthropic_received_26_billion(client):
    for path in ("/companies/", "/companies/anthropic/", "/", "/export/summary.json"):
        assert "$26B" not in client.get(path).content.decode(), path
    for path in ("/ar/companies/", "/ar/companies/anthropic/", "/ar/"):
        assert "26 مليار" not in client.get(path).content.decode(), path


@pytest.mark.usefixtures("seeded")
def test_anthropic_page_says_how_much_of_its_money_is_promises(client):
    page = client.get("/companies/anthropic/").content.decode()
    promises = text(section(page, 'id="promises"', "</section>"))
    assert "How much of it is promises?" in promises
    received = promises[promises.index("Received") : promises.index("Paid")]
    assert "at least $11B firm" in received
    assert "up to $15B promised" in received
    assert "1 undisclosed (reported)" in received
    assert "$30B firm" in promises  # paid: Azure
    assert "2 undisclosed (promised)" in promises  # paid: Project Rainier, Trillium
    # The chart, its table one click away, and a description that names what is undisclosed.
    assert 'id="company-standing-figure"' in page
    chart = section(page, 'id="company-standing"', "</figure>")
    assert "undisclosed" in re.search(r'class="chart-description[^"]*"[^>]*>([^<]*)<', chart)[1]
    assert "Show the numbers" in chart


@pytest.mark.usefixtures("seeded")
def test_counterparties_show_each_amount_with_its_qualifier_and_status(client):
    page = client.get("/companies/anthropic/").content.decode()
    comes_from = text(section(page, "Money comes from", "</table>"))
    assert "Nvidia 1 up to $10B promised" in comes_from
    assert "Google 1 more than $3B firm" in comes_from
    assert "Amazon 2 $8B firm 1 undisclosed (reported)" in comes_from
    assert not re.search(r"Nvidia 1 \$10B", comes_from)
    goes_to = text(section(page, "Money goes to", "</table>"))
    assert "Microsoft 1 $30B firm" in goes_to
    assert "Amazon Web Services 1 1 undisclosed (promised)" in goes_to


@pytest.mark.usefixtures("seeded")
def test_arabic_company_page_words_its_totals(client):
    page = client.get("/ar/companies/anthropic/").content.decode()
    promises = text(section(page, 'id="promises"', "</section>"))
    assert "ما لا يقل عن 11 مليار دولار في صفقات مؤكدة" in promises
    assert "ما يصل إلى 15 مليار دولار في صفقات موعودة" in promises
    assert "صفقة واحدة غير معلنة القيمة (متداولة)" in promises


def test_sorting_by_money_received_sorts_by_what_is_certain(client, db):
    lab = CompanyFactory(slug="promised-lab", name="Promised Lab")
    paid = CompanyFactory(slug="paid-lab", name="Paid Lab")
    DealFactory(payee=lab, amount_usd=50 * B, amount_qualifier=Qualifier.UP_TO)
    DealFactory(payee=paid, amount_usd=5 * B, status=DealStatus.COMPLETED)
    page = client.get("/companies/?sort=received").content.decode()
    assert page.index("Paid Lab") < page.index("Promised Lab")
    assert "Most received (certain amount)" in page
    assert "sorts by the amount that is certain" in page


def test_a_counterparty_whose_money_is_certain_comes_first(client, db):
    lab = CompanyFactory(slug="lab", name="Lab")
    big_promise = CompanyFactory(slug="promiser", name="Big Promiser")
    small_payer = CompanyFactory(slug="payer", name="Small Payer")
    DealFactory(payer=big_promise, payee=lab, amount_usd=90 * B, amount_qualifier="up_to")
    DealFactory(payer=small_payer, payee=lab, amount_usd=1 * B, status=DealStatus.SIGNED)
    page = text(client.get("/companies/lab/").content.decode())
    comes_from = page[page.index("Money comes from") :]
    assert comes_from.index("Small Payer") < comes_from.index("Big Promiser")
    assert "Big Promiser 1 up to $90B promised" in comes_from


def test_company_page_queries_stay_constant_with_counterparties_of_every_qualifier(client, db):
    lab = CompanyFactory(slug="lab", name="Lab")
    investors = [CompanyFactory(slug=f"investor-{number}") for number in range(5)]

    def add(start, count):
        qualifiers = [Qualifier.EXACT, Qualifier.UP_TO, Qualifier.MORE_THAN, Qualifier.ABOUT]
        for number in range(start, start + count):
            qualifier = qualifiers[number % 4]
            DealFactory(
                # Five counterparties, so the neighbourhood is drawn at both sizes.
                payer=investors[number % 5],
                payee=lab,
                amount_usd=Decimal(number + 1) * B,
                amount_qualifier=qualifier,
                status=list(DealStatus.values)[number % 6],
            )

    add(0, 5)
    few = count_queries(client, "/companies/lab/")
    add(5, 60)
    assert count_queries(client, "/companies/lab/") == few


# -- the overview ------------------------------------------------------------------------------


@pytest.mark.usefixtures("seeded")
def test_overview_headline_keeps_up_to_apart_from_money_paid(client):
    page = client.get("/").content.decode()
    cards = text(section(page, 'class="headline-figures"', "</dl>"))
    invested = cards[cards.index("Money invested") : cards.index("Money committed to compute")]
    assert "at least $11B firm" in invested
    assert "up to $15B promised" in invested
    assert "about $10B reported" in invested  # Amazon–OpenAI, in talks
    assert "1 undisclosed (reported)" in invested
    # The old face-value sum (8 + 3 + 10 + 5 + 10) appears nowhere.
    assert "$36B" not in page
    compute = cards[cards.index("Money committed to compute") : cards.index("Computing power")]
    assert "$68B firm" in compute and "3 undisclosed (promised)" in compute


@pytest.mark.usefixtures("seeded")
def test_computing_power_shows_what_data_centres_state_beside_the_commitments(client):
    page = text(client.get("/").content.decode())
    power = page[page.index("Computing power") : page.index("Deals 13")]
    assert "up to 1 GW firm" in power  # Azure: "up to 1 GW"
    # Project Rainier (2.2 GW) and the Texas site (about 1.1 GW), named by commitments that
    # state no power of their own.
    assert "about 3.3 GW more in data-centre projects" in power
    assert "2 projects named by deals" in power


@pytest.mark.usefixtures("seeded")
def test_a_data_centre_whose_power_its_commitment_states_is_not_counted_twice(client):
    rainier = Deal.objects.get(slug="anthropic-aws-compute-project-rainier")
    rainier.power_gw, rainier.power_qualifier = Decimal("2.2"), Qualifier.EXACT
    rainier.save()
    page = text(client.get("/").content.decode())
    power = page[page.index("Computing power") : page.index("Deals 13")]
    # The commitment's 2.2 GW is counted once, under the commitments; only Texas is beside.
    assert "2.2 GW promised" in power
    assert "about 1.1 GW more in data-centre projects" in power
    assert "1 project named by a deal" in power


@pytest.mark.usefixtures("seeded")
def test_overview_says_how_much_of_it_is_promises_with_a_chart_and_its_table(client):
    page = client.get("/").content.decode()
    promises = section(page, 'id="promises-section"', "</section>")
    words = text(promises)
    assert "How much of it is promises?" in words
    assert "Chip supply 2 undisclosed (promised)" in words  # OpenAI–AMD and OpenAI–Nvidia
    figure = json.loads(re.search(r'id="promises-figure"[^>]*>(.*?)</script>', promises, re.S)[1])
    names = {trace.get("name") for trace in figure["data"]}
    assert "Amount undisclosed" in names  # drawn as a mark, not left out
    assert any(trace["marker"].get("pattern", {}).get("shape") == "/" for trace in figure["data"])
    table = text(section(promises, "<table", "</table>"))
    assert "Investments at least $11B up to $15B about $10B 1 undisclosed (reported)" in table
    label = re.search(r'class="chart-description[^>]*>([^<]*)<', promises)[1]
    assert "undisclosed" in label and "Chip supply" in label
    assert 'href="/export/summary.json"' in promises


@pytest.mark.usefixtures("seeded")
def test_arabic_overview_words_its_headline(client):
    page = text(client.get("/ar/").content.decode())
    assert "ما لا يقل عن 11 مليار دولار في صفقات مؤكدة" in page
    assert "صفقتان غير معلنتي القيمة (موعودة)" in page  # the two chip-supply deals


# -- /export/summary.json ----------------------------------------------------------------------


def summary(client, **params) -> dict:
    response = client.get("/export/summary.json", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = response.json()
    jsonschema.validate(document, SCHEMA, cls=jsonschema.Draft202012Validator)
    return document


@pytest.mark.usefixtures("seeded")
def test_summary_of_a_company_is_what_its_page_says(client):
    document = summary(client, company="anthropic")
    assert document["filters"] == {"company": "anthropic"}
    received = document["by_side"]["received"]["money"]
    assert received["certain"] == 11 * 10**9
    assert received["possible"] is None  # Google's "more than $3B" has no ceiling
    assert received["by_standing"]["promised"]["possible"] == 15 * 10**9
    assert received["by_standing"]["promised"]["certain"] == 0
    assert received["undisclosed"] == 1
    assert received["words"]["en"] == (
        "at least $11B firm, up to $15B promised, and 1 undisclosed (reported)"
    )
    paid = document["by_side"]["paid"]["money"]
    assert (paid["certain"], paid["undisclosed"]) == (30 * 10**9, 2)


@pytest.mark.usefixtures("seeded")
def test_summary_of_everything_splits_by_type_and_reports_data_centres(client):
    document = summary(client)
    assert document["filters"] == {} and document["by_side"] is None
    assert document["deals"] == Deal.objects.count()
    chips = document["by_deal_type"]["chip_supply"]
    assert chips["deals"] == 2 and chips["money"]["undisclosed"] == 2
    assert chips["money"]["certain"] == 0
    assert document["power"]["possible"] == 1 and document["power"]["certain"] == 0
    assert document["data_centers"]["projects"] == 2
    assert document["data_centers"]["power"]["certain"] == pytest.approx(3.3)
    # The whole equals the sum of its parts, whichever way it is cut.
    money = document["money"]
    parts = document["by_deal_type"].values()
    assert money["certain"] == sum(part["money"]["certain"] for part in parts)
    assert money["undisclosed"] == sum(part["money"]["undisclosed"] for part in parts)
    by_standing = money["by_standing"].values()
    assert money["certain"] == sum(part["certain"] for part in by_standing)


@pytest.mark.usefixtures("seeded")
def test_summary_follows_the_filters_and_the_sum_over_statuses_is_the_whole(client):
    whole = summary(client, type="investment")["money"]
    statuses = [summary(client, type="investment", status=s)["money"] for s in DealStatus.values]
    assert whole["certain"] == sum(part["certain"] for part in statuses)
    assert whole["stated"] == sum(part["stated"] for part in statuses)
    assert whole["undisclosed"] == sum(part["undisclosed"] for part in statuses)


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize(
    "query", ["company=nobody", "from=yesterday", "min_amount=lots", "role=investee"]
)
def test_summary_with_bad_filters_answers_400_with_the_messages(client, query):
    response = client.get("/export/summary.json?" + query)
    assert response.status_code == 400
    assert response.json()["errors"]


def test_summary_costs_the_same_queries_for_5_and_60_deals(client, db):
    lab = CompanyFactory(slug="lab")
    site = DataCenterProject.objects.create(
        slug="site",
        name="Site",
        operator=lab,
        power_gw=1,
        power_qualifier="exact",
        status="planned",
    )

    def add(count):
        for number in range(count):
            DealFactory(payee=lab, deal_type=DealType.COMPUTE_COMMITMENT, data_center=site,
                        amount_usd=Decimal(number + 1) * B)  # fmt: skip

    add(5)
    url = "/export/summary.json?company=lab"
    few = count_queries(client, url)
    add(55)
    assert count_queries(client, url) == few


def test_a_company_name_is_shown_literally_in_the_promises_chart(client, db):
    name = '<a href="https://example.org">Evil</a>'
    lab = CompanyFactory(slug="evil", name=name)
    DealFactory(payee=lab, amount_usd=2 * B)
    page = client.get("/companies/evil/").content.decode()
    figure = json.loads(re.search(r'id="company-standing-figure"[^>]*>(.*?)</script>', page)[1])
    title = figure["layout"]["title"]["text"]
    assert "&lt;a href" in title and "<a href" not in title
