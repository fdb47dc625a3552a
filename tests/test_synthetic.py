"""`manage.py seed_synthetic`: deterministic, realistic, valid and counted synthetic data."""

import io
import json
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from companies.models import ChipPlatform, CloudPlatform, Company, CompanyAlias
from companies.text import compact_name, normalize_name
from deals.models import (
    Article,
    Deal,
    DealCitation,
    DealStatusChange,
    DealType,
    Qualifier,
    Valuation,
    ValuationCitation,
)
from tests.factories import DealFactory

ARABIC = re.compile("[\u0600-\u06ff]")
SMALL = {"companies": 50, "deals": 500, "seed": 7}


def seed_synthetic(**options) -> dict:
    out = io.StringIO()
    call_command("seed_synthetic", no_progress=True, stdout=out, **options)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1, "the command prints exactly one JSON line"
    return json.loads(lines[0])


def dump() -> dict:
    """The synthetic data by slug (not by id), as a benchmark or a reader would see them."""
    chips = Counter()
    for deal_slug, chip_slug in Deal.chip_platforms.through.objects.values_list(
        "deal__slug", "chipplatform__slug"
    ):
        chips[(deal_slug, chip_slug)] += 1
    return {
        "companies": list(
            Company.objects.order_by("slug").values_list(
                "slug", "name", "name_ar", "kind", "parent__slug"
            )
        ),
        "aliases": sorted(CompanyAlias.objects.values_list("company__slug", "name", "compact")),
        "clouds": list(
            CloudPlatform.objects.order_by("slug").values_list("slug", "name", "operator__slug")
        ),
        "chips": list(
            ChipPlatform.objects.order_by("slug").values_list("slug", "name", "vendor__slug")
        ),
        "deals": list(
            Deal.objects.order_by("slug").values_list(
                "slug",
                "deal_type",
                "payer__slug",
                "payee__slug",
                "cloud__slug",
                "amount_usd",
                "amount_qualifier",
                "power_gw",
                "power_qualifier",
                "term_years",
                "status",
                "announced_on",
                "date_precision",
                "starts_on",
                "ends_on",
                "summary",
                "summary_ar",
            )
        ),
        "chip_links": sorted(chips.items()),
        "articles": list(
            Article.objects.order_by("slug").values_list(
                "slug", "title", "language", "published_on", "body"
            )
        ),
        "citations": sorted(
            DealCitation.objects.values_list(
                "deal__slug", "article__slug", "quote", "reported_amount_usd"
            ),
            key=repr,
        ),
        "status": sorted(
            DealStatusChange.objects.values_list(
                "deal__slug", "status", "changed_on", "article__slug", "quote"
            ),
            key=repr,
        ),
        "valuations": sorted(
            Valuation.objects.values_list("company__slug", "amount_usd", "as_of", "is_projection"),
            key=repr,
        ),
    }


@pytest.fixture
def small(db):
    return seed_synthetic(**SMALL)


def deal_counts() -> Counter:
    counts = Counter()
    for payer, payee in Deal.objects.values_list("payer__slug", "payee__slug"):
        counts[payer] += 1
        counts[payee] += 1
    return counts


def test_the_same_seed_gives_identical_data(db):
    first_json = seed_synthetic(**SMALL)
    first = dump()
    second_json = seed_synthetic(**SMALL, flush=True)
    assert second_json == first_json
    assert dump() == first


def test_another_seed_gives_other_data(small):
    first = dump()
    seed_synthetic(**(SMALL | {"seed": 8}), flush=True)
    other = dump()
    assert other["deals"] != first["deals"]
    assert other["companies"] != first["companies"]


def test_every_write_method_writes_the_same_data(db):
    methods = ["insert", "bulk"] + (["copy"] if connection.vendor == "postgresql" else [])
    dumps = []
    for method in methods:
        seed_synthetic(**SMALL, method=method, batch_size=97, flush=True)
        dumps.append(dump())
    assert all(d == dumps[0] for d in dumps[1:])


