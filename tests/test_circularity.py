"""Circularity per company, on hand-made graphs whose answer is known, and on the seed."""

import re
from decimal import Decimal

import pytest

from deals.analytics.circularity import circularity
from deals.charts.circularity import share_words, span_words
from deals.models import Deal, DealStatus, DealType, Qualifier
from deals.totals import Standing
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
SIGNED = DealStatus.SIGNED


def company(slug, **extra):
    return CompanyFactory(slug=slug, name=slug.title(), **extra)


def invest(payer, payee, amount, qualifier=Qualifier.EXACT, status=SIGNED):
    return DealFactory(
        payer=payer,
        payee=payee,
        deal_type=DealType.INVESTMENT,
        amount_usd=amount,
        amount_qualifier=qualifier,
        status=status,
    )


def buy(payer, payee, amount, qualifier=Qualifier.EXACT, status=SIGNED, **extra):
    return DealFactory(
        payer=payer,
        payee=payee,
        deal_type=DealType.COMPUTE_COMMITMENT,
        amount_usd=amount,
        amount_qualifier=qualifier,
        status=status,
        **extra,
    )


def of(slug: str):
    """The circularity of the company `slug` (None when it sits on no loop)."""
    ranking = circularity(Deal.objects.all())["ranking"]
    return next((item for item in ranking if item.company.slug == slug), None)


def test_a_two_company_loop_returns_its_smaller_leg():
    a, b = company("alpha"), company("beta")
    invest(a, b, 10 * B)
    buy(b, a, 4 * B)
    item = of("alpha")
    assert (item.returned.low, item.returned.high) == (4 * B, 4 * B)
    assert item.levels[0].low == 4 * B  # both legs firm: all of it firm
    assert share_words(item.share) == "40%"
    assert span_words(item.returned) == "$4B"
    assert [step.kind for step in item.loops[0].steps] == ["investment", "compute"]
    # Beta invests nothing: its purchase alone makes no loop of its own.
    assert of("beta") is None


def test_a_three_company_loop_returns_its_smallest_leg():
    a, b, c = company("alpha"), company("beta"), company("gamma")
    invest(a, b, 10 * B)
    invest(b, c, 6 * B)
    buy(c, a, 8 * B)
    item = of("alpha")
    assert item.returned.low == 6 * B
    assert [step.target for step in item.loops[0].steps] == [b.pk, c.pk, a.pk]
    assert share_words(item.share) == "60%"


def test_money_coming_back_to_a_subsidiary_comes_back_to_its_parent():
    parent = company("parent")
    cloud = company("parent-cloud", parent=parent)
    lab = company("lab")
    invest(parent, lab, 10 * B)
    buy(lab, cloud, 7 * B)
    item = of("parent")
    assert item.returned.low == 7 * B
    # The subsidiary has no circularity of its own: its group's is the one.
    data = circularity(Deal.objects.all())
    assert data["roots"][cloud.pk] == parent.pk
    assert of("parent-cloud") is None


def test_an_up_to_leg_makes_an_up_to_return_as_firm_as_its_least_firm_leg():
    a, b = company("alpha"), company("beta")
    invest(a, b, 5 * B, Qualifier.UP_TO, DealStatus.ANNOUNCED)
    buy(b, a, 30 * B)
    item = of("alpha")
    assert (item.returned.low, item.returned.high) == (0, 5 * B)
    assert span_words(item.returned) == "up to $5B"
    assert item.levels[0].is_empty  # nothing comes back through firm deals only
    assert span_words(item.levels[1]) == "up to $5B"  # once promised deals count
    assert share_words(item.share) == "up to 100%"
    assert item.loops[0].standing == Standing.PROMISED


def test_two_loops_sharing_a_leg_never_count_its_money_twice():
    a, b, c = company("alpha"), company("beta"), company("gamma")
    invest(a, b, 10 * B)
    buy(b, a, 6 * B)  # straight back
    invest(b, c, 5 * B)
    buy(c, a, 5 * B)  # round through gamma
    item = of("alpha")
    # The loops alone could bring back 6 and 5, but both leave through the one $10B.
    assert [trip.returned.low for trip in item.loops] == [6 * B, 5 * B]
    assert item.returned.low == 10 * B
    assert share_words(item.share) == "100%"


def test_a_loop_through_an_undisclosed_amount_is_counted_never_added():
    a, b = company("alpha"), company("beta")
    invest(a, b, 10 * B)
    buy(b, a, None, Qualifier.UNDISCLOSED, DealStatus.ANNOUNCED)
    item = of("alpha")
    assert item.returned.is_empty and item.share is None
    assert item.undisclosed == {Standing.PROMISED: 1}
    assert not item.loops[0].is_disclosed


def test_no_loop_no_circularity():
    a, b, c = company("alpha"), company("beta"), company("gamma")
    invest(a, b, 10 * B)
    buy(b, c, 10 * B)  # the money goes elsewhere
    assert circularity(Deal.objects.all())["ranking"] == []


def test_a_cancelled_deal_closes_no_loop():
    a, b = company("alpha"), company("beta")
    invest(a, b, 10 * B)
    buy(b, a, 10 * B, status=DealStatus.CANCELLED)
    assert of("alpha") is None


