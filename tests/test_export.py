"""The public export: its shape (the published JSON Schema), its content, its CSV form, its cost."""

import csv
import datetime
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import jsonschema
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from companies.models import ChipPlatform, CloudPlatform, Company
from deals.export import CSV_COLUMNS, csv_tables, document_json, export_document, number
from deals.models import (
    Article,
    DataCenterCitation,
    DataCenterProject,
    DataCenterStatusChange,
    Deal,
    DealCitation,
    DealStatusChange,
    DealTranche,
    Valuation,
    ValuationCitation,
)
from tests.factories import (
    ArticleFactory,
    ChipPlatformFactory,
    CloudPlatformFactory,
    CompanyFactory,
    DealCitationFactory,
    DealFactory,
)

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "docs" / "export.schema.json"


@pytest.fixture(scope="session")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def assert_valid(validator, document):
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def assert_references_resolve(document):
    """Every id a document mentions names an entry of that same document."""
    ids = {
        name: {entry["id"] for entry in document[name]}
        for name in document
        if name != "schema_version"
    }
    companies = ids["companies"]
    for company in document["companies"]:
        assert company["parent"] in companies | {None}
    for cloud in document["clouds"]:
        assert cloud["operator"] in companies
    for chip in document["chip_platforms"]:
        assert chip["vendor"] in companies
    cited = [s["article"] for c in document["data_centers"] for s in c["sources"]]
    for center in document["data_centers"]:
        cited += [step["article"] for step in center["status_history"] if step["article"]]
    for center in document["data_centers"]:
        assert {center["operator"], *center["tenants"]} <= companies
        assert set(center["chip_platforms"]) <= ids["chip_platforms"]
    for deal in document["deals"]:
        assert {deal["from"], deal["to"]} <= companies
        assert deal["cloud"] in ids["clouds"] | {None}
        assert deal["data_center"] in ids["data_centers"] | {None}
        assert set(deal["chip_platforms"]) <= ids["chip_platforms"]
        cited += [s["article"] for s in deal["sources"] + deal["reported_figures"]]
        cited += [c["article"] for c in deal["status_history"] if c["article"]]
    for valuation in document["valuations"]:
        assert valuation["company"] in companies
        cited += [s["article"] for s in valuation["sources"]]
    assert set(cited) <= ids["articles"]
    bodies = {article["id"]: article["body"] for article in document["articles"]}
    for deal in document["deals"]:
        for source in deal["sources"]:
            assert source["quote"] in bodies[source["article"]]


def build_deal(n: int, article: Article | None = None) -> Deal:
    """A deal using every part of the model: chips, cloud, data centre (with its history),
    tranches, history."""
    article = article or ArticleFactory(body=f"Buyer {n} pays $2 billion. Others say $3 billion.")
    cloud = CloudPlatformFactory()
    chip = ChipPlatformFactory()
    center = DataCenterProject.objects.create(
        slug=f"site-{n}",
        name=f"Site {n}",
        operator=cloud.operator,
        status=DataCenterProject.Status.PLANNED,
        power_gw=Decimal("1.500"),
        power_qualifier="about",
    )
    center.chip_platforms.add(chip)
    center.tenants.add(cloud.operator)
    DataCenterCitation.objects.create(
        data_center=center, article=article, quote=f"Buyer {n} pays $2 billion."
    )
    DataCenterStatusChange.objects.create(
        data_center=center, status="planned", changed_on=datetime.date(2024, 10, 1),
        date_precision="quarter", article=article, quote=f"Buyer {n} pays $2 billion.",
    )  # fmt: skip
    deal = DealFactory(
        slug=f"buyer-{n}-cloud-{n}",
        deal_type=Deal.Type.COMPUTE_COMMITMENT,
        payee=cloud.operator,
        cloud=cloud,
        data_center=center,
        term_years=7,
        amount_usd=Decimal("2000000000.00"),
    )
    deal.chip_platforms.add(chip)
    DealCitation.objects.create(
        deal=deal,
        article=article,
        quote=f"Buyer {n} pays $2 billion.",
        reported_amount_usd=Decimal("2000000000"),
        reported_amount_qualifier="exact",
    )
    DealCitation.objects.create(
        deal=deal,
        article=article,
        quote="Others say $3 billion.",
        reported_amount_usd=Decimal("3000000000"),
        reported_amount_qualifier="about",
    )
    DealTranche.objects.create(
        deal=deal,
        amount_usd=Decimal("500000000.50"),
        paid_on=datetime.date(2025, 3, 1),
        date_precision="month",
        reference_url="https://example.com/tranche",
    )
    DealStatusChange.objects.create(
        deal=deal, status="announced", changed_on=datetime.date(2025, 1, 1), article=article
    )
    valuation = Valuation.objects.create(
        company=deal.payer, amount_usd=Decimal("1E10"), as_of=datetime.date(2025, 2, 1)
    )
    ValuationCitation.objects.create(
        valuation=valuation, article=article, quote=f"Buyer {n} pays $2 billion."
    )
    return deal


