"""The seed fixture: five Arabic articles, verbatim, and every deal they report, each cited."""

import datetime
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from companies.models import ChipPlatform, CloudPlatform, Company, CompanyAlias
from companies.text import compact_name, normalize_name
from deals.models import (
    Article,
    DataCenterCitation,
    DataCenterProject,
    Deal,
    DealCitation,
    DealStatusChange,
    Valuation,
    ValuationCitation,
)

SEED_JSON = Path(settings.BASE_DIR) / "fixtures" / "seed.json"
B = Decimal(1_000_000_000)


def seed_models():
    """The models the fixture holds, in the order they first appear in it."""
    labels = dict.fromkeys(row["model"] for row in json.loads(SEED_JSON.read_bytes()))
    return [apps.get_model(label) for label in labels]


def dump_seed_models() -> str:
    out = io.StringIO()
    labels = [m._meta.label_lower for m in seed_models()]
    call_command("dumpdata", *labels, indent=1, stdout=out)
    return out.getvalue()


# --- loading ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_loads_into_an_empty_database():
    assert all(not m.objects.exists() for m in seed_models())
    call_command("loaddata", "seed", verbosity=0)
    rows = json.loads(SEED_JSON.read_bytes())
    for model in seed_models():
        expected = sum(1 for r in rows if r["model"] == model._meta.label_lower)
        assert model.objects.count() == expected, model


@pytest.mark.django_db
def test_loading_the_seed_twice_changes_nothing():
    call_command("loaddata", "seed", verbosity=0)
    first = dump_seed_models()
    counts = {m: m.objects.count() for m in seed_models()}
    through = Deal.chip_platforms.through.objects.count()
    call_command("loaddata", "seed", verbosity=0)
    assert dump_seed_models() == first
    assert {m: m.objects.count() for m in seed_models()} == counts
    assert Deal.chip_platforms.through.objects.count() == through