def test_chips_bought_through_a_cloud_come_back_as_an_undisclosed_share():
    vendor, lab, cloud_company = company("vendor"), company("lab"), company("cloud")
    chip = ChipPlatformFactory(vendor=vendor)
    invest(vendor, lab, 10 * B, Qualifier.UP_TO, DealStatus.ANNOUNCED)
    deal = buy(lab, cloud_company, 30 * B, cloud=CloudPlatformFactory(operator=cloud_company))
    deal.chip_platforms.add(chip)
    item = of("vendor")
    # Which share of the $30B pays for the vendor's chips is not said: counted, not added.
    assert item.returned.is_empty
    assert item.undisclosed == {Standing.PROMISED: 1}
    assert [step.kind for step in item.loops[0].steps] == ["investment", "compute", "runs_on"]


def test_the_ranking_puts_the_most_circular_first():
    a, b, c, d = company("alpha"), company("beta"), company("gamma"), company("delta")
    invest(a, b, 10 * B)
    buy(b, a, 2 * B)  # 20% back
    invest(c, d, 10 * B)
    buy(d, c, 9 * B)  # 90% back
    ranking = circularity(Deal.objects.all())["ranking"]
    assert [item.company.slug for item in ranking] == ["gamma", "alpha"]


def test_queries_do_not_grow_with_the_loops(django_assert_max_num_queries):
    a = company("alpha")
    for n in range(3):
        b = company(f"beta-{n}")
        DealCitationFactory(deal=invest(a, b, 10 * B))
        DealCitationFactory(deal=buy(b, a, 3 * B))
    with django_assert_max_num_queries(8) as few:
        circularity(Deal.objects.all())
    for n in range(3, 30):
        b = company(f"beta-{n}")
        DealCitationFactory(deal=invest(a, b, 10 * B))
        DealCitationFactory(deal=buy(b, a, 3 * B))
    with django_assert_max_num_queries(len(few.captured_queries)):
        circularity(Deal.objects.all())


# -- the seed ---------------------------------------------------------------------------------


def test_on_the_seed_microsoft_s_up_to_5b_comes_back_as_the_30b_azure_commitment(seeded):
    item = of("microsoft")
    assert span_words(item.invested.span()) == "up to $5B"
    assert span_words(item.returned) == "up to $5B"
    assert share_words(item.share) == "up to 100%"
    loop = item.loops[0]
    invest_step, back_step = loop.steps
    assert [deal.slug for deal in invest_step.deals] == ["microsoft-anthropic-investment-5b"]
    assert [deal.slug for deal in back_step.deals] == ["anthropic-azure-compute-30b"]
    azure = back_step.deals[0]
    assert azure.amount_usd == 30 * B and azure.status == DealStatus.SIGNED  # firm
    assert back_step.total.words() == "$30B firm"
    # Both deals are cited.
    assert invest_step.deals[0].citations.all() and azure.citations.all()


def test_microsoft_s_page_shows_the_loop_with_both_deals_and_their_sources(client, seeded):
    for url in ["/companies/microsoft/", "/ar/companies/microsoft/"]:
        html = client.get(url).content.decode()
        section = html[html.index('id="circularity"') :]
        section = section[: section.index("</section>")]
        assert 'id="circularity-figure"' in section
        for slug in ["microsoft-anthropic-investment-5b", "anthropic-azure-compute-30b"]:
            assert f"/deals/{slug}/" in section, (url, slug)
        assert len(re.findall(r'href="[^"]*/articles/[^"#]+#quote-\d+"', section)) >= 2
    english = client.get("/companies/microsoft/").content.decode()
    assert "up to $5B could come back to it as purchases (up to 100%)" in english
    assert "Signed (firm)" in english or "signed (firm)" in english


def test_a_subsidiary_page_shows_its_group(client, seeded):
    html = client.get("/companies/aws/").content.decode()
    assert 'id="circularity"' in html
    assert "Counted for its group" in html and 'href="/companies/amazon/"' in html


def test_the_graph_page_ranks_the_companies_in_both_languages(client, seeded):
    html = client.get("/graph/").content.decode()
    table = html[html.index('class="circularity-table') :]
    rows = re.findall(r'<td><a href="/companies/([a-z0-9-]+)/#circularity"', table)
    assert rows[:2] == ["microsoft", "amazon"]  # up to 100%, then about 56%
    assert "up to 100%" in table
    arabic = client.get("/ar/graph/").content.decode()
    assert 'class="circularity-table' in arabic


def loops_of_alpha(start: int, stop: int) -> None:
    alpha = company("alpha")
    for n in range(start, stop):
        b = company(f"beta-{n}")
        DealCitationFactory(deal=invest(alpha, b, 10 * B))
        DealCitationFactory(deal=buy(b, alpha, 3 * B))


@pytest.mark.parametrize("url", ["/graph/", "/companies/alpha/"])
def test_pages_with_circularity_cost_the_same_queries_for_3_and_18_loops(client, url):
    from django.core.cache import cache

    loops_of_alpha(0, 3)
    cache.clear()
    few = count_queries(client, url), count_queries(client, url)
    assert 'id="circularity"' in client.last_page
    # Up to 18: beyond 40 counterparties the company page stops drawing its neighbourhood.
    loops_of_alpha(3, 18)
    cache.clear()
    assert (count_queries(client, url), count_queries(client, url)) == few
