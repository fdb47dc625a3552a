"""Charts, tables and dates say what the sources say: undisclosed deals shown as such, flows no
source reports never drawn as money, qualifiers and statuses kept, dates no more precise than
stored, and facts from an outside reference marked as such (issue 11, part B; issue 17 item 10).
"""

import json
import re
from decimal import Decimal

import pandas as pd
import pytest
from django.utils import translation

from deals import analytics, charts
from deals.models import Deal
from deals.pages.graph import graph_figures

pytestmark = pytest.mark.django_db

UNDISCLOSED_PAIRS = [
    ("Anthropic", "Amazon Web Services"),
    ("Anthropic", "Google Cloud"),
    ("OpenAI", "Oracle Cloud"),
]


def chart_section(html: str, chart_id: str) -> str:
    """The HTML of one chart's <figure> (its table included)."""
    start = html.index(f'<figure class="chart" id="{chart_id}"')
    return html[start : html.index("</figure>", start)]


def table_cells(section: str) -> list[list[str]]:
    body = section[section.index("<tbody>") :]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    ]


# -- "Who buys compute from which cloud" -------------------------------------------------------


def test_the_heatmap_marks_the_three_undisclosed_pairs_and_leaves_no_deal_empty(seeded):
    matrix = analytics.lab_cloud_matrix(Deal.objects.all(), language="en")
    figure = charts.lab_cloud_heatmap(matrix, language="en")
    heatmap = figure.data[0]
    labs, clouds = list(matrix.index), list(matrix.columns)
    for lab, cloud in UNDISCLOSED_PAIRS:
        cell = heatmap.text[labs.index(lab)][clouds.index(cloud)]
        assert cell == "undisclosed (1)", (lab, cloud, cell)
        hover = heatmap.customdata[labs.index(lab)][clouds.index(cloud)]
        assert hover == f"{lab} → {cloud}: 1 undisclosed (promised)"
    # Each of them is a dashed, outlined cell; the pairs with no deal are blank.
    assert [shape.line.dash for shape in figure.layout.shapes] == ["dash"] * 3
    assert heatmap.text[labs.index("OpenAI")][clouds.index("Microsoft Azure")] == ""
    assert heatmap.hoverongaps is False


def test_the_heatmaps_table_says_undisclosed_where_it_printed_a_dash(seeded):
    matrix = analytics.lab_cloud_matrix(Deal.objects.all(), language="en")
    table = charts.lab_cloud_table(matrix)
    cells = {
        (row[0], cloud): cell
        for row in table["rows"]
        for cloud, cell in zip(table["columns"][1:], row[1:], strict=True)
    }
    for pair in UNDISCLOSED_PAIRS:
        assert cells[pair] == "1 undisclosed (promised)"
    assert cells[("OpenAI", "Amazon Web Services")] == "$38B firm"
    assert cells[("OpenAI", "Microsoft Azure")] == "—"  # no deal at all
    description = charts.lab_cloud_description(matrix)
    for lab, cloud in UNDISCLOSED_PAIRS:
        assert f"{lab} → {cloud}" in description


def test_the_overview_table_of_who_buys_from_which_cloud_lists_the_undisclosed_deals(
    seeded, client
):
    section = chart_section(client.get("/").content.decode(), "lab-cloud")
    rows = {row[0]: row[1:] for row in table_cells(section)}
    assert sum(cell.count("undisclosed") for cells in rows.values() for cell in cells) == 3
    assert "1 undisclosed (promised)" in rows["OpenAI"]


def test_arabic_heatmap_says_undisclosed_in_arabic(seeded):
    with translation.override("ar"):
        matrix = analytics.lab_cloud_matrix(Deal.objects.all(), language="ar")
        table = charts.lab_cloud_table(matrix)
    cells = [cell for row in table["rows"] for cell in row[1:]]
    assert sum("غير معلنة القيمة" in cell for cell in cells) == 3
    assert not any("undisclosed" in cell for cell in cells)


# -- "Compute and chips bought, by chip vendor" ------------------------------------------------


def test_chip_supply_deals_count_under_their_supplier_when_no_chip_is_named(seeded):
    frame = analytics.money_by_chip_vendor(Deal.objects.all(), language="en")
    deals = dict(zip(frame["slug"], frame["deals"], strict=True))
    # AMD's only deal is OpenAI's chip supply; Nvidia has Azure's $30B and OpenAI's chips.
    assert deals["amd"] == 1
    assert deals["nvidia"] == 2
    table = charts.runs_on_table(frame, "Chip vendor")
    rows = {row[0]: row for row in table["rows"]}
    assert rows["AMD"][1] == "1 undisclosed (promised)"
    assert rows["Nvidia"][1] == "$30B firm, and 1 undisclosed (promised)"
    assert rows["Nvidia"][2] == "up to 1 GW (not stated for 1 deal)"
    # Power nobody states is "not stated", never "0 MW".
    assert not any("0 MW" in str(cell) for row in table["rows"] for cell in row)
    assert rows["AMD"][2] == "not stated"


