"""manage.py import_deals: the export reads back identically, and a bad file changes nothing."""

import copy
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from companies.models import ChipPlatform, CloudPlatform, Company, CompanyAlias
from deals.export import export_document
from deals.importing import ImportRefused, import_document, parse_bytes
from deals.models import Article, DataCenterProject, Deal, DealCitation, Valuation

CONTENT_MODELS = (Company, CompanyAlias, Article, Deal, DealCitation, Valuation)


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in CONTENT_MODELS}


def exported_json() -> str:
    return json.dumps(export_document(), ensure_ascii=False, indent=2, sort_keys=False)


def write(tmp_path, document, name="deals.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return str(path)


def import_file(path, **options):
    out = io.StringIO()
    call_command("import_deals", path, stdout=out, **options)
    return out.getvalue()


def empty_database():
    call_command("flush", interactive=False, verbosity=0)
    assert not Deal.objects.exists() and not Company.objects.exists()


@pytest.fixture
def seed_document(seeded):
    """The seed's export as plain JSON data, with the database emptied afterwards."""
    document = json.loads(exported_json())
    for model in (Deal, Valuation, DataCenterProject, CloudPlatform, ChipPlatform, Article):
        model.objects.all().delete()
    Company.objects.filter(parent__isnull=False).delete()
    Company.objects.all().delete()
    assert counts() == dict.fromkeys(counts(), 0)
    return document


# -- round trips --------------------------------------------------------------------------------


def round_trip(tmp_path):
    before = exported_json()
    path = tmp_path / "export.json"
    call_command("export_deals", output=str(path), stderr=io.StringIO())
    empty_database()
    message = import_file(str(path))
    after = exported_json()
    assert after == before
    return message, json.loads(after)


def test_seed_round_trip_gives_an_identical_export(transactional_db, tmp_path):
    call_command("loaddata", "seed", verbosity=0)
    message, document = round_trip(tmp_path)
    assert "13 deals" in message and "5 articles" in message
    assert len(document["deals"]) == 13
    # Every figure and quote came back, not just the ids.
    assert any(s["reported_amount_usd"] for d in document["deals"] for s in d["sources"])


def test_synthetic_round_trip_gives_an_identical_export(transactional_db, tmp_path):
    call_command(
        "seed_synthetic", companies=30, deals=300, seed=1, no_progress=True, stdout=io.StringIO()
    )
    message, document = round_trip(tmp_path)
    assert len(document["deals"]) == 300
    assert "300 deals" in message
    assert len(document["companies"]) >= 30


def test_import_records_history_with_its_reason(seed_document):
    import_document(seed_document)
    deal = Deal.objects.get(slug=seed_document["deals"][0]["id"])
    record = deal.history.earliest()
    assert record.history_type == "+"
    assert record.history_change_reason == "import_deals"


def test_numbers_are_read_exactly(seed_document):
    """Fifteen significant digits: read as a Decimal, kept exact."""
    document = copy.deepcopy(seed_document)
    document["deals"][0]["amount_usd"] = 0  # placeholder replaced in the JSON text below
    document["deals"][0]["amount_qualifier"] = "about"
    text = json.dumps(document).replace('"amount_usd": 0,', '"amount_usd": 1234567890123.45,', 1)
    import_document(parse_bytes(text.encode()))
    deal = Deal.objects.get(slug=document["deals"][0]["id"])
    assert deal.amount_usd == Decimal("1234567890123.45")


# -- a bad record changes nothing ----------------------------------------------------------------


def refused(tmp_path, document, *expected):
    before = counts()
    with pytest.raises(CommandError) as error:
        import_file(write(tmp_path, document))
    message = str(error.value)
    for text in expected:
        assert text in message, message
    assert "Nothing was imported" in message
    assert counts() == before
    return message


def test_schema_error_names_the_record(seed_document, tmp_path):
    document = copy.deepcopy(seed_document)
    deal_id = document["deals"][3]["id"]
    document["deals"][3]["amount_usd"] = -5
    refused(tmp_path, document, f"deals[3] (id '{deal_id}'): amount_usd:", "minimum")


def test_unknown_key_and_wrong_type_are_refused(seed_document, tmp_path):
    document = copy.deepcopy(seed_document)
    document["companies"][1]["colour"] = "red"
    document["articles"][0]["published_on"] = "2025-13-45"
    message = refused(tmp_path, document, "companies[1]", "colour", "articles[0]")
    assert "published_on" in message


def test_a_record_the_model_refuses_names_the_record_and_field(seed_document, tmp_path):
    """Valid by the schema, invalid by the model: nothing of the earlier records stays."""
    document = copy.deepcopy(seed_document)
    last = len(document["deals"]) - 1  # written first (deals go in oldest first)
    first = 0  # written last, after every other deal was saved
    deal_id = document["deals"][first]["id"]
    document["deals"][first]["sources"][0]["quote"] = "A sentence no article contains."
    refused(
        tmp_path,
        document,
        f"deals[{first}] (id '{deal_id}'): sources[0]: quote:",
        "does not appear",
    )
    assert last != first


def test_undisclosed_amount_with_a_number_is_refused(seed_document, tmp_path):
    document = copy.deepcopy(seed_document)
    document["deals"][2]["amount_qualifier"] = "undisclosed"
    document["deals"][2]["amount_usd"] = 5
    refused(tmp_path, document, "deals[2]", "amount_usd:", "undisclosed")


def test_a_reference_to_a_missing_id_is_refused(seed_document, tmp_path):
    document = copy.deepcopy(seed_document)
    document["deals"][1]["from"] = "no-such-company"
    refused(tmp_path, document, "deals[1]", "from:", "'no-such-company'")


def test_the_same_id_twice_in_a_file_is_refused(seed_document, tmp_path):
    document = copy.deepcopy(seed_document)
    document["articles"].append(dict(document["articles"][0], source_file=""))
    # Both places are named (issue 17: the second used to be refused far from the first).
    last = len(document["articles"]) - 1
    refused(tmp_path, document, f"articles[{last}]", "articles[0] has the same id")


@pytest.mark.parametrize("name", ["companies", "clouds", "chip_platforms", "deals"])
def test_a_second_record_with_the_same_id_is_refused_naming_both(seed_document, tmp_path, name):
    """A second company with an id used to be dropped silently ("Imported 11 companies")."""
    document = copy.deepcopy(seed_document)
    first = document[name][1]
    document[name].append(dict(first, name="Someone else") if "name" in first else first)
    last = len(document[name]) - 1
    refused(
        tmp_path,
        document,
        f"{name}[{last}] (id '{first['id']}'): id: {name}[1] has the same id",
    )


def write_ascii(tmp_path, document) -> str:
    """The document as ASCII JSON (escaped), as a file holding a lone surrogate must be."""
    path = tmp_path / "escaped.json"
    path.write_text(json.dumps(document), encoding="ascii")
    return str(path)


UNSTORABLE = [
    pytest.param(("companies", 1, "name"), "Open\ud800AI", "lone surrogate", id="surrogate-name"),
    pytest.param(("deals", 2, "summary"), "\udfff", "lone surrogate", id="surrogate-summary"),
    pytest.param(("articles", 0, "title"), "a\u0000b", "Null characters", id="nul-title"),
    pytest.param(("deals", 0, "reference_url"), "https://x.org/\u0000", "Null", id="nul-url"),
]


@pytest.mark.parametrize(("where", "value", "message"), UNSTORABLE)
def test_text_no_database_stores_is_refused_naming_record_and_field(
    seed_document, tmp_path, where, value, message
):
    """No traceback: a lone surrogate in any string used to crash the import (rolled back)."""
    document = copy.deepcopy(seed_document)
    name, index, field = where
    document[name][index][field] = value
    before = counts()
    with pytest.raises(CommandError) as error:
        import_file(write_ascii(tmp_path, document))
    text = str(error.value)
    assert f"{name}[{index}] (id '{document[name][index]['id']}'): {field}: " in text
    assert message in text and "Nothing was imported" in text
    assert counts() == before


def test_a_lone_surrogate_in_an_alias_or_quote_names_its_place(seed_document):
    document = copy.deepcopy(seed_document)
    document["companies"][3]["aliases"].append("\ud800")
    with pytest.raises(ImportRefused, match=r"companies\[3\] \(id '.+'\): aliases\[\d+\]: "):
        import_document(document)
    document = copy.deepcopy(seed_document)
    document["deals"][0]["sources"][0]["quote"] += "\ud800"
    with pytest.raises(ImportRefused, match=r"deals\[0\] \(id '.+'\): sources\[0\]\.quote: "):
        import_document(document)


def test_a_term_postgresql_cannot_hold_is_refused_on_every_database(seed_document, tmp_path):
    """SQLite took 10**12 years; PostgreSQL's smallint refuses it, so both refuse it here."""
    document = copy.deepcopy(seed_document)
    document["deals"][1]["term_years"] = 10**12
    refused(tmp_path, document, "deals[1]", "term_years:", "less than or equal to 100")


def test_an_article_body_over_the_assistants_limit_is_refused(seed_document, tmp_path):
    from deals.validation import MAX_ARTICLE_BYTES

    document = copy.deepcopy(seed_document)
    document["articles"][2]["body"] += "x" * MAX_ARTICLE_BYTES
    refused(tmp_path, document, "articles[2]", "body:", "1 MB")


def test_parent_loops_are_refused(seed_document, tmp_path):
    document = copy.deepcopy(seed_document)
    a, b = document["companies"][0], document["companies"][1]
    a["parent"], b["parent"] = b["id"], a["id"]
    refused(tmp_path, document, "companies[", "loop")


# -- files that are not export documents ---------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        ('{"deals": "caf\u00e9"}'.encode("latin-1"), "not UTF-8"),
        (b"", "is empty"),
        (b"{'deals': []}", "not valid JSON"),
        (b'{"schema_version": NaN}', "not valid JSON"),
        (b"[1, 2, 3]", "not an export document"),
        (b"[" * 100_000 + b"]" * 100_000, "not"),
    ],
)
def test_files_that_are_not_json_documents_are_refused(db, tmp_path, data, expected):
    path = tmp_path / "bad.json"
    path.write_bytes(data)
    with pytest.raises(CommandError, match=expected):
        import_file(str(path))
    assert counts() == dict.fromkeys(counts(), 0)


