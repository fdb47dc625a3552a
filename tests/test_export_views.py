"""/export/deals.json and /export/deals.csv: the export, for the timeline's filters."""

import csv
import io
import json

import pytest

from deals.export import CSV_COLUMNS
from deals.models import Deal

pytestmark = pytest.mark.django_db


def anthropic_deals() -> set[str]:
    company = Deal.objects.get(slug="anthropic-azure-compute-30b").payer
    return set(Deal.objects.involving(company).values_list("slug", flat=True))


def test_json_export_of_everything(client, seeded):
    response = client.get("/export/deals.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="dealwatch-deals.json"'
    document = json.loads(response.content)
    assert {deal["id"] for deal in document["deals"]} == set(
        Deal.objects.values_list("slug", flat=True)
    )


def test_json_export_follows_the_timeline_filters(client, seeded):
    document = client.get("/export/deals.json", {"company": "anthropic"}).json()
    assert {deal["id"] for deal in document["deals"]} == anthropic_deals()
    assert "أنثروبيك" in client.get("/export/deals.json", {"company": "anthropic"}).content.decode()


def test_csv_export_has_one_flat_row_per_deal(client, seeded):
    response = client.get("/export/deals.csv", {"company": "anthropic", "type": "investment"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="dealwatch-deals.csv"'
    assert response.streaming  # written batch by batch, never held whole in memory
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
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