def test_chip_vendor_bars_draw_undisclosed_amounts_as_hatched_stubs(seeded):
    frame = analytics.money_by_chip_vendor(Deal.objects.all(), language="en")
    figure = charts.runs_on_bars(frame, "Money and power by chip vendor", language="en")
    stubs = figure.data[2]
    assert stubs.name == "Undisclosed"
    assert stubs.marker.pattern.shape == "/"
    labels = dict(zip(stubs.y, stubs.text, strict=True))
    assert labels["AMD"] == "undisclosed (1)"
    assert labels["Nvidia"] == "+ 1 undisclosed"
    assert "AMD undisclosed (1)" in charts.runs_on_amounts(frame)


def test_the_overview_chip_vendor_table_includes_amd_and_openais_nvidia_chips(seeded, client):
    section = chart_section(client.get("/").content.decode(), "by-chip")
    rows = {row[0]: row for row in table_cells(section)}
    assert "AMD" in rows
    assert rows["Nvidia"][3] == "2"
    assert "0 MW" not in section


# -- the Sankey ---------------------------------------------------------------------------------


def seed_sankey():
    links = analytics.sankey_links(analytics.flow_edges(Deal.objects.all()), language="en")
    return links, charts.money_sankey(links, language="en"), charts.sankey_table(links)


def test_no_sankey_link_says_microsoft_paid_nvidia(seeded):
    links, figure, table = seed_sankey()
    sankey = figure.data[0]
    labels = list(sankey.node.label)
    for source, target, hover in zip(
        sankey.link.source, sankey.link.target, sankey.link.customdata, strict=True
    ):
        if labels[source] == "Microsoft" and "Nvidia" in labels[target]:
            assert labels[target] == "Nvidia chips"
            assert "Not a payment" in hover
            assert "pays" not in hover and "buys" not in hover
    microsoft_rows = [row for row in table["rows"] if row[:2] == ("Microsoft", "Nvidia chips")]
    assert microsoft_rows == [
        (
            "Microsoft",
            "Nvidia chips",
            "compute running on these chips (no payment to the vendor reported)",
            "$30B firm",
            "signed",
            1,
        )
    ]
    assert not [row for row in table["rows"] if row[:2] == ("Microsoft", "Nvidia")]
    # Drawn apart: grey links, in a layer of their own, said in words under the chart.
    runs_on = [
        colour
        for colour, kind in zip(sankey.link.color, links[links["amount"] > 0]["kind"], strict=True)
        if kind == "runs_on"
    ]
    assert runs_on and set(runs_on) == {"rgba(156,163,175,0.35)"}
    assert any("no payment" in note.text for note in figure.layout.annotations)


def test_sankey_amounts_keep_their_qualifiers_and_statuses(seeded):
    _links, _figure, table = seed_sankey()
    rows = {(row[0], row[1], row[2]): row[3:] for row in table["rows"]}
    assert rows[("Nvidia", "Anthropic", "investment")] == ("up to $10B promised", "announced", 1)
    assert rows[("Google", "Anthropic", "investment")] == ("more than $3B firm", "completed", 1)
    assert rows[("Amazon", "OpenAI", "investment")] == ("about $10B reported", "in talks", 1)
    # Undisclosed flows are listed, and the chart says it leaves them out.
    assert rows[("OpenAI", "AMD", "chip purchase")] == ("1 undisclosed (promised)", "announced", 1)
    assert not any(row[3] in {"$10B", "$3B", "$5B"} for row in table["rows"])


def test_the_graph_pages_sankey_describes_what_it_leaves_out(seeded):
    with translation.override("en"):
        figures = graph_figures(Deal.objects.all(), None, filtered=False)
    description = figures["sankey_chart"]["description"]
    assert "no payment to the chip vendor" in description
    assert "undisclosed amount are not drawn" in description


# -- plain text in plotly labels (issue 17, item 10) ---------------------------------------------

LINK = '<a href="https://example.org">x</a>'
BOLD = "<b>bold</b>"


