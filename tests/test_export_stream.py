"""The export downloads at a million deals: streamed, walked newest first along the indexes
a chunk at a time, the same text as before, a byte-order mark for spreadsheets, and a file
name that says what the file holds."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deals.export import (
    BYTE_ORDER_MARK,
    deal_csv_rows,
    document_json,
    download_name,
    export_document,
    walked_csv_rows,
)
from deals.filters import DealFilter
from deals.models import Deal
from tests.test_export import build_deal
from tests.test_export_views import FILTERS, document_csv

pytestmark = pytest.mark.django_db
BOM = BYTE_ORDER_MARK.encode()


@pytest.fixture
def synthetic(db):
    call_command(
        "seed_synthetic", companies=30, deals=300, seed=3, no_progress=True, stdout=io.StringIO()
    )
    undated = build_deal(0)
    undated.announced_on = None
    undated.save()


def download(client, path: str, params: dict | None = None) -> bytes:
    response = client.get(path, params or {})
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content)


def test_the_csv_starts_with_a_byte_order_mark_so_excel_reads_arabic(client, seeded):
    body = download(client, "/export/deals.csv", {"company": "anthropic"})
    assert body.startswith(BOM + b"id,")
    assert body.count(BOM) == 1
    text = body.decode("utf-8-sig")
    assert "أنثروبيك" in text
    assert list(csv.DictReader(io.StringIO(text)))[0]["id"]


def test_the_json_has_no_byte_order_mark(client, seeded):
    assert download(client, "/export/deals.json").startswith(b'{\n"schema_version": 1')


@pytest.mark.parametrize(
    ("path", "params", "name"),
    [
        ("/export/deals.csv", {}, "dealwatch-deals.csv"),
        ("/export/deals.csv", {"company": "anthropic"}, "dealwatch-deals-anthropic.csv"),
        (
            "/export/deals.json",
            {"company": "anthropic", "type": "compute_commitment"},
            "dealwatch-deals-anthropic-compute-commitment.json",
        ),
        # A company typed by name is named by its id; empty filters are left out.
        (
            "/export/deals.csv",
            {"company": "أنثروبيك", "cloud": ""},
            "dealwatch-deals-anthropic.csv",
        ),
        (
            "/export/deals.csv",
            {"from": "2024-01-01", "min_amount": "$1.5B", "status": "announced"},
            "dealwatch-deals-announced-from-2024-01-01-min-amount-1-5b.csv",
        ),
    ],
)
def test_the_file_name_follows_the_filter(client, seeded, path, params, name):
    response = client.get(path, params)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert client.head(path, params)["Content-Disposition"] == response["Content-Disposition"]


def test_a_file_name_is_safe_ascii_of_bounded_length():
    name = download_name({"company": 'a"b/../c\r\nd', "to": "٢٠٢٥" + "x" * 300}, "csv")
    assert name.startswith("dealwatch-deals-a-b-c-d-to-")
    assert name.endswith(".csv") and len(name) <= 130
    assert all(char.isascii() and (char.isalnum() or char in "-.") for char in name)


@pytest.mark.parametrize("chunk", [1, 7, 2000])
@pytest.mark.parametrize(
    "params", [p for p in FILTERS if p.get("company") != "nobody-matches-this"]
)
def test_the_walk_gives_the_rows_one_sorted_query_gives(synthetic, monkeypatch, params, chunk):
    monkeypatch.setattr("deals.export.rows.WALK_CHUNK_SIZE", chunk)
    filters = DealFilter(params or None, queryset=Deal.objects.all())
    walked = list(walked_csv_rows(filters.split_by_side()))
    assert walked == list(deal_csv_rows(filters.qs))
    assert len(walked) == filters.qs.count() > 0


def test_the_filtered_csv_is_the_documents_table_whatever_the_chunk(client, synthetic, monkeypatch):
    monkeypatch.setattr("deals.export.rows.WALK_CHUNK_SIZE", 5)
    params = {"company": "syn-co-00001"}
    body = download(client, "/export/deals.csv", params)
    assert body == BOM + document_csv(params).encode()


def test_a_filtered_csv_reads_a_chunk_at_a_time_in_a_fixed_number_of_queries(
    client, db, monkeypatch
):
    for n in range(3):
        build_deal(n)
    payer = Deal.objects.get(slug="buyer-0-cloud-0").payer
    params = {"company": payer.slug}

    def queries() -> int:
        download(client, "/export/deals.csv", params)  # cached filter choices read once
        with CaptureQueriesContext(connection) as captured:
            download(client, "/export/deals.csv", params)
        return len(captured)

    few = queries()
    for n in range(3, 40):
        deal = build_deal(n)
        Deal.objects.filter(pk=deal.pk).update(payer=payer)
    assert queries() == few  # 38 deals of the company, one chunk
    # Each further chunk costs the same again: two walks per side (dated, undated), the rows.
    monkeypatch.setattr("deals.export.rows.WALK_CHUNK_SIZE", 10)
    assert queries() == few + 3 * 5


def test_the_json_opening_leaves_before_the_document_is_read(client, seeded, monkeypatch):
    calls = []
    real = export_document

    def counting(deals):
        calls.append(deals)
        return real(deals)

    monkeypatch.setattr("deals.export.stream.export_document", counting)
    response = client.get("/export/deals.json", {"company": "anthropic"})
    pieces = iter(response.streaming_content)
    assert next(pieces) == b'{\n"schema_version": '
    assert next(pieces) == b"1"
    assert calls == []  # nothing read yet: the client already has its first bytes
    text = b'{\n"schema_version": 1' + b"".join(pieces)
    assert len(calls) == 1
    expected = "".join(document_json(real(DealFilter({"company": "anthropic"}).qs)))
    assert text.decode() == expected
    assert json.loads(text)["schema_version"] == 1