def test_counts_match_the_json_line(small):
    assert small["companies"] == Company.objects.filter(slug__startswith="syn-co-").count() == 50
    assert small["deals"] == Deal.objects.count() == 500
    assert small["articles"] == Article.objects.count()
    assert small["citations"] == DealCitation.objects.count()
    assert small["valuations"] == Valuation.objects.count() > 0
    assert small["valuation_citations"] == ValuationCitation.objects.count()
    assert small["status_changes"] == DealStatusChange.objects.count() == 500
    assert small["aliases"] == CompanyAlias.objects.count()
    assert small["clouds"] == CloudPlatform.objects.count()
    assert small["chips"] == ChipPlatform.objects.count()
    assert small["chip_links"] == Deal.chip_platforms.through.objects.count()
    # About one article per twenty deals, plus the valuation histories.
    assert 15 <= small["articles"] - Valuation.objects.values("company").distinct().count() <= 50


def test_hubs_are_the_companies_with_the_most_deals_and_the_tail_has_few(small):
    counts = deal_counts()
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    assert small["hubs"] == [slug for slug, _ in ranked[:3]]
    # A power law: the three hubs take part in a large share of all deals.
    assert sum(counts[slug] for slug in small["hubs"]) > 0.5 * Deal.objects.count()
    tail = counts[small["tail"]]
    assert 1 <= tail <= sorted(counts.values())[len(counts) // 2]
    assert tail == min(counts.values())


def test_every_quote_is_an_exact_sentence_of_its_article(small):
    bodies = dict(Article.objects.values_list("id", "body"))
    citations = list(DealCitation.objects.values_list("article_id", "quote"))
    citations += list(DealStatusChange.objects.values_list("article_id", "quote"))
    citations += list(ValuationCitation.objects.values_list("article_id", "quote"))
    assert citations
    for article_id, quote in citations:
        assert quote and quote in bodies[article_id]
    assert not Deal.objects.filter(citations=None).exists()
    assert not Deal.objects.filter(status_history=None).exists()


def test_a_sample_passes_every_model_validation(small):
    samples = [
        *Company.objects.order_by("?")[:20],
        *CompanyAlias.objects.order_by("?")[:20],
        *CloudPlatform.objects.all(),
        *ChipPlatform.objects.all(),
        *Article.objects.order_by("?")[:5],
        *Deal.objects.order_by("?")[:60],
        *DealCitation.objects.order_by("?")[:60],
        *DealStatusChange.objects.order_by("?")[:60],
        *Valuation.objects.all(),
        *ValuationCitation.objects.all(),
    ]
    for obj in samples:
        obj.full_clean()


def test_deals_look_like_the_real_world(small):
    deals = list(Deal.objects.select_related("payer", "payee", "cloud__operator"))
    types = Counter(d.deal_type for d in deals)
    assert 0.5 < types[DealType.INVESTMENT] / 500 < 0.7
    assert 0.25 < types[DealType.COMPUTE_COMMITMENT] / 500 < 0.45
    assert types[DealType.CHIP_SUPPLY] > 0
    undisclosed = [d for d in deals if d.amount_qualifier == Qualifier.UNDISCLOSED]
    assert 0.04 < len(undisclosed) / 500 < 0.18
    assert all(d.amount_usd is None for d in undisclosed)
    amounts = [d.amount_usd for d in deals if d.amount_usd is not None]
    assert min(amounts) >= 1_000_000 and max(amounts) <= 100_000_000_000
    assert all(a == a.quantize(a.__class__("0.01")) for a in amounts)
    assert len({d.status for d in deals}) >= 5
    assert len({d.date_precision for d in deals}) == 3
    years = {d.announced_on.year for d in deals}
    assert len(years) >= 9
    for deal in deals:
        assert deal.payer_id != deal.payee_id
        if deal.deal_type == DealType.COMPUTE_COMMITMENT:
            assert deal.cloud.operator_id in (deal.payee_id, deal.payee.parent_id)
        else:
            assert deal.cloud is None
    chip_supply = Deal.objects.filter(deal_type=DealType.CHIP_SUPPLY).prefetch_related(
        "chip_platforms"
    )
    for deal in chip_supply:
        assert deal.chip_platforms.all()
        assert {chip.vendor_id for chip in deal.chip_platforms.all()} == {deal.payee_id}
    assert Deal.objects.exclude(power_gw=None).exists() or types["compute_commitment"] < 50


def test_companies_have_english_and_arabic_names_that_resolve(small):
    companies = list(Company.objects.filter(slug__startswith="syn-co-"))
    assert len({c.kind for c in companies}) == 6
    assert any(c.parent_id for c in companies)
    for company in companies:
        assert company.name.isascii() and ARABIC.search(company.name_ar)
        assert Company.objects.resolve(company.name_ar) == company
        assert Company.objects.resolve(company.name) == company
    alias = CompanyAlias.objects.order_by("?").first()
    assert alias.normalized == normalize_name(alias.name)
    assert alias.compact == compact_name(alias.name)
    assert Article.objects.filter(language="ar").exists()
    assert Article.objects.filter(language="en").exists()


def test_the_database_accepts_new_rows_afterwards(small):
    # On PostgreSQL the id sequences must have been moved past the explicit ids.
    deal = DealFactory()
    assert deal.pk > Deal.objects.filter(slug__startswith="syn-deal-").order_by("-pk")[0].pk


def test_it_refuses_to_run_twice_without_flush(small):
    with pytest.raises(CommandError, match="already exist.*--flush"):
        seed_synthetic(**SMALL)
    assert Deal.objects.count() == 500


def test_zero_deals_still_makes_companies(db):
    result = seed_synthetic(companies=10, deals=0, seed=1)
    assert result["deals"] == 0 and result["companies"] == 10
    assert len(result["hubs"]) == 3 and result["tail"]


def test_it_coexists_with_the_seed_fixture(db):
    call_command("loaddata", "seed", verbosity=0)
    real = dict(Deal.objects.values_list("slug", "amount_usd"))
    max_id = max(Deal.objects.values_list("id", flat=True), default=0)
    result = seed_synthetic(companies=20, deals=100, seed=2)
    assert dict(
        Deal.objects.exclude(slug__startswith="syn-").values_list("slug", "amount_usd")
    ) == (real)
    assert Deal.objects.filter(slug__startswith="syn-", id__lte=max_id).count() == 0
    assert result["deals"] == 100
    seed_synthetic(companies=20, deals=50, seed=2, flush=True)
    assert Deal.objects.exclude(slug__startswith="syn-").count() == len(real)
    assert Deal.objects.filter(slug__startswith="syn-").count() == 50


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"companies": 5, "deals": 10}, "at least 10"),
        ({"companies": 10, "deals": -1}, "--deals"),
        ({"companies": 10, "deals": 10, "seed": -3}, "--seed"),
        ({"companies": 10, "deals": 10, "batch_size": 0}, "--batch-size"),
        ({"companies": 10**7, "deals": 10}, "at most"),
    ],
)
def test_bad_arguments_give_a_clear_error(db, options, message):
    with pytest.raises(CommandError, match=message):
        seed_synthetic(**options)
    assert not Deal.objects.exists()


def test_bad_argument_text_is_rejected(db):
    with pytest.raises(CommandError):
        call_command("seed_synthetic", "--companies", "many", stdout=io.StringIO())


@pytest.mark.skipif(connection.vendor == "postgresql", reason="COPY works on PostgreSQL")
def test_copy_is_refused_outside_postgresql(db):
    with pytest.raises(CommandError, match="PostgreSQL"):
        seed_synthetic(companies=10, deals=10, method="copy")


def test_big_loads_rebuild_the_indexes_they_drop(db, monkeypatch):
    from synthetic import generator

    tables = [
        model._meta.db_table
        for model in (Deal, DealCitation, DealStatusChange, Deal.chip_platforms.through)
    ]

    def schema():
        with connection.cursor() as cursor:
            return {
                table: connection.introspection.get_constraints(cursor, table) for table in tables
            }

    before = schema()
    seed_synthetic(**SMALL, keep_indexes=True)
    kept = dump()
    monkeypatch.setattr(generator, "REBUILD_THRESHOLD", 0)
    seed_synthetic(**SMALL, flush=True)
    assert dump() == kept
    assert schema() == before
    assert any(not c["unique"] and c["index"] for c in before[Deal._meta.db_table].values())
