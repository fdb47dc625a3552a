import dataclasses
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from deals.models import DealType

from .conftest import count_queries
from .factories import CompanyFactory, DealFactory
from .money_world import build_world

pytestmark = pytest.mark.django_db


def test_overview_shows_headline_figures_with_what_they_count_and_the_loops(client, seeded):
    response = client.get(reverse("deals:overview"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Money invested" in page
    # The sum keeps its qualifiers (issue 11): never "at face value".
    assert "at least $11B firm" in page
    assert "Circular money" in page
    # The three loops the articles worry about, with a link to a source quote and a deal.
    for loop in ("Microsoft", "Nvidia", "Amazon"):
        assert re.search(rf"<h3 class=\"loop-title\"[^>]*>\s*<a[^>]*>{loop}</a>", page)
    assert re.search(r'href="/articles/[\w-]+/#quote-\d+"', page)
    assert 'href="/deals/microsoft-anthropic-investment-5b/"' in page
    assert page.count("data-plotly-figure=") >= 2
    assert len(response.content) < 300_000


def test_only_the_first_loop_shows_its_steps_open(client, seeded):
    page = client.get(reverse("deals:overview")).content.decode()
    opened = re.findall(r'<details class="loop-details"( open)?>', page)
    assert len(opened) >= 3
    assert opened[0] == " open"
    assert set(opened[1:]) == {""}
    # Each fold says which loop it opens, for screen readers too.
    summaries = re.findall(r"<summary>(.*?)</summary>", page, re.S)
    assert any("Microsoft → Anthropic → Microsoft" in re.sub(r"<[^>]+>", "", s) for s in summaries)


def test_headline_counts_group_their_thousands(client, seeded, monkeypatch):
    from deals import analytics

    real = analytics.headline_of_every_deal

    def a_million():
        return dataclasses.replace(real(), deals=1_000_000, cancelled=50_178)

    monkeypatch.setattr(analytics, "headline_of_every_deal", a_million)
    for path in ("/", "/ar/"):
        page = client.get(path).content.decode()
        assert "1,000,000" in page
        assert "50,178" in page


def test_graph_answers_who_put_money_into_anthropic(client, seeded):
    response = client.get(reverse("deals:graph"), {"company": "anthropic"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Who funds whom around Anthropic" in page
    table = page[page.index('id="investment-graph"') : page.index('id="money-sankey"')]
    for investor, amount in [("Nvidia", "up to $10B"), ("Microsoft", "up to $5B"),
                             ("Amazon", "$8B")]:  # fmt: skip
        assert re.search(rf"<td[^>]*>{investor}</td>\s*<td[^>]*>Anthropic</td>"
                         rf".*?{re.escape(amount)}", table, re.S), investor  # fmt: skip
    # Companies with no deal with Anthropic's neighbours stay out of its neighbourhood.
    assert "SoftBank" not in table
    # Loops shown are those through Anthropic.
    titles = [
        re.sub(r"<[^>]+>|\s+", " ", title).split()
        for title in re.findall(r'<h3 class="loop-title"[^>]*>(.*?)</h3>', page, re.S)
    ]
    assert titles and all("Anthropic" in title for title in titles)
    assert ["Microsoft", "→", "Anthropic", "→", "Microsoft"] in titles


def test_arabic_pages_use_arabic_names(client, seeded):
    for path in ("/ar/", "/ar/graph/"):
        response = client.get(path)
        assert response.status_code == 200
        assert "أنثروبيك" in response.content.decode() or "إنتروبيك" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "company=nobody",
        "company=anthropic&role=nonsense",
        "from=yesterday",
        "min_amount=lots",
        "status=maybe&type=x&cloud=%00",
        "company=anthropic&company=openai",
        "to=2020-01-01&from=2025-01-01",
    ],
)
def test_bad_parameters_never_break_the_graph(client, seeded, query):
    # The English page: `reverse` would follow whatever language an earlier test left active.
    response = client.get("/graph/?" + query)
    assert response.status_code == 200
    assert "could not be used" in response.content.decode()


def test_graph_with_no_deals_still_renders(client, db):
    response = client.get(reverse("deals:graph"))
    assert response.status_code == 200
    assert client.get(reverse("deals:overview")).status_code == 200


def add_deals(count):
    investors = [CompanyFactory(kind="investor") for _ in range(5)]
    labs = [CompanyFactory() for _ in range(5)]
    for index in range(count):
        DealFactory(
            payer=investors[index % 5],
            payee=labs[(index * 3) % 5],
            deal_type=DealType.INVESTMENT,
            amount_usd=Decimal(index + 1) * 10**8,
        )


@pytest.mark.parametrize(
    "url", ["/", "/graph/", "/graph/?company=anthropic", "/graph/?type=investment&status=signed"]
)
def test_pages_run_the_same_number_of_queries_for_5_and_60_more_deals(client, url):
    build_world()
    add_deals(5)
    few = count_queries(client, url)
    add_deals(55)
    many = count_queries(client, url)
    assert few == many


def test_overview_query_count_is_pinned(client, django_assert_num_queries):
    build_world()
    add_deals(20)
    # headline 2 (the deals' totals, and the data-centre projects' power beside them), cloud
    # and matrix 1, chip vendor 2, latest 1, loops 7; the flow charts (pages.over_time) 5
    with django_assert_num_queries(18):
        client.get("/")


def many_flows():
    """Six investors and ten labs with a deal of each status between each pair: 300 deals."""
    investors = [CompanyFactory(kind="investor") for _ in range(6)]
    labs = [CompanyFactory() for _ in range(10)]
    statuses = ["rumored", "announced", "signed", "completed", "cancelled"]
    for first, investor in enumerate(investors):
        for second, lab in enumerate(labs):
            for third, status in enumerate(statuses):
                DealFactory(
                    payer=investor,
                    payee=lab,
                    status=status,
                    amount_usd=Decimal(1 + first + 6 * second + 60 * third) * 10**8,
                )
    return investors, labs


def graph_figure(page):
    import json

    data = re.search(
        r'<script id="investment-graph-figure" type="application/json">(.*?)</script>', page, re.S
    )
    return json.loads(data.group(1))


def test_a_busy_graph_draws_at_most_50_arrows_and_says_what_it_leaves_out(client, db):
    many_flows()
    page = client.get("/graph/").content.decode()
    figure = graph_figure(page)
    arrows = [trace for trace in figure["data"] if trace.get("mode") == "lines"]
    # 60 pairs, each with four live statuses and a cancelled one: merged, 60 live arrows and
    # 60 cancelled ones; 50 live ones are drawn, each company's largest and then the largest.
    # Left out: the 10 smallest live pairs ($384B, 40 deals) and the cancelled ($1.62T, 60).
    assert len(arrows) == 50
    assert {trace["line"]["dash"] for trace in arrows} == {"dot"}
    notes = [note["text"] for note in figure["layout"]["annotations"] if note.get("text")]
    assert notes == ["50 of 120 flows drawn; the other 70 ($2.01T) are in the table."]
    table = page[page.index('id="investment-graph"') : page.index('id="money-sankey"')]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
    assert len(rows) == 51  # what is drawn, then one row for the rest
    assert re.search(r'<td[^>]*>70 other flows, not drawn</td>.*?\$2.01T.*?>100<', rows[-1],
                     re.S)  # fmt: skip
    assert "70% signed or completed" in rows[0]  # $42B of $60B
    assert "70 other flows (100 deals, $2.01T) are left out" in re.search(
        r'class="chart-description[^"]*"[^>]*>([^<]*)<', table
    ).group(1)
    # Every deal is counted once: in the drawn arrows or in the last row.
    counted = sum(int(re.findall(r"<td[^>]*>([\d,]+)</td>", row)[-1]) for row in rows)
    assert counted == 300


def test_a_small_graph_keeps_each_status_apart_and_leaves_nothing_out(client, seeded):
    page = client.get("/graph/").content.decode()
    figure = graph_figure(page)
    # Money arrows only: the dotted lines tying data-centre sites to their companies are not.
    arrows = [
        trace
        for trace in figure["data"]
        if trace.get("mode") == "lines" and trace.get("legendgroup") != "sites"
    ]
    assert {trace["line"]["dash"] for trace in arrows} == {"solid", "dash"}
    assert not [note for note in figure["layout"].get("annotations", []) if note.get("text")]
    assert "other flows, not drawn" not in page
    assert "flows are drawn" not in page


def test_every_company_drawn_has_an_arrow_even_when_most_flows_are_left_out(db):
    from deals import analytics
    from deals.models import Deal

    many_flows()
    nodes, edges = analytics.graph_frames(Deal.objects.all(), max_edges=20)
    assert len(edges) == 20
    assert set(nodes["id"]) == set(edges["source"]) | set(edges["target"])
    assert edges.attrs["omitted"]["flows"] == 100
    assert edges.attrs["omitted"]["deals"] + edges["deals"].sum() == 300