# ---------------------------------------------------------------------------------------------
# Numbers


def test_whole_amounts_are_integers_and_fractions_exact():
    assert number(Decimal("8000000000.00")) == 8000000000
    assert isinstance(number(Decimal("8000000000.00")), int)
    assert json.dumps(number(Decimal("1.500"))) == "1.5"
    assert json.dumps(number(Decimal("0.10"))) == "0.1"
    assert number(None) is None


@given(st.decimals(min_value=0, max_value=Decimal("9999999999999.99"), places=2))
def test_every_amount_reads_back_exactly(amount):
    assert Decimal(json.dumps(number(amount))) == amount


# ---------------------------------------------------------------------------------------------
# Built from factories


@pytest.mark.django_db
def test_export_of_a_full_deal_validates_and_keeps_every_part(validator):
    deal = build_deal(1)
    document = export_document()
    assert_valid(validator, document)
    assert_references_resolve(document)

    [entry] = document["deals"]
    assert entry["id"] == deal.slug
    assert entry["type"] == "compute_commitment"
    assert (entry["from"], entry["to"]) == (deal.payer.slug, deal.payee.slug)
    assert entry["amount_usd"] == 2_000_000_000 and isinstance(entry["amount_usd"], int)
    assert entry["term_years"] == 7
    assert entry["tranches"][0]["amount_usd"] == 500000000.5
    assert entry["status_history"][0]["status"] == "announced"
    # Two sources disagree on the amount: each figure is listed with its source.
    assert [(f["value"], f["qualifier"]) for f in entry["reported_figures"]] == [
        (2_000_000_000, "exact"),
        (3_000_000_000, "about"),
    ]
    assert document["data_centers"][0]["power_gw"] == 1.5
    [step] = document["data_centers"][0]["status_history"]
    assert (step["status"], step["changed_on"], step["date_precision"]) == (
        "planned",
        "2024-10-01",
        "quarter",
    )
    assert step["quote"] == "Buyer 1 pays $2 billion." and step["article"]
    assert document["valuations"][0]["id"] == f"{deal.payer.slug}-2025-02-01"


@pytest.mark.django_db
def test_sources_that_agree_report_no_disagreement():
    citation = DealCitationFactory(
        reported_amount_usd=Decimal("1000000000"), reported_amount_qualifier="exact"
    )
    DealCitation.objects.create(
        deal=citation.deal,
        article=citation.article,
        quote="Beta will buy compute from Gamma.",
    )
    [entry] = export_document()["deals"]
    assert len(entry["sources"]) == 2
    assert entry["reported_figures"] == []


@pytest.mark.django_db
def test_company_aliases_list_every_spelling():
    company = CompanyFactory(slug="anthropic", name="Anthropic", name_ar="أنثروبيك")
    company.aliases.create(name="إنتروبيك")
    [entry] = export_document()["companies"]
    assert set(entry["aliases"]) == {"Anthropic", "أنثروبيك", "إنتروبيك"}


@pytest.mark.django_db
def test_a_filtered_export_holds_only_what_its_deals_reference(validator):
    parent = CompanyFactory(slug="alphabet", kind=Company.Kind.INVESTOR)
    kept = build_deal(1)
    kept.payer.parent = parent
    kept.payer.save()
    dropped = build_deal(2)
    CompanyFactory(slug="bystander")
    ArticleFactory(slug="uncited")

    document = export_document(Deal.objects.filter(pk=kept.pk))
    assert_valid(validator, document)
    assert_references_resolve(document)
    assert [d["id"] for d in document["deals"]] == [kept.slug]
    companies = {c["id"] for c in document["companies"]}
    assert {kept.payer.slug, kept.payee.slug, "alphabet"} <= companies
    assert not companies & {dropped.payer.slug, dropped.payee.slug, "bystander"}
    assert [c["id"] for c in document["clouds"]] == [kept.cloud.slug]
    assert [c["id"] for c in document["data_centers"]] == [kept.data_center.slug]
    assert {v["company"] for v in document["valuations"]} == {kept.payer.slug}
    assert "uncited" not in {a["id"] for a in document["articles"]}


