"""/export/deals.json and /export/deals.csv: the export, for the timeline's filters."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deals.export import CSV_COLUMNS, csv_tables, export_document
from deals.filters import DealFilter
from deals.models import Deal
from tests.factories import ChipPlatformFactory
from tests.test_export import build_deal

pytestmark = pytest.mark.django_db


def anthropic_deals() -> set[str]:
    company = Deal.objects.get(slug="anthropic-azure-compute-30b").payer
    return set(Deal.objects.involving(company).values_list("slug", flat=True))


def json_body(response) -> dict:
    return json.loads(b"".join(response.streaming_content))


def csv_text(response) -> str:
    """The CSV download's text after its byte-order mark (tests/test_export_stream.py checks
    the mark itself)."""
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_json_export_of_everything(client, seeded):
    response = client.get("/export/deals.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="dealwatch-deals.json"'
    assert response.streaming  # written in pieces, the text never held whole
    document = json_body(response)
    assert document == export_document(Deal.objects.all())
    assert {deal["id"] for deal in document["deals"]} == set(
        Deal.objects.values_list("slug", flat=True)
    )


def test_json_export_follows_the_timeline_filters(client, seeded):
    response = client.get("/export/deals.json", {"company": "anthropic"})
    text = b"".join(response.streaming_content).decode()
    assert {deal["id"] for deal in json.loads(text)["deals"]} == anthropic_deals()
    assert "أنثروبيك" in text


def test_csv_export_has_one_flat_row_per_deal(client, seeded):
    response = client.get("/export/deals.csv", {"company": "anthropic", "type": "investment"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="dealwatch-deals-anthropic-investment.csv"'
    )
    assert response.streaming  # written batch by batch, never held whole in memory
    rows = list(csv.DictReader(io.StringIO(csv_text(response))))
    assert list(rows[0]) == CSV_COLUMNS["deals"]
    expected = set(
        Deal.objects.filter(slug__in=anthropic_deals(), deal_type="investment").values_list(
            "slug", flat=True
        )
    )
    assert {row["id"] for row in rows} == expected
    assert len(rows) == len(expected)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"company": "nobody"}, "nobody"),
        ({"from": "2025-13-45"}, "YYYY-MM-DD"),
        ({"min_amount": "abc"}, "Enter an amount"),
        ({"role": "buyer"}, "role only makes sense"),
    ],
)
def test_bad_filters_give_400_with_a_message(client, seeded, params, message):
    as_json = client.get("/export/deals.json", params)
    assert as_json.status_code == 400
    assert any(message in error for error in as_json.json()["errors"])
    as_csv = client.get("/export/deals.csv", params)
    assert as_csv.status_code == 400
    assert as_csv["Content-Type"].startswith("text/plain")
    assert message in as_csv.content.decode()


def test_repeated_parameters_give_400(client, seeded):
    response = client.get("/export/deals.json?cloud=azure&cloud=aws")
    assert response.status_code == 400


# ---------------------------------------------------------------------------------------------
# The streamed CSV is the deals table of the document, byte for byte


@pytest.fixture
def synthetic(db):
    """Synthetic deals, plus deals using every part of the model (chips, fractions, no date)."""
    call_command(
        "seed_synthetic", companies=30, deals=300, seed=1, no_progress=True, stdout=io.StringIO()
    )
    for n in range(3):
        build_deal(n)
    undated = build_deal(3)
    undated.announced_on = None
    undated.amount_usd, undated.amount_qualifier = Decimal("1234567890123.45"), "about"
    undated.power_gw, undated.power_qualifier = Decimal("0.250"), "up_to"
    undated.save()
    undated.chip_platforms.add(ChipPlatformFactory(slug="aa-chip"), ChipPlatformFactory())


def document_csv(params: dict) -> str:
    """The CSV the deals table of `csv_tables(export_document(...))` gives for these filters."""
    deals = DealFilter(params or None, queryset=Deal.objects.all()).qs
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS["deals"])
    for row in csv_tables(export_document(deals))["deals"]:
        writer.writerow([row[column] for column in CSV_COLUMNS["deals"]])
    return buffer.getvalue()


FILTERS = [
    {},
    {"company": "syn-co-00001"},
    {"company": "syn-co-00007", "role": "investee"},
    {"type": "compute_commitment", "from": "2020-01-01"},
    {"chip": "syn-chip-001"},
    {"cloud": "syn-cloud-001"},
    {"min_amount": "1B", "status": "announced"},
    {"company": "nobody-matches-this"},
]


@pytest.mark.parametrize("params", FILTERS)
def test_csv_export_is_the_documents_deals_table_byte_for_byte(client, synthetic, params):
    response = client.get("/export/deals.csv", params)
    if params.get("company") == "nobody-matches-this":
        assert response.status_code == 400
        return
    body = csv_text(response)
    assert body.count("\r\n") > 2  # a header and deals
    assert body == document_csv(params)


def test_csv_export_keeps_fractions_and_empty_cells(client, synthetic):
    body = csv_text(client.get("/export/deals.csv"))
    rows = list(csv.DictReader(io.StringIO(body)))
    undated = next(row for row in rows if row["id"] == "buyer-3-cloud-3")
    assert undated["announced_on"] == ""
    assert undated["amount_usd"] == "1234567890123.45"
    assert undated["power_gw"] == "0.25"
    assert undated["chip_platforms"].startswith("aa-chip|")
    assert rows[-1]["id"] == "buyer-3-cloud-3"  # undated deals come last
    assert undated["term_years"] == "7"


def test_csv_export_streams_every_deal_in_chunks_of_rows(client, seeded, monkeypatch):
    monkeypatch.setattr("deals.export.stream.CSV_ROWS_PER_CHUNK", 2)
    monkeypatch.setattr("deals.export.rows.DEAL_CHUNK_SIZE", 3)  # rows read three at a time
    response = client.get("/export/deals.csv")
    assert response.streaming
    chunks = list(response.streaming_content)
    deals = list(Deal.objects.values_list("slug", flat=True))
    assert len(chunks) == (len(deals) + 1) // 2  # the header comes with the first two rows
    rows = list(csv.DictReader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))
    assert [row["id"] for row in rows] == deals


def test_csv_export_of_no_deals_is_the_header(client, db):
    response = client.get("/export/deals.csv")
    assert csv_text(response) == ",".join(CSV_COLUMNS["deals"]) + "\r\n"


def test_csv_export_queries_do_not_grow_with_the_number_of_deals(
    client, db, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr("deals.export.rows.DEAL_CHUNK_SIZE", 2)  # many chunks of one query

    def export(params) -> bytes:
        return b"".join(client.get("/export/deals.csv", params).streaming_content)

    for n in range(3):
        build_deal(n)
    payer = Deal.objects.get(slug="buyer-0-cloud-0").payer.slug
    filters = [{}, {"company": payer}, {"type": "compute_commitment", "min_amount": "1B"}]
    counts = []
    for params in filters:
        export(params)  # cached filter choices are read once
        with CaptureQueriesContext(connection) as three:
            export(params)
        counts.append(len(three.captured_queries))
    for n in range(3, 30):
        build_deal(n)
    for params, count, rows in zip(filters, counts, [30, 1, 30], strict=True):
        export(params)  # new deals changed the data: cached choices are read again
        with django_assert_num_queries(count):
            assert export(params).count(b"\r\n") == rows + 1
    # The newest-first walk (dated deals, then undated), then the deals with their companies,
    # platforms and chips: one step at these sizes (tests/test_export_stream.py).
    assert counts[0] == 3


# -- CSV safety and HEAD --------------------------------------------------------------------------


def test_csv_export_neutralises_formulas_but_keeps_numbers(client, seeded):
    deal = Deal.objects.get(slug="anthropic-azure-compute-30b")
    Deal.objects.filter(pk=deal.pk).update(
        summary='=HYPERLINK("https://example.org","click")', summary_ar="@SUM(A1:A9)"
    )
    response = client.get("/export/deals.csv", {"company": "anthropic"})
    rows = list(csv.DictReader(io.StringIO(csv_text(response))))
    [row] = [row for row in rows if row["id"] == deal.slug]
    assert row["summary"] == """'=HYPERLINK("https://example.org","click")"""
    assert row["summary_ar"] == "'@SUM(A1:A9)"
    assert row["amount_usd"] == "30000000000"
    # The JSON is the exact form.
    document = json_body(client.get("/export/deals.json", {"company": "anthropic"}))
    [entry] = [entry for entry in document["deals"] if entry["id"] == deal.slug]
    assert entry["summary_ar"] == "@SUM(A1:A9)"


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/export/deals.csv", "text/csv; charset=utf-8"), ("/export/deals.json", "application/json")],
)
def test_head_answers_like_get_without_a_body_or_an_export(client, seeded, path, content_type):
    with CaptureQueriesContext(connection) as head_queries:
        head = client.head(path, {"company": "anthropic"})
    get = client.get(path, {"company": "anthropic"})
    assert head.status_code == get.status_code == 200
    assert head["Content-Type"] == get["Content-Type"] == content_type
    assert head["Content-Disposition"] == get["Content-Disposition"]
    assert b"".join(head.streaming_content) == b""
    assert not any("deals_dealcitation" in q["sql"] for q in head_queries.captured_queries)
    bad = client.head(path, {"min_amount": "lots"})
    assert bad.status_code == 400 and bad.content == b""