def every_string(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from every_string(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from every_string(item)


@pytest.mark.parametrize("name", [LINK, BOLD, "<script>window.__xss=1</script>", "R&D <Labs>"])
def test_names_are_plain_text_in_every_chart_label(name):
    frame = pd.DataFrame(
        {"slug": ["evil"], "name": [name], "money": [2e9], "gw": [0.0], "deals": [1],
         "undisclosed": [0]}
    )  # fmt: skip
    matrix = pd.DataFrame({"Azure": [2e9]}, index=[name])
    links = pd.DataFrame(
        {"kind": ["investment"], "source_stage": ["investor"], "source": [1],
         "source_name": [name], "target_stage": ["lab"], "target": [2],
         "target_name": ["Anthropic"], "amount": [2e9], "deals": [1]}
    )  # fmt: skip
    nodes = pd.DataFrame(
        {"id": [1, 2], "slug": ["evil", "anthropic"], "name": [name, "Anthropic"],
         "kind": ["investor", "ai_lab"], "money": [2e9, 2e9]}
    )  # fmt: skip
    edges = pd.DataFrame(
        {"source": [1], "target": [2], "deal_type": ["investment"], "status": ["announced"],
         "amount": [2e9], "deals": [1], "undisclosed": [0], "qualifier": ["exact"]}
    )  # fmt: skip
    sources = pd.DataFrame(
        {"source": [1], "target": [2], "deal_type": ["investment"], "status": ["announced"],
         "title": [f"Headline {name}"]}
    )  # fmt: skip
    figures = [
        charts.runs_on_bars(frame, "Money", language="en"),
        charts.lab_cloud_heatmap(matrix, language="en"),
        charts.money_sankey(links, language="en"),
        charts.investment_graph(nodes, edges, sources, language="en"),
    ]
    escaped = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for figure in figures:
        text = list(every_string(json.loads(figure.to_json())["data"]))
        assert not any(name in string for string in text), figure.data[0].type
        assert any(escaped in string for string in text), figure.data[0].type


# -- dates ----------------------------------------------------------------------------------------


def test_a_quarter_precision_deal_never_shows_a_month(seeded, client):
    google = Deal.objects.get(slug="google-anthropic-investment-3b")
    pages = [
        google.get_absolute_url(),
        "/deals/?company=google",
        "/search/?q=google",
    ]
    for path in pages:
        html = client.get(path).content.decode()
        assert "Q1 2023" in html, path
        assert "Jan 2023" not in html and "January 2023" not in html, path


def test_a_running_total_is_dated_by_the_span_of_its_tranches_with_each_tranche_nested(
    seeded, client
):
    html = client.get("/deals/?company=amazon").content.decode()
    card = html[html.index('data-deal-id="amazon-anthropic-investment-8b"') :]
    card = card[: card.index("</article>")]
    assert "Sep 2023 – Nov 2024, in 3 tranches" in card
    for tranche in ("25 Sep 2023: $1.25B", "27 Mar 2024: $2.75B", "22 Nov 2024: $4B"):
        assert tranche in re.sub(r"<[^>]+>", "", card)
    google = client.get("/deals/google-anthropic-investment-3b/").content.decode()
    assert "Q1 2023 – Jan 2025, in 3 tranches" in google


def test_one_day_format_per_language_everywhere(seeded, client):
    english = client.get("/deals/nvidia-anthropic-investment-10b/").content.decode()
    assert "18 Nov 2025" in english
    assert "Nov. 18, 2025" not in english and "November 18, 2025" not in english
    arabic = client.get("/ar/deals/nvidia-anthropic-investment-10b/").content.decode()
    assert "18 نوفمبر 2025" in arabic
    search = client.get("/search/?q=nvidia").content.decode()
    assert "Nov. 18" not in search


def test_arabic_tranche_span_agrees_with_its_number(seeded, client):
    html = client.get("/ar/deals/amazon-anthropic-investment-8b/").content.decode()
    assert "سبتمبر 2023 – نوفمبر 2024، على 3 دفعات" in html


# -- facts from an outside reference -------------------------------------------------------------


def test_a_status_and_date_from_the_reference_say_so_and_link_it(seeded, client):
    deal = Deal.objects.get(slug="amazon-anthropic-investment-8b")
    html = client.get(deal.get_absolute_url()).content.decode()
    completed = deal.status_history.get(status="completed")
    assert f'href="{completed.reference_url}"' in html
    assert html.count("per the reference") >= 2  # its status and its date
    # A status and date an article gives are not marked.
    cited = client.get("/deals/nvidia-anthropic-investment-10b/").content.decode()
    assert "per the reference" not in cited


def test_timeline_cards_mark_a_status_from_the_reference(seeded, client):
    html = client.get("/deals/?company=google").content.decode()
    card = html[html.index('data-deal-id="google-anthropic-investment-3b"') :]
    card = card[: card.index("</article>")]
    assert "per the reference" in card


def test_rainiers_power_phrase_and_status_follow_their_articles(seeded):
    azure = Deal.objects.get(slug="anthropic-azure-compute-30b")
    assert {
        (citation.reported_power_gw, citation.reported_power_qualifier)
        for citation in azure.citations.all()
        if citation.reported_power_gw is not None
    } == {(Decimal(1), "up_to")}