@pytest.mark.django_db
def test_a_filtered_export_holds_the_articles_its_sites_status_changes_cite(validator):
    kept, dropped = build_deal(1), build_deal(2)
    for deal in (kept, dropped):
        news = ArticleFactory(slug=f"{deal.slug}-site-news", body="The site is running.")
        DataCenterStatusChange.objects.create(
            data_center=deal.data_center,
            status="operational",
            changed_on=datetime.date(2025, 6, 1),
            date_precision="month",
            article=news,
            quote="The site is running.",
        )
    document = export_document(Deal.objects.filter(pk=kept.pk))
    assert_valid(validator, document)
    assert_references_resolve(document)
    articles = {a["id"] for a in document["articles"]}
    assert f"{kept.slug}-site-news" in articles and f"{dropped.slug}-site-news" not in articles
    [site] = document["data_centers"]
    assert [step["status"] for step in site["status_history"]] == ["planned", "operational"]


@pytest.mark.django_db
def test_a_timeline_queryset_can_be_exported_in_its_order():
    older = DealFactory(announced_on=datetime.date(2024, 1, 1))
    newer = DealFactory(announced_on=datetime.date(2025, 1, 1))
    DealCitationFactory(deal=newer)
    document = export_document(Deal.objects.timeline())
    assert [d["id"] for d in document["deals"]] == [newer.slug, older.slug]


@pytest.mark.django_db
def test_export_queries_do_not_grow_with_the_number_of_deals(
    django_assert_num_queries, monkeypatch
):
    # Deals are read two at a time: more deals means more chunks of one query, not more queries.
    monkeypatch.setattr("deals.export.rows.DEAL_CHUNK_SIZE", 2)
    article = ArticleFactory(body=" ".join(f"Buyer {n} pays $2 billion." for n in range(30)))
    article.body += " Others say $3 billion."
    article.save()
    for n in range(3):
        build_deal(n, article)
    with CaptureQueriesContext(connection) as everything:
        assert len(export_document()["deals"]) == 3
    with CaptureQueriesContext(connection) as filtered:
        assert len(export_document(Deal.objects.filter(slug__startswith="buyer-1"))["deals"]) == 1
    for n in range(3, 30):
        build_deal(n, article)
    with django_assert_num_queries(len(everything.captured_queries)):
        assert len(export_document()["deals"]) == 30
    with django_assert_num_queries(len(filtered.captured_queries)):
        assert len(export_document(Deal.objects.filter(slug__startswith="buyer-1"))["deals"]) == 11


@pytest.mark.django_db
def test_every_model_field_is_exported():
    """A field added to a model must reach the export, or the round trip would lose it."""
    build_deal(1)
    document = export_document()
    # Bookkeeping, not facts: the database id, timestamps, the edit-lock counter.
    internal = {"id", "created_at", "updated_at", "added_at", "version", "search_key"}
    renamed = {
        "slug": "id",
        "deal_type": "type",
        "payer": "from",
        "payee": "to",
    }
    deal = document["deals"][0]
    # A nested entry sits inside its owner's, so it does not repeat the owner's id.
    owner = {DealTranche: "deal", DealStatusChange: "deal", DealCitation: "deal"}
    owner[DataCenterStatusChange] = "data_center"
    cases = [
        (Company, document["companies"][0], {"aliases"}),
        (CloudPlatform, document["clouds"][0], set()),
        (ChipPlatform, document["chip_platforms"][0], set()),
        (DataCenterProject, document["data_centers"][0], {"sources", "status_history"}),
        (Article, document["articles"][0], set()),
        (Deal, deal, {"sources", "tranches", "status_history"}),
        (Valuation, document["valuations"][0], {"sources"}),
        (DealTranche, deal["tranches"][0], set()),
        (DealStatusChange, deal["status_history"][0], set()),
        (DataCenterStatusChange, document["data_centers"][0]["status_history"][0], set()),
        (DealCitation, deal["sources"][0], set()),
    ]
    for model, entry, reverse_relations in cases:
        fields = {
            field.name
            for field in model._meta.get_fields()
            if (field.concrete or field.many_to_many) and not field.auto_created
        }
        fields -= internal | {owner.get(model)}
        missing = {renamed.get(name, name) for name in fields} - set(entry)
        missing |= reverse_relations - set(entry)
        assert not missing, f"{model.__name__} fields missing from the export: {missing}"


