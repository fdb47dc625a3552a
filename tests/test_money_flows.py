from decimal import Decimal

import networkx as nx
import pytest

from deals.analytics.flows import (
    COMPUTE,
    INVESTMENT,
    RUNS_ON,
    circular_money,
    find_loops,
    flow_edges,
    money_graph,
    parent_map,
)

from .money_world import build_world


def edge(source, target, kind, amount=1):
    return {"source": source, "target": target, "kind": kind, "amount": Decimal(amount), "deals": 1}


def test_find_loops_on_a_hand_built_graph_finds_exactly_the_investment_loops():
    graph = money_graph(
        [
            edge("msft", "anthropic", INVESTMENT, 5),
            edge("anthropic", "msft", COMPUTE, 30),
            edge("nvidia", "anthropic", INVESTMENT, 10),
            edge("msft", "nvidia", RUNS_ON, 30),
            # A loop of purchases alone is trade, not an investment coming back.
            edge("x", "y", COMPUTE),
            edge("y", "x", COMPUTE),
            # A dead end: no way back to the investor.
            edge("fund", "openai", INVESTMENT),
        ]
    )

    loops = find_loops(graph)

    assert loops == [["msft", "anthropic"], ["nvidia", "anthropic", "msft"]]


def test_subsidiaries_fold_into_their_parent_so_spending_with_aws_returns_to_amazon():
    graph = money_graph(
        [edge("amazon", "openai", INVESTMENT), edge("openai", "aws", COMPUTE)],
        roots={"aws": "amazon"},
    )
    assert find_loops(graph) == [["amazon", "openai"]]


def test_length_bound_leaves_out_long_loops():
    chain = [edge("a", "b", INVESTMENT), edge("b", "c", COMPUTE), edge("c", "d", COMPUTE)]
    graph = money_graph([*chain, edge("d", "e", COMPUTE), edge("e", "a", COMPUTE)])
    assert find_loops(graph, length_bound=4) == []
    assert find_loops(graph, length_bound=5) == [["a", "b", "c", "d", "e"]]


def test_the_graph_is_a_networkx_digraph_with_kinds_and_amounts():
    graph = money_graph([edge("a", "b", INVESTMENT, 5), edge("a", "b", INVESTMENT, 7)])
    assert isinstance(graph, nx.DiGraph)
    assert graph.edges["a", "b"]["amounts"] == {INVESTMENT: Decimal(12)}


@pytest.mark.django_db
def test_flows_from_the_database_include_compute_running_on_a_vendors_chips():
    world = build_world()
    flows = flow_edges(world["deals"]["ms-anthropic"].__class__.objects.all())
    ids = {slug: company.pk for slug, company in world["companies"].items()}
    runs_on = [flow for flow in flows if flow["kind"] == RUNS_ON]
    # Two Nvidia platforms on one deal: one flow, counted once. Each flow also carries its
    # honest total (qualifiers and standings) and its statuses, for the words shown.
    assert [
        {key: flow[key] for key in ("source", "target", "kind", "amount", "deals")}
        for flow in runs_on
    ] == [
        {
            "source": ids["microsoft"],
            "target": ids["nvidia"],
            "kind": RUNS_ON,
            "amount": Decimal(30) * 10**9,
            "deals": 1,
        }
    ]
    assert runs_on[0]["total"].words("en") == "$30B firm"
    assert runs_on[0]["statuses"] == {"signed": 1}
    assert parent_map() == {ids["aws"]: ids["amazon"]}


@pytest.mark.django_db
def test_circular_money_finds_the_three_named_loops_with_their_deals_and_sources():
    world = build_world()

    loops = circular_money()

    assert sorted(loop.slugs for loop in loops) == [
        ["amazon", "openai"],
        ["microsoft", "anthropic"],
        ["nvidia", "anthropic", "microsoft"],
    ]
    nvidia_loop = next(loop for loop in loops if loop.slugs[0] == "nvidia")
    assert [leg.kind for leg in nvidia_loop.legs] == [INVESTMENT, COMPUTE, RUNS_ON]
    assert [[deal.slug for deal in leg.deals] for leg in nvidia_loop.legs] == [
        ["nvidia-anthropic"],
        ["anthropic-azure"],
        ["anthropic-azure"],
    ]
    amazon_loop = next(loop for loop in loops if loop.slugs[0] == "amazon")
    assert amazon_loop.legs[1].target.slug == "amazon"  # AWS rolled up to its parent
    assert [deal.slug for deal in amazon_loop.legs[1].deals] == ["openai-aws"]
    assert amazon_loop.legs[0].deals[0].citations.all()[0].article == world["article"]


@pytest.mark.django_db
def test_circular_money_runs_a_constant_number_of_queries(django_assert_num_queries):
    build_world()
    with django_assert_num_queries(7):
        loops = circular_money()
        for loop in loops:
            for leg in loop.legs:
                for deal in leg.deals:
                    list(deal.citations.all())
                    list(deal.chip_platforms.all())


@pytest.mark.django_db
def test_cancelled_deals_close_no_loop():
    world = build_world()
    world["deals"]["ms-anthropic"].status = "cancelled"
    world["deals"]["ms-anthropic"].save()
    assert ["microsoft", "anthropic"] not in [loop.slugs for loop in circular_money()]


@pytest.mark.django_db
def test_a_leg_lists_its_largest_deals_and_counts_the_rest():
    world = build_world()
    from .factories import DealFactory

    for amount in (1, 2, 3, 4):
        DealFactory(
            payer=world["companies"]["microsoft"],
            payee=world["companies"]["anthropic"],
            amount_usd=Decimal(amount) * 10**9,
        )
    loop = next(loop for loop in circular_money() if loop.slugs == ["microsoft", "anthropic"])
    investment = loop.legs[0]
    assert [deal.amount_usd for deal in investment.deals] == [Decimal(n) * 10**9 for n in (5, 4, 3)]
    assert investment.deal_count == 5
    assert investment.more == 2
    assert investment.total == Decimal(15) * 10**9
