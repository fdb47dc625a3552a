"""Deal flow over time: the charts' tables add up to the filtered deals, dates keep their
precision, tranches date the money, and the queries do not grow with the data."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from deals.analytics import over_time as analytics
from deals.charts import over_time as charts
from deals.models import Deal, DealStatus, DealTranche, DealType, Qualifier
from deals.pages.filters import deal_filter
from deals.pages.over_time import flow_figures
from deals.totals import MONEY, STANDINGS, Total
from tests.conftest import count_queries
from tests.factories import (
    ChipPlatformFactory,
    CloudPlatformFactory,
    CompanyFactory,
    DealCitationFactory,
    DealFactory,
)

pytestmark = pytest.mark.django_db
B = Decimal(10) ** 9
LABELS = {
    DealType.INVESTMENT: "Investments",
    DealType.COMPUTE_COMMITMENT: "Compute commitments",
    DealType.CHIP_SUPPLY: "Chip supply",
}


def pieces(deal: Deal) -> list[tuple]:
    """What a deal adds to the money over time: its tranches when it has some, else itself,
    as (amount, qualifier, status, day, precision)."""
    tranches = list(deal.tranches.all())
    if tranches:
        return [
            (t.amount_usd, t.amount_qualifier, deal.status, t.paid_on, t.date_precision)
            for t in tranches
        ]
    return [
        (
            deal.amount_usd,
            deal.amount_qualifier,
            deal.status,
            deal.announced_on,
            deal.date_precision,
        )
    ]


def expected_money(deals, step: str) -> dict[tuple[str, analytics.Slot], Total]:
    """Per type and slot, the honest total of the deals' pieces, added one by one in Python."""
    expected: dict = {}
    for deal in deals.live():
        for amount, qualifier, status, day, precision in pieces(deal):
            key = (deal.deal_type, analytics.slot_of(day, precision, step))
            total = Total.of([(amount, qualifier, status)])
            expected[key] = expected[key] + total if key in expected else total
    return expected