@pytest.mark.django_db
def test_json_text_reads_back_as_the_document_one_entry_per_line(validator, monkeypatch):
    monkeypatch.setattr("deals.export.stream.JSON_ENTRIES_PER_PIECE", 2)
    for n in range(5):
        build_deal(n)
    document = export_document()
    text = "".join(document_json(document))
    assert json.loads(text) == document
    lines = text.splitlines()
    assert lines[1] == '"schema_version": 1,'
    deals_at = lines.index('"deals": [')
    assert [json.loads(line.rstrip(","))["id"] for line in lines[deals_at + 1 : deals_at + 6]] == [
        deal["id"] for deal in document["deals"]
    ]
    assert "أ" in "".join(document_json({"names": [{"name_ar": "أنثروبيك"}], "empty": []}))
    assert json.loads("".join(document_json({"names": [], "n": 1}))) == {"names": [], "n": 1}


# ---------------------------------------------------------------------------------------------
# CSV and the command


@pytest.mark.django_db
def test_csv_tables_flatten_lists_and_nest_sources_by_deal():
    deal = build_deal(1)
    deal.chip_platforms.add(ChipPlatformFactory(slug="zz-chip"))
    tables = csv_tables(export_document())
    assert set(tables) == set(CSV_COLUMNS)
    [row] = tables["deals"]
    assert list(row) == CSV_COLUMNS["deals"]
    assert row["chip_platforms"] == f"{deal.chip_platforms.order_by('slug')[0].slug}|zz-chip"
    assert row["cloud"] == deal.cloud.slug
    assert [(r["deal"], r["position"]) for r in tables["deal_sources"]] == [
        (deal.slug, 1),
        (deal.slug, 2),
    ]
    assert len(tables["deal_reported_figures"]) == 2
    assert tables["deal_tranches"][0]["amount_usd"] == 500000000.5
    assert tables["valuation_sources"][0]["valuation"] == tables["valuations"][0]["id"]
    assert tables["data_center_sources"][0]["data_center"] == deal.data_center.slug
    [step] = tables["data_center_status_history"]
    assert (step["data_center"], step["position"], step["status"]) == (
        deal.data_center.slug,
        1,
        "planned",
    )


