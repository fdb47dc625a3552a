
import pytest

from deals import analytics
from deals.models import Deal, DealStatus, DealType, Qualifier

from .factories import ChipPlatformFactory, DealFactory
from .money_world import B, build_world

pytestmark = pytest.mark.django_db


def test_headline_keeps_qualifiers_and_counts_what_it_leaves_out():
    world = build_world()
    DealFactory(deal_type=DealType.INVESTMENT, amount_usd=None,
                amount_qualifier=Qualifier.UNDISCLOSED)  # fmt: skip
    DealFactory(deal_type=DealType.INVESTMENT, amount_usd=7 * B, status=DealStatus.CANCELLED)
    headline = analytics.headline_figures(Deal.objects.all())
    # up to $5B + up to $10B announced, about $10B in talks: nothing certain is added to a
    # ceiling; the undisclosed is counted, the cancelled left out.
    invested = headline.invested.money
    assert invested.certain == 10 * B
    assert invested.possible == 25 * B
    assert invested.stated_count == 3
    assert invested.undisclosed_count == 1
    assert invested.words("en") == (
        "up to $15B promised, about $10B reported, and 1 undisclosed (promised)"
    )
    assert headline.compute.money.words("en") == "$68B firm"
    assert headline.power.words("en") == "up to 1 GW firm, and 1 undisclosed (firm)"
    assert headline.deals == len(world["deals"]) + 2
    assert headline.cancelled == 1


def test_headline_of_no_deals_is_empty():
    headline = analytics.headline_figures(Deal.objects.none())
    assert headline.invested.money.is_empty
    assert headline.invested.money.words("en") == "none"
    assert headline.deals == 0


def test_money_by_cloud_and_by_chip_vendor_count_each_deal_once():
    build_world()
    by_cloud = analytics.money_by_cloud(Deal.objects.all())
    assert list(by_cloud["slug"]) == ["aws-cloud", "azure"]
    assert list(by_cloud["money"]) == [38e9, 30e9]
    assert list(by_cloud["gw"]) == [0.0, 1.0]

    by_chip = analytics.money_by_chip_vendor(Deal.objects.all())
    # Grace Blackwell and Vera Rubin are both Nvidia: $30B once, not $60B.
    assert by_chip.to_dict("records") == [
        {"slug": "nvidia", "name": "Nvidia", "money": 30e9, "gw": 1.0, "deals": 1,
         "undisclosed": 0}
    ]  # fmt: skip


def test_a_deal_on_two_vendors_chips_counts_under_its_first_vendor_even_filtered_by_the_other():
    first = ChipPlatformFactory(slug="first-chip")
    second = ChipPlatformFactory(slug="second-chip")
    assert first.vendor_id < second.vendor_id
    deal = DealFactory(deal_type=DealType.COMPUTE_COMMITMENT, amount_usd=4 * B)
    deal.chip_platforms.set([second, first])
    DealFactory(deal_type=DealType.CHIP_SUPPLY, amount_usd=B).chip_platforms.set([second])

    everything = analytics.money_by_chip_vendor(Deal.objects.all())
    on_the_second_chip = analytics.money_by_chip_vendor(Deal.objects.runs_on(chip=second))

    assert dict(zip(everything["slug"], everything["money"], strict=True)) == {
        first.vendor.slug: 4e9,
        second.vendor.slug: 1e9,
    }
    # Filtering by a chip chooses deals; it does not move a deal to that chip's vendor.
    assert dict(zip(on_the_second_chip["slug"], on_the_second_chip["deals"], strict=True)) == {
        first.vendor.slug: 1,
        second.vendor.slug: 1,
    }


def test_arabic_readers_get_arabic_names():
    build_world()
    matrix = analytics.lab_cloud_matrix(Deal.objects.all(), language="ar")
    assert set(matrix.index) == {"أنثروبيك", "أوبن إيه آي"}
    assert matrix.loc["أنثروبيك"].sum() == 30e9


def test_graph_frames_keep_the_top_companies_and_fold_the_rest_into_others():
    build_world()
    nodes, edges = analytics.graph_frames(Deal.objects.all(), top_n=3)
    assert len(nodes) == 4
    assert analytics.OTHERS in set(nodes["id"])
    # Every deal still appears: edges to companies outside the top 3 go to "others".
    assert edges["deals"].sum() == 5
    assert edges["amount"].sum() == 93e9


def test_graph_around_a_company_is_its_neighbourhood():
    world = build_world()
    nodes, edges = analytics.graph_frames(
        Deal.objects.all(), company=world["companies"]["openai"], top_n=2
    )
    # One hop from OpenAI is AWS and Amazon; the graph grows past top_n to keep them.
    assert set(nodes["slug"]) == {"openai", "aws", "amazon"}
    assert analytics.OTHERS not in set(edges["source"]) | set(edges["target"])


def test_graph_draws_only_the_largest_flows():
    build_world()
    _nodes, edges = analytics.graph_frames(Deal.objects.all(), max_edges=2)
    assert list(edges["amount"]) == [38e9, 30e9]