@pytest.mark.usefixtures("seeds_dir")  # the build script reads them
def test_the_build_script_reproduces_the_committed_fixture(tmp_path, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_seed", Path(settings.BASE_DIR) / "fixtures" / "build_seed.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUTPUT", tmp_path / "seed.json")
    monkeypatch.setattr(module, "BASE_DIR", tmp_path)
    module.main()
    assert (tmp_path / "seed.json").read_bytes() == SEED_JSON.read_bytes()


def test_every_loaded_object_passes_model_validation(seeded):
    checked = 0
    for model in seed_models():
        for obj in model.objects.all():
            obj.full_clean()
            checked += 1
    assert checked == len(json.loads(SEED_JSON.read_bytes()))


# --- the articles ----------------------------------------------------------------------------


def test_each_article_body_is_the_seed_file_byte_for_byte(seeded, seeds_dir):
    files = sorted(p.name for p in seeds_dir.glob("*.txt"))
    assert sorted(Article.objects.values_list("source_file", flat=True)) == files
    for article in Article.objects.all():
        assert article.body.encode("utf-8") == (seeds_dir / article.source_file).read_bytes()
        assert article.language == "ar"
        assert article.published_on is not None
        assert article.title and article.title in article.body


def test_every_quote_is_an_exact_substring_of_its_article(seeded):
    quotes = [
        *DealCitation.objects.select_related("article"),
        *ValuationCitation.objects.select_related("article"),
        *DataCenterCitation.objects.select_related("article"),
        *DealStatusChange.objects.exclude(article=None).select_related("article"),
    ]
    assert len(quotes) > 30
    for item in quotes:
        assert item.quote, item
        assert item.quote in item.article.body, item.quote


def test_every_deal_valuation_and_data_centre_cites_an_article(seeded):
    for deal in Deal.objects.all():
        assert deal.citations.exists(), deal.slug
        assert deal.summary and deal.summary_ar, deal.slug
    for valuation in Valuation.objects.all():
        assert valuation.citations.exists(), valuation
    for project in DataCenterProject.objects.all():
        assert project.citations.exists(), project.slug


def test_every_article_is_cited(seeded):
    for article in Article.objects.all():
        assert article.dealcitations.exists(), article.slug


# --- companies, clouds, chips ----------------------------------------------------------------

SPELLINGS = [
    ("Anthropic", "anthropic"),
    ("أنثروبيك", "anthropic"),
    ("إنتروبيك", "anthropic"),
    ("انثروبيك", "anthropic"),
    ("إنفيديا", "nvidia"),
    ("نفيديا", "nvidia"),
    ("NVIDIA", "nvidia"),
    ("غوغل", "google"),
    ("جوجل", "google"),
    ("أوبن إيه آي", "openai"),
    ("OpenAI", "openai"),
    ("Open AI", "openai"),
    ("أمازون", "amazon"),
    ("أمازون ويب سيرفيسز", "aws"),
    ("خدمات أمازون السحابية", "aws"),
    ("خدمات أمازون ويب", "aws"),
    ("AWS", "aws"),
    ("مايكروسوفت", "microsoft"),
    ("مايكروسوفت أزور", "microsoft"),
    ("أزور", "microsoft"),
    ("Azure", "microsoft"),
    ("أوراكل", "oracle"),
    ("AMD", "amd"),
    ("سوفت بانك", "softbank"),
]


@pytest.mark.parametrize(("spelling", "slug"), SPELLINGS)
def test_reader_finds_the_company_by_any_spelling_the_articles_use(seeded, spelling, slug):
    company = Company.objects.resolve(spelling)
    assert company is not None, spelling
    assert company.slug == slug


def test_aws_is_an_amazon_cloud_provider_and_its_cloud(seeded):
    aws = Company.objects.get(slug="aws")
    assert aws.parent.slug == "amazon"
    assert aws.kind == Company.Kind.CLOUD_PROVIDER
    operators = dict(CloudPlatform.objects.values_list("slug", "operator__slug"))
    assert operators == {
        "aws": "aws",
        "azure": "microsoft",
        "google-cloud": "google",
        "oracle-cloud": "oracle",
    }


def test_alias_search_keys_match_the_normalisation_functions(seeded):
    assert CompanyAlias.objects.count() > 20
    for alias in CompanyAlias.objects.all():
        assert alias.normalized == normalize_name(alias.name), alias.name
        assert alias.compact == compact_name(alias.name), alias.name


def test_every_company_name_is_also_an_alias(seeded):
    for company in Company.objects.prefetch_related("aliases"):
        names = {a.name for a in company.aliases.all()}
        assert {company.name, company.name_ar} <= names, company.slug


@pytest.mark.parametrize(
    ("spelling", "slug", "vendor"),
    [
        ("غريس بلاكويل", "grace-blackwell", "nvidia"),
        ("Grace Blackwell", "grace-blackwell", "nvidia"),
        ("فيرا روبين", "vera-rubin", "nvidia"),
        ("Vera Rubin", "vera-rubin", "nvidia"),
        ("تراينيوم", "trainium", "amazon"),
        ("Trainium2", "trainium2", "amazon"),
        ("Trillium", "trillium", "google"),
    ],
)
def test_chip_platforms_are_found_by_the_articles_spellings(seeded, spelling, slug, vendor):
    found = {chip.slug: chip for chip in ChipPlatform.objects.matching(spelling)}
    assert slug in found
    assert found[slug].vendor.slug == vendor


# --- the deals the articles report -----------------------------------------------------------

DEALS = [
    # slug, type, payer, payee, amount, qualifier, status, cloud
    ("amazon-anthropic-investment-8b", "investment", "amazon", "anthropic", 8 * B, "exact",
     "completed", None),
    ("amazon-anthropic-new-investment-2025", "investment", "amazon", "anthropic", None,
     "undisclosed", "rumored", None),
    ("google-anthropic-investment-3b", "investment", "google", "anthropic", 3 * B, "more_than",
     "completed", None),
    ("nvidia-anthropic-investment-10b", "investment", "nvidia", "anthropic", 10 * B, "up_to",
     "announced", None),
    ("microsoft-anthropic-investment-5b", "investment", "microsoft", "anthropic", 5 * B, "up_to",
     "announced", None),
    ("anthropic-azure-compute-30b", "compute_commitment", "anthropic", "microsoft", 30 * B,
     "exact", "signed", "azure"),
    ("amazon-openai-investment-10b", "investment", "amazon", "openai", 10 * B, "about",
     "in_talks", "aws"),
    ("openai-aws-compute-38b", "compute_commitment", "openai", "aws", 38 * B, "exact", "signed",
     "aws"),
    ("anthropic-aws-compute-project-rainier", "compute_commitment", "anthropic", "aws", None,
     "undisclosed", "announced", "aws"),
    ("anthropic-google-cloud-trillium", "compute_commitment", "anthropic", "google", None,
     "undisclosed", "announced", "google-cloud"),
    ("openai-oracle-compute-texas", "compute_commitment", "openai", "oracle", None, "undisclosed",
     "announced", "oracle-cloud"),
    ("openai-nvidia-chips", "chip_supply", "openai", "nvidia", None, "undisclosed", "announced",
     None),
    ("openai-amd-chips", "chip_supply", "openai", "amd", None, "undisclosed", "announced", None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("slug", "deal_type", "payer", "payee", "amount", "qualifier", "status", "cloud"), DEALS
)
def test_reader_sees_each_reported_deal_with_its_parties_amount_and_status(
    seeded, slug, deal_type, payer, payee, amount, qualifier, status, cloud
):
    deal = Deal.objects.select_related("payer", "payee", "cloud").get(slug=slug)
    assert deal.deal_type == deal_type
    assert (deal.payer.slug, deal.payee.slug) == (payer, payee)
    assert deal.amount_usd == amount
    assert deal.amount_qualifier == qualifier
    assert deal.status == status
    assert (deal.cloud.slug if deal.cloud else None) == cloud


def test_the_seed_holds_exactly_the_reported_deals(seeded):
    assert set(Deal.objects.values_list("slug", flat=True)) == {row[0] for row in DEALS}


def test_deal_status_is_its_latest_history_entry(seeded):
    for deal in Deal.objects.all():
        history = list(deal.status_history.order_by("changed_on", "pk"))
        assert history, deal.slug
        assert deal.status == history[-1].status, deal.slug
        for change in history:
            assert change.article_id or change.reference_url, change


def test_reader_sees_the_30b_azure_disagreement_between_sources(seeded):
    deal = Deal.objects.get(slug="anthropic-azure-compute-30b")
    amounts = {
        (c.article.slug, c.reported_amount_usd, c.reported_amount_qualifier)
        for c in deal.citations.exclude(reported_amount_usd=None)
    }
    assert amounts == {("article-001", 30 * B, "exact"), ("article-004", 30 * B, "up_to")}
    powers = {
        (c.article.slug, c.reported_power_gw, c.reported_power_qualifier)
        for c in deal.citations.exclude(reported_power_gw=None)
    }
    # 004's "تصل طاقتها إلى مستوى جيجاوات" reads "up to" (issue 11), as 001 says it.
    assert powers == {("article-001", Decimal(1), "up_to"), ("article-004", Decimal(1), "up_to")}
    assert (deal.power_gw, deal.power_qualifier) == (Decimal(1), "up_to")
    assert set(deal.chip_platforms.values_list("slug", flat=True)) == {
        "grace-blackwell",
        "vera-rubin",
    }


def test_reader_sees_both_sources_of_amazons_8b_with_their_wording(seeded):
    deal = Deal.objects.get(slug="amazon-anthropic-investment-8b")
    reported = {
        (c.article.slug, c.reported_amount_usd, c.reported_amount_qualifier)
        for c in deal.citations.all()
    }
    assert reported == {("article-000", 8 * B, "exact"), ("article-001", 8 * B, "about")}


def test_amazons_8b_arrived_in_three_tranches(seeded):
    deal = Deal.objects.get(slug="amazon-anthropic-investment-8b")
    tranches = [(str(t.paid_on), t.amount_usd) for t in deal.tranches.all()]
    assert tranches == [
        ("2023-09-25", Decimal("1.25") * B),
        ("2024-03-27", Decimal("2.75") * B),
        ("2024-11-22", 4 * B),
    ]
    assert sum(amount for _, amount in tranches) == deal.amount_usd
    assert all(t.reference_url for t in deal.tranches.all())


def test_googles_investment_arrived_in_three_tranches_over_3b(seeded):
    deal = Deal.objects.get(slug="google-anthropic-investment-3b")
    tranches = list(deal.tranches.all())
    assert [str(t.paid_on) for t in tranches] == ["2023-01-01", "2023-10-27", "2025-01-22"]
    assert tranches[0].date_precision == "quarter"
    assert tranches[0].amount_qualifier == "about"
    assert sum(t.amount_usd for t in tranches) > 3 * B


def test_the_15b_together_is_cited_on_both_nvidia_and_microsoft_deals(seeded):
    for slug in ("nvidia-anthropic-investment-10b", "microsoft-anthropic-investment-5b"):
        quotes = Deal.objects.get(slug=slug).citations.values_list("quote", flat=True)
        assert any("15 مليار دولار" in q for q in quotes), slug
    assert not Deal.objects.filter(amount_usd=15 * B).exists()


def test_openai_aws_38b_is_one_deal_cited_by_both_articles(seeded):
    deal = Deal.objects.get(slug="openai-aws-compute-38b")
    assert deal.term_years == 7
    assert set(deal.citations.values_list("article__slug", flat=True)) == {
        "article-002",
        "article-003",
    }
    assert Deal.objects.filter(amount_usd=38 * B).count() == 1


def test_amazon_openai_talks_include_trainium_and_aws_capacity(seeded):
    deal = Deal.objects.get(slug="amazon-openai-investment-10b")
    assert list(deal.chip_platforms.values_list("slug", flat=True)) == ["trainium"]
    assert deal.cloud.slug == "aws"


def test_project_rainier_is_amazons_22gw_trainium2_site_for_anthropic(seeded):
    rainier = DataCenterProject.objects.get(slug="project-rainier")
    assert rainier.operator.slug == "amazon"
    assert list(rainier.tenants.values_list("slug", flat=True)) == ["anthropic"]
    assert "Indiana" in rainier.location
    assert (rainier.power_gw, rainier.power_qualifier) == (Decimal("2.2"), "exact")
    assert list(rainier.chip_platforms.values_list("slug", flat=True)) == ["trainium2"]
    # Its cited article says it is being developed; the switch-on date is the reference's.
    assert rainier.status == "under_construction"
    assert str(rainier.online_on) == "2025-10-29"
    assert rainier.reference_url
    deal = Deal.objects.get(slug="anthropic-aws-compute-project-rainier")
    assert deal.data_center == rainier


def test_oracles_texas_site_is_about_half_of_rainier(seeded):
    texas = DataCenterProject.objects.get(slug="oracle-texas-openai")
    assert texas.operator.slug == "oracle"
    assert list(texas.tenants.values_list("slug", flat=True)) == ["openai"]
    assert (texas.power_gw, texas.power_qualifier) == (Decimal("1.1"), "about")
    assert Deal.objects.get(slug="openai-oracle-compute-texas").data_center == texas


def test_valuations_anthropic_615b_and_openai_projected_past_500b(seeded):
    anthropic = Valuation.objects.get(company__slug="anthropic")
    assert (anthropic.amount_usd, anthropic.amount_qualifier) == (Decimal("61.5") * B, "exact")
    assert not anthropic.is_projection
    assert anthropic.reference_url
    openai = Valuation.objects.get(company__slug="openai")
    assert (openai.amount_usd, openai.amount_qualifier) == (500 * B, "more_than")
    assert openai.is_projection


def test_the_004_gigawatt_phrase_is_read_as_up_to(seeded):
    """ "تصل طاقتها إلى مستوى جيجاوات" is "reaching up to the gigawatt level": up to 1 GW."""
    citation = DealCitation.objects.get(
        deal__slug="anthropic-azure-compute-30b", quote__contains="تصل طاقتها إلى مستوى جيجاوات"
    )
    assert (citation.reported_power_gw, citation.reported_power_qualifier) == (Decimal(1), "up_to")


def test_rainiers_status_is_what_its_cited_article_says(seeded):
    rainier = DataCenterProject.objects.get(slug="project-rainier")
    quotes = [citation.quote for citation in rainier.citations.all()]
    assert any("يعمل الطرفان على تطوير" in quote for quote in quotes)
    assert rainier.status == DataCenterProject.Status.UNDER_CONSTRUCTION


# --- history from the start (`manage.py seed`, what `make run` loads) -------------------------


def history_counts() -> dict:
    """How many history records each seed model has (and the deals' chip rows)."""
    counts = {model: model.history.count() for model in seed_models() if hasattr(model, "history")}
    counts["deal chips"] = Deal.history.model.chip_platforms.model.objects.count()
    return counts


@pytest.mark.django_db
def test_after_seeding_every_deal_shows_that_it_was_created_from_the_seed(client):
    from deals.selectors.history import deal_change_history

    call_command("seed", verbosity=0)
    seed_time = datetime.datetime(2025, 12, 20, tzinfo=datetime.UTC)
    assert Deal.objects.exists()
    for deal in Deal.objects.all():
        (record,) = deal.history.all()
        assert record.history_type == "+" and record.history_user is None
        assert record.history_change_reason == "created from the seed"
        # Dated when the seed was made, not when it was loaded: no digest calls it news.
        assert record.history_date == deal.created_at == seed_time
        assert set(record.chip_platforms.values_list("chipplatform", flat=True)) == set(
            deal.chip_platforms.values_list("pk", flat=True)
        )
        [entry] = deal_change_history(deal)
        assert entry.created and entry.who == "system"
    page = client.get("/deals/amazon-anthropic-investment-8b/").content.decode()
    assert "recorded the deal" in page
    # Every other record of the fixture with a history has begun it too.
    for model, count in history_counts().items():
        if model != "deal chips":
            assert count == model.objects.count(), model


@pytest.mark.django_db
def test_seeding_twice_records_nothing_twice():
    call_command("seed", verbosity=0)
    first = history_counts()
    assert first["deal chips"] > 0
    call_command("seed", verbosity=0)
    assert history_counts() == first


@pytest.mark.django_db
def test_a_database_seeded_by_loaddata_gets_its_deals_creation_recorded():
    """Seeded before `manage.py seed` existed: loaddata left deals with chips a stray change."""
    from deals.selectors.history import deal_change_history

    call_command("loaddata", "seed", verbosity=0)
    call_command("seed", verbosity=0)
    for deal in Deal.objects.all():
        oldest = deal.history.order_by("history_date", "history_id").first()
        assert oldest.history_type == "+", deal.slug
        assert [entry.created for entry in deal_change_history(deal)] == [True]


@pytest.mark.django_db
def test_a_seeded_deal_edited_before_seeding_again_keeps_its_history():
    call_command("seed", verbosity=0)
    deal = Deal.objects.get(slug="amazon-anthropic-investment-8b")
    deal.summary = "Corrected summary."
    deal.save()
    call_command("seed", verbosity=0)
    assert list(deal.history.order_by("history_id").values_list("history_type", flat=True)) == [
        "+",
        "~",
    ]


@pytest.mark.django_db
def test_the_first_correction_of_a_seeded_deal_reaches_its_followers():
    """Before, a seeded deal had no history to compare its first edit with."""
    from tests.test_watch_digests import follower, send

    call_command("seed", verbosity=0)
    follower(company="anthropic")
    deal = Deal.objects.get(slug="amazon-anthropic-investment-8b")
    deal.amount_usd = Decimal(9) * B
    deal.save()
    send()
    (email,) = mail.outbox
    assert "Amount: now $9B (was $8B)" in email.body


def test_make_run_seeds_with_the_seed_command():
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    seed_target = makefile.split("\nseed:", 1)[1].split("\n\n", 1)[0]
    assert "manage.py seed" in seed_target and "loaddata" not in seed_target