def test_missing_top_level_lists_are_refused(db, tmp_path):
    with pytest.raises(CommandError, match="schema_version"):
        import_file(write(tmp_path, {"deals": []}))


def test_files_over_the_size_limit_are_refused(db, tmp_path, settings):
    path = write(tmp_path, {"schema_version": 1})
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (1024 * 1024 + 1))
    with pytest.raises(CommandError, match="more than the 1,048,576 bytes"):
        call_command("import_deals", str(big), "--max-size", "1")
    settings.DEALWATCH_IMPORT_MAX_BYTES = 10
    with pytest.raises(CommandError, match="more than the 10 bytes"):
        import_file(path)


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        import_file(str(tmp_path / "nope.json"))


def test_a_byte_order_mark_is_accepted():
    assert parse_bytes(b'\xef\xbb\xbf{"a": 1.5}') == {"a": Decimal("1.5")}


# -- a database that already has data ------------------------------------------------------------


def test_ids_already_in_the_database_are_refused_with_their_names(seeded, tmp_path):
    document = export_document()
    message = refused(
        tmp_path, json.loads(json.dumps(document)), "already holds", "deals:", "anthropic"
    )
    assert "delete those records first" in message


def test_new_records_may_refer_to_records_already_in_the_database(seeded, tmp_path):
    document = json.loads(json.dumps(export_document()))
    deal = copy.deepcopy(document["deals"][0])
    deal["id"] = "a-new-deal"
    new = {name: [] for name in document if name != "schema_version"}
    new["schema_version"] = 1
    new["deals"] = [deal]
    before = counts()
    assert "1 deals" in import_file(write(tmp_path, new))
    assert counts()["Deal"] == before["Deal"] + 1
    assert export_document(Deal.objects.filter(slug="a-new-deal"))["deals"][0] == deal


def test_import_document_raises_for_python_callers(db):
    with pytest.raises(ImportRefused):
        import_document({"schema_version": 2})