@pytest.fixture
def world(db):
    """Thirty-odd deals of every type, status, qualifier and date precision, some in tranches."""
    cloud = CloudPlatformFactory(slug="cloud-a")
    chip = ChipPlatformFactory(slug="chip-a")
    companies = [CompanyFactory(slug=f"co-{n}") for n in range(4)]
    qualifiers = [Qualifier.EXACT, Qualifier.ABOUT, Qualifier.UP_TO, Qualifier.MORE_THAN]
    statuses = list(DealStatus)
    precisions = ["day", "month", "quarter", "year"]
    for n in range(32):
        undisclosed = n % 7 == 3
        deal = DealFactory(
            payer=companies[n % 4],
            payee=companies[(n + 1 + (n // 4) % 3) % 4],
            deal_type=list(DealType)[n % 3],
            amount_usd=None if undisclosed else (n % 5 + 1) * B,
            amount_qualifier=Qualifier.UNDISCLOSED if undisclosed else qualifiers[n % 4],
            power_gw=Decimal(n % 3) if n % 3 else None,
            power_qualifier=Qualifier.EXACT if n % 3 else Qualifier.UNDISCLOSED,
            status=statuses[n % len(statuses)],
            announced_on=None
            if n % 11 == 5
            else datetime.date(2022 + n % 4, (n * 5) % 12 + 1, 1 + n % 27),
            date_precision=precisions[n % 4],
            cloud=cloud if n % 2 else None,
        )
        if n % 3 == 1:
            deal.chip_platforms.add(chip)
        if n % 9 == 2:
            for part in range(2):
                DealTranche.objects.create(
                    deal=deal,
                    amount_usd=B * (part + 1),
                    amount_qualifier=Qualifier.EXACT,
                    paid_on=datetime.date(2023, 2 + 5 * part, 10),
                    reference_url="https://example.org/tranche",
                )
    return companies


filter_values = st.fixed_dictionaries(
    {},
    optional={
        "company": st.sampled_from(["co-0", "co-1", "co-2", "co-3"]),
        "type": st.sampled_from(list(DealType.values)),
        "status": st.sampled_from(list(DealStatus.values)),
        "cloud": st.just("cloud-a"),
        "chip": st.just("chip-a"),
        "from": st.sampled_from(["2022-06-01", "2023-01-01", "2024-03-15"]),
        "to": st.sampled_from(["2024-06-30", "2025-06-30"]),
        "min_amount": st.sampled_from(["1B", "3B", "500M"]),
    },
)


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(params=filter_values)
def test_the_tables_add_up_to_the_filtered_deals_across_random_filters(world, params):
    query = QueryDict(mutable=True)
    query.update(params)
    filters = deal_filter(query)
    assert filters.form.is_valid(), filters.form.errors
    flow = analytics.flow_over_time(filters.qs)
    expected = expected_money(filters.qs, flow.step)
    drawn = {
        (deal_type, slot): total
        for deal_type, slots in flow.money.items()
        for slot, total in slots.items()
    }
    assert {key: t.as_json() for key, t in drawn.items()} == {
        key: t.as_json() for key, t in expected.items()
    }
    # Each type's whole total is the Total of its deals' pieces, never a bare sum.
    for deal_type in DealType.values:
        whole = Total.of(
            (amount, qualifier, status)
            for deal in filters.qs.live().filter(deal_type=deal_type)
            for amount, qualifier, status, _day, _precision in pieces(deal)
        )
        assert flow.type_total(deal_type).as_json() == whole.as_json()
    # The table says the same, slot by slot, standing by standing.
    table = charts.flow_table(flow, MONEY, LABELS)
    rows = {(row[1], row[0]): row for row in table["rows"]}
    assert len(rows) == len(expected)
    for (deal_type, slot), total in expected.items():
        row = rows[(LABELS[deal_type], charts.slot_words(slot, flow.step))]
        assert list(row[2:5]) == [total.span_words(s) or "—" for s in STANDINGS]


def test_a_quarter_deal_covers_its_quarter_and_is_never_drawn_on_a_day(db):
    DealFactory(slug="daily", announced_on=datetime.date(2024, 1, 10), amount_usd=2 * B)
    DealFactory(slug="late", announced_on=datetime.date(2024, 11, 20), amount_usd=1 * B)
    DealFactory(
        slug="quarterly",
        announced_on=datetime.date(2024, 4, 1),
        date_precision="quarter",
        amount_usd=5 * B,
        status=DealStatus.SIGNED,
    )
    figures = flow_figures(Deal.objects.all())
    flow = analytics.flow_over_time(Deal.objects.all())
    assert flow.step == analytics.MONTH  # a year of deals is drawn month by month
    quarter = analytics.Slot(datetime.date(2024, 4, 1), datetime.date(2024, 7, 1))
    assert flow.money[DealType.INVESTMENT][quarter].certain == 5 * B
    # In the bars: one block as wide as the quarter, centred in it, not on 1 April.
    bars = [t for t in figures["money"]["figure"]["data"] if t["type"] == "bar"]
    firm = next(t for t in bars if "Firm" in t["name"] and "up to" not in t["name"])
    index = firm["y"].index(5.0)
    assert firm["x"][index] == "2024-05-16"
    assert firm["width"][index] > 60 * 86_400_000  # most of three months, not one
    assert all(x != "2024-04-01" for t in bars for x in t["x"])
    # In the table: the quarter, said to be all that is known; no April row.
    periods = [row[0] for row in figures["money"]["table"]["rows"]]
    assert "Q2 2024 (date known only to this period)" in periods
    assert not any(period.startswith("Apr") for period in periods)
    # As a mark: at the middle of the quarter, with a bar across the quarter.
    marks = figures["marks"]["figure"]["data"]
    span = next(t for t in marks if t["mode"] == "lines")
    assert span["x"][:2] == ["2024-04-01", "2024-07-01"]
    firm_marks = next(t for t in marks if t.get("name", "").startswith("Firm"))
    assert firm_marks["x"] == ["2024-05-16"]


def test_a_deal_in_tranches_is_drawn_at_its_tranches(db):
    deal = DealFactory(
        slug="in-parts",
        announced_on=datetime.date(2023, 9, 25),
        amount_usd=8 * B,
        status=DealStatus.COMPLETED,
    )
    for day, amount in [((2023, 9, 25), "1.25"), ((2024, 3, 27), "2.75"), ((2024, 11, 22), "4")]:
        DealTranche.objects.create(
            deal=deal,
            amount_usd=Decimal(amount) * B,
            paid_on=datetime.date(*day),
            reference_url="https://example.org/tranche",
        )
    flow = analytics.flow_over_time(Deal.objects.all())
    by_slot = flow.money[DealType.INVESTMENT]
    assert [slot.start for slot in by_slot] == [
        datetime.date(2023, 9, 1),
        datetime.date(2024, 3, 1),
        datetime.date(2024, 11, 1),
    ]
    assert [total.certain for total in by_slot.values()] == [
        Decimal("1.25") * B,
        Decimal("2.75") * B,
        4 * B,
    ]
    # The running total climbs at each tranche and ends at the deal's $8B.
    table = charts.flow_table(flow, MONEY, LABELS)
    assert [row[-1] for row in table["rows"]] == ["$1.25B firm", "$4B firm", "$8B firm"]


def test_undisclosed_amounts_are_counted_and_undated_deals_are_in_the_table(db):
    DealFactory(amount_usd=None, amount_qualifier=Qualifier.UNDISCLOSED)
    DealFactory(announced_on=None, amount_usd=3 * B)
    figures = flow_figures(Deal.objects.all())
    rows = figures["money"]["table"]["rows"]
    assert rows[0][5] == "1 undisclosed (promised)"
    assert rows[-1][0] == "No date" and rows[-1][3] == "$3B"
    circles = [t for t in figures["money"]["figure"]["data"] if t.get("mode") == "markers+text"]
    assert circles and circles[0]["text"] == ["1"]
    assert "1 deal has no date" in figures["undated_words"]
    # The undisclosed deal is a hollow mark of its own, not a mark of size zero.
    hollow = [t for t in figures["marks"]["figure"]["data"] if "undisclosed" in t.get("name", "")]
    assert hollow and hollow[0]["marker"]["symbol"] == "diamond-open"
    assert hollow[0]["marker"]["size"] == [14]


def test_an_up_to_amount_is_hatched_apart_from_certain_money(db):
    DealFactory(amount_usd=5 * B, amount_qualifier=Qualifier.UP_TO)
    DealFactory(amount_usd=2 * B, status=DealStatus.ANNOUNCED)
    figures = flow_figures(Deal.objects.all())
    bars = {t["name"]: t for t in figures["money"]["figure"]["data"] if t["type"] == "bar"}
    assert bars["Promised (announced)"]["y"] == [2.0]
    hatched = bars["Promised (announced): “up to”"]
    assert hatched["y"] == [5.0] and hatched["marker"]["pattern"]["shape"] == "/"
    assert figures["money"]["table"]["rows"][0][3] == "$2B–$7B"


def many(count: int, start: int = 0) -> None:
    investor = CompanyFactory(slug="investor")
    investees = [CompanyFactory(slug=f"investee-{n}") for n in range(3)]
    for n in range(start, start + count):
        deal = DealFactory(
            payer=investor,
            payee=investees[n % 3],
            announced_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=9 * n),
            amount_usd=(n + 1) * B,
            date_precision=["day", "quarter"][n % 2],
        )
        DealCitationFactory(deal=deal)
        if n % 5 == 0:
            DealTranche.objects.create(
                deal=deal,
                amount_usd=B,
                paid_on=deal.announced_on,
                reference_url="https://example.org/t",
            )


def queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def test_the_figures_cost_the_same_queries_for_5_and_60_deals(db):
    many(5)
    few = queries(lambda: flow_figures(Deal.objects.all()))
    many(55, start=5)
    # Three GROUP BYs (money, tranches, power), the deals drawn as marks and their sources.
    assert queries(lambda: flow_figures(Deal.objects.all())) == few == 5


@pytest.mark.parametrize(
    "url", ["/", "/deals/", "/deals/?company=investor&type=investment", "/companies/investor/"]
)
def test_pages_with_the_flow_cost_the_same_queries_for_55_and_110_deals(client, url):
    # Both past the timeline's first page (which counts its deals only when there are more).
    many(55)
    few = count_queries(client, url), count_queries(client, url)
    assert 'id="flow-money-figure"' in client.last_page
    many(55, start=55)
    assert (count_queries(client, url), count_queries(client, url)) == few


def test_the_timeline_chart_follows_its_filters_and_htmx_swaps(client):
    many(4)
    DealFactory(slug="other-type", deal_type=DealType.COMPUTE_COMMITMENT, amount_usd=9 * B)
    page = client.get("/deals/", {"type": "compute_commitment"}).content.decode()
    assert page.index('id="timeline-results"') < page.index('id="flow-money"')
    assert page.index('id="flow-money"') < page.index('id="deal-list"')
    assert "Compute commitments" in page and "Investments</td>" not in page
    swapped = client.get(
        "/deals/", {"type": "investment"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="timeline-results"
    ).content.decode()
    assert 'id="flow-money-figure"' in swapped
    assert "Compute commitments</td>" not in swapped
    # "Older deals" swaps in only the next page: no chart in it.
    older = client.get(
        "/deals/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="older-deals"
    ).content.decode()
    assert "flow-money" not in older


def test_a_refused_filter_shows_no_chart_and_no_error(client):
    many(3)
    response = client.get("/deals/", {"company": "no-such-company"})
    assert response.status_code == 200
    assert "flow-money" not in response.content.decode()
    response = client.get("/deals/", {"from": "2025-99-99", "min_amount": "lots"})
    assert response.status_code == 200


def test_the_overview_and_a_company_page_show_the_flow_in_both_languages(client, seeded):
    for url in ["/", "/ar/", "/companies/anthropic/", "/ar/companies/anthropic/"]:
        html = client.get(url).content.decode()
        assert 'id="flow-money-figure"' in html, url
        assert 'id="flow-deals-figure"' in html, url