@pytest.mark.django_db
def test_command_writes_one_csv_per_table_with_headers(tmp_path):
    deal = build_deal(1)
    out = tmp_path / "export"
    call_command("export_deals", "--format", "csv", "--output", str(out), stderr=StringIO())
    assert sorted(p.stem for p in out.glob("*.csv")) == sorted(CSV_COLUMNS)
    for name, columns in CSV_COLUMNS.items():
        with (out / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            assert reader.fieldnames == columns
            rows = list(reader)
        if name == "deals":
            assert rows[0]["id"] == deal.slug
            assert rows[0]["amount_usd"] == "2000000000"
            assert rows[0]["starts_on"] == ""


@pytest.mark.django_db
def test_command_refuses_a_directory_it_cannot_write(tmp_path):
    a_file = tmp_path / "taken"
    a_file.write_text("not a directory")
    with pytest.raises(CommandError, match="Cannot write CSV files"):
        call_command("export_deals", "--format", "csv", "--output", str(a_file))
    with pytest.raises(CommandError, match="needs --output"):
        call_command("export_deals", "--format", "csv")


@pytest.mark.django_db
def test_command_json_equals_export_document(tmp_path):
    build_deal(1)
    out = StringIO()
    call_command("export_deals", stdout=out)
    assert json.loads(out.getvalue()) == export_document()
    call_command(
        "export_deals", "--indent", "-1", "--output", str(tmp_path / "d.json"), stderr=StringIO()
    )
    assert json.loads((tmp_path / "d.json").read_text(encoding="utf-8")) == export_document()


# ---------------------------------------------------------------------------------------------
# The seed


def seed_deal(document, payer, payee, deal_type):
    matches = [
        d for d in document["deals"] if (d["from"], d["to"], d["type"]) == (payer, payee, deal_type)
    ]
    assert matches, f"no {deal_type} from {payer} to {payee} in the seed export"
    return matches


def test_seed_export_validates_and_holds_the_key_deals(seeded, validator):
    document = export_document()
    assert_valid(validator, document)
    assert_references_resolve(document)
    assert {a["source_file"] for a in document["articles"]} >= {"000_b676b70c7d5b3799.txt"}

    def figures(payer, payee, deal_type):
        return {
            (d["amount_usd"], d["amount_qualifier"]): d
            for d in seed_deal(document, payer, payee, deal_type)
        }

    assert (8_000_000_000, "exact") in figures("amazon", "anthropic", "investment")
    assert (3_000_000_000, "more_than") in figures("google", "anthropic", "investment")
    assert (10_000_000_000, "up_to") in figures("nvidia", "anthropic", "investment")
    assert (5_000_000_000, "up_to") in figures("microsoft", "anthropic", "investment")
    in_talks = figures("amazon", "openai", "investment")[(10_000_000_000, "about")]
    assert in_talks["status"] == "in_talks"
    aws = [d for d in document["deals"] if d["from"] == "openai" and d["cloud"] == "aws"]
    assert [(d["amount_usd"], d["term_years"]) for d in aws] == [(38_000_000_000, 7)]

    azure = figures("anthropic", "microsoft", "compute_commitment")[(30_000_000_000, "exact")]
    reported = azure["reported_figures"]
    assert len({f["article"] for f in reported}) >= 2
    assert len({(f["value"], f["qualifier"]) for f in reported}) >= 2
    assert all(f["quote"] for f in reported)


def test_seed_export_ids_are_stable_across_reloads(django_db_blocker, transactional_db):
    def load_and_export():
        call_command("flush", "--noinput", verbosity=0)
        call_command("loaddata", "seed", verbosity=0)
        return export_document()

    first, second = load_and_export(), load_and_export()
    assert first == second
    assert all(deal["id"] for deal in first["deals"])


# ---------------------------------------------------------------------------------------------
# CSV safety: no text cell a spreadsheet would run as a formula

FORMULAS = [
    '=HYPERLINK("https://example.org","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.django_db
def test_command_csv_neutralises_formulas_in_every_text_cell(tmp_path):
    deal = build_deal(1)
    company = deal.payer
    Company.objects.filter(pk=company.pk).update(name=FORMULAS[0], name_ar=FORMULAS[3])
    company.aliases.create(name=FORMULAS[1])
    Article.objects.filter(dealcitations__deal=deal).update(title=FORMULAS[2])
    Deal.objects.filter(pk=deal.pk).update(summary=FORMULAS[4], summary_ar=FORMULAS[5])
    for position, citation in enumerate(DealCitation.objects.filter(deal=deal)):
        DealCitation.objects.filter(pk=citation.pk).update(quote=f"{FORMULAS[3]} {position}")
    document = export_document()
    out = tmp_path / "export"
    call_command("export_deals", "--format", "csv", "--output", str(out), stderr=StringIO())

    def rows(name):
        with (out / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    [payer] = [row for row in rows("companies") if row["id"] == company.slug]
    assert payer["name"] == "'" + FORMULAS[0]
    assert payer["name_ar"] == "'" + FORMULAS[3]
    assert payer["aliases"].startswith("'")  # the cell begins with the "+1+cmd" spelling
    assert FORMULAS[1] in payer["aliases"]
    assert {row["title"] for row in rows("articles")} == {"'" + FORMULAS[2]}
    [deal_row] = rows("deals")
    assert (deal_row["summary"], deal_row["summary_ar"]) == ("'" + FORMULAS[4], "'" + FORMULAS[5])
    assert {row["quote"] for row in rows("deal_sources")} == {
        f"'{FORMULAS[3]} 0",
        f"'{FORMULAS[3]} 1",
    }
    # Numbers stay numbers; the JSON keeps every text exactly.
    assert deal_row["amount_usd"] == "2000000000" and deal_row["term_years"] == "7"
    assert {row["amount_usd"] for row in rows("deal_tranches")} == {"500000000.5"}
    assert document["deals"][0]["summary"] == FORMULAS[4]
    assert {c["name"] for c in document["companies"]} >= {FORMULAS[0]}


@pytest.mark.parametrize("text", FORMULAS)
def test_a_cell_that_starts_like_a_formula_gets_a_leading_apostrophe(text):
    from deals.export import spreadsheet_text

    assert spreadsheet_text(text) == "'" + text
    assert spreadsheet_text("Anthropic = AI lab") == "Anthropic = AI lab"
    assert spreadsheet_text("") == ""
    assert spreadsheet_text("أمازون") == "أمازون"
