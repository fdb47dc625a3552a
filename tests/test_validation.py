"""Each invariant is explained by clean() in an editor's words and enforced by the database."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from companies.models import Company, CompanyAlias
from deals.models import (
    DataCenterProject,
    Deal,
    DealCitation,
    DealStatusChange,
    DealTranche,
    Qualifier,
    Valuation,
)
from deals.services import deal_sync_status

from .factories import ArticleFactory, CompanyFactory, DealCitationFactory, DealFactory

pytestmark = pytest.mark.django_db


def errors_of(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def refused_by_database(model, instance) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.bulk_create([instance])


@pytest.fixture
def parties():
    return CompanyFactory(slug="amazon", name="Amazon"), CompanyFactory(
        slug="anthropic", name="Anthropic"
    )


def deal(parties, **changes) -> Deal:
    payer, payee = parties
    values = {"payer": payer, "payee": payee, "slug": "amazon-anthropic"} | changes
    return DealFactory.build(**values)


# Deals ------------------------------------------------------------------------------------


def test_a_valid_deal_passes(parties):
    deal(parties).full_clean()


INVALID_DEALS = [
    pytest.param(
        lambda p: {"payee": p[0]},
        "payee",
        "cannot invest in or buy from itself",
        id="self-investment",
    ),
    pytest.param(
        lambda p: {"amount_qualifier": Qualifier.UNDISCLOSED},
        "amount_usd",
        "marked undisclosed, so leave it empty",
        id="undisclosed-with-amount",
    ),
    pytest.param(
        lambda p: {"amount_usd": None},
        "amount_usd",
        "Enter the amount, or set its qualifier to “undisclosed”",
        id="missing-amount",
    ),
    pytest.param(
        lambda p: {"amount_usd": Decimal("-5")},
        "amount_usd",
        "The amount cannot be negative.",
        id="negative-amount",
    ),
    pytest.param(
        lambda p: {"power_gw": Decimal("-1"), "power_qualifier": Qualifier.EXACT},
        "power_gw",
        "The power cannot be negative.",
        id="negative-power",
    ),
    pytest.param(
        lambda p: {"power_gw": None, "power_qualifier": Qualifier.UP_TO},
        "power_gw",
        "Enter the power",
        id="missing-power",
    ),
    pytest.param(
        lambda p: {
            "starts_on": datetime.date(2025, 6, 1),
            "ends_on": datetime.date(2025, 1, 1),
        },
        "ends_on",
        "The term cannot end before it starts (2025-06-01).",
        id="ends-before-start",
    ),
]


@pytest.mark.parametrize(("change", "field", "message"), INVALID_DEALS)
def test_an_invalid_deal_is_explained_next_to_the_field_to_fix(parties, change, field, message):
    errors = errors_of(deal(parties, **change(parties)))
    assert field in errors
    assert any(message in text for text in errors[field]), errors


@pytest.mark.parametrize(("change", "field", "message"), INVALID_DEALS)
def test_an_invalid_deal_is_refused_by_the_database_even_without_clean(
    parties, change, field, message
):
    refused_by_database(Deal, deal(parties, **change(parties)))
    assert not Deal.objects.exists()


def test_an_undisclosed_amount_without_a_number_is_fine(parties):
    deal(parties, amount_usd=None, amount_qualifier=Qualifier.UNDISCLOSED).full_clean()


# Citations and status history ---------------------------------------------------------------


def test_a_quote_must_be_in_the_article_it_cites():
    citation = DealCitationFactory.build(
        deal=DealFactory(), article=ArticleFactory(title="Amazon and Anthropic"), quote="Made up."
    )
    errors = errors_of(citation)
    assert "This quote does not appear in “Amazon and Anthropic”" in errors["quote"][0]


def test_a_quote_copied_with_surrounding_spaces_is_accepted_and_trimmed():
    citation = DealCitationFactory.build(
        deal=DealFactory(), article=ArticleFactory(), quote="  Alpha invested $1 billion in Beta. "
    )
    citation.full_clean()
    assert citation.quote == "Alpha invested $1 billion in Beta."


def test_a_reported_amount_needs_its_qualifier():
    citation = DealCitationFactory.build(
        deal=DealFactory(), article=ArticleFactory(), reported_amount_usd=Decimal(10**9)
    )
    assert errors_of(citation)["reported_amount_qualifier"] == [
        "Say how the source states this amount."
    ]
    refused_by_database(DealCitation, citation)


def test_a_status_change_needs_a_source():
    change = DealStatusChange(
        deal=DealFactory(), status="signed", changed_on=datetime.date(2025, 2, 1)
    )
    assert "needs a source" in errors_of(change)["__all__"][0]
    refused_by_database(DealStatusChange, change)


def test_a_status_change_quote_must_be_in_its_article():
    change = DealStatusChange(
        deal=DealFactory(),
        status="signed",
        changed_on=datetime.date(2025, 2, 1),
        article=ArticleFactory(),
        quote="Gamma signed nothing.",
    )
    assert "does not appear" in errors_of(change)["quote"][0]


# Other figures ---------------------------------------------------------------------------


def test_a_tranche_valuation_and_data_centre_follow_the_same_figure_rules(parties):
    payer, payee = parties
    tranche = DealTranche(
        deal=DealFactory(),
        amount_usd=Decimal(-1),
        paid_on=datetime.date(2025, 1, 1),
        reference_url="https://example.com/a",
    )
    assert "The amount cannot be negative." in errors_of(tranche)["amount_usd"]
    refused_by_database(DealTranche, tranche)

    valuation = Valuation(
        company=payee,
        amount_usd=Decimal(61_500_000_000),
        amount_qualifier=Qualifier.UNDISCLOSED,
        as_of=datetime.date(2025, 3, 1),
    )
    assert "valuation is marked undisclosed" in errors_of(valuation)["amount_usd"][0]
    refused_by_database(Valuation, valuation)

    site = DataCenterProject(
        slug="rainier",
        name="Project Rainier",
        operator=payer,
        status="operational",
        power_gw=Decimal("-2.2"),
        power_qualifier=Qualifier.ABOUT,
    )
    assert "The power cannot be negative." in errors_of(site)["power_gw"]
    refused_by_database(DataCenterProject, site)


# Companies and their spellings ------------------------------------------------------------


def test_saving_a_company_adds_its_official_names_as_aliases():
    company = CompanyFactory(slug="anthropic", name="Anthropic", name_ar="أنثروبيك")
    assert Company.objects.resolve("انثروبيك") == company
    assert Company.objects.resolve("ANTHROPIC") == company


def test_a_name_that_folds_to_an_existing_alias_of_the_same_company_adds_no_duplicate():
    company = CompanyFactory(slug="openai", name="OpenAI", name_ar="أوبن إيه آي")
    company.name = "Open AI"
    company.name_ar = "اوبن ايه اي"
    company.full_clean()
    company.save()
    assert sorted(company.aliases.values_list("name", flat=True)) == ["OpenAI", "أوبن إيه آي"]


def test_a_name_that_is_another_companys_spelling_is_refused_in_words():
    CompanyFactory(slug="nvidia", name="Nvidia", name_ar="إنفيديا")
    copy = Company(slug="nvidia-2", name="NVIDIA", name_ar="انفيدىا", kind="chipmaker")
    errors = errors_of(copy)
    assert "“NVIDIA” is already a spelling of Nvidia (as “Nvidia”)" in errors["name"][0]
    assert "“انفيدىا” is already a spelling of Nvidia" in errors["name_ar"][0]
    # Saved without clean(), it still fails with the explanation, not a database error.
    with pytest.raises(ValidationError, match="already a spelling of Nvidia"):
        copy.save()
    assert not Company.objects.filter(slug="nvidia-2").exists()


def test_an_alias_naming_another_company_is_refused():
    CompanyFactory(slug="nvidia", name="Nvidia")
    other = CompanyFactory(slug="amd", name="AMD")
    alias = CompanyAlias(company=other, name="  nvidia ")
    assert "already names Nvidia" in errors_of(alias)["name"][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        alias.save()


def test_a_company_cannot_be_its_own_parent():
    company = CompanyFactory(slug="google", name="Google")
    company.parent = company
    assert errors_of(company)["parent"] == ["A company cannot be its own parent."]
    with pytest.raises(IntegrityError), transaction.atomic():
        Company.objects.filter(pk=company.pk).update(parent=F("pk"))


# Status follows the history ---------------------------------------------------------------


def test_a_new_deal_starts_its_history_from_its_status_date_and_first_citation():
    citation = DealCitationFactory(deal__status="announced")
    entry = deal_sync_status(deal=citation.deal)
    assert (entry.status, entry.changed_on, entry.article, entry.quote) == (
        "announced",
        citation.deal.announced_on,
        citation.article,
        citation.quote,
    )


def test_a_deal_without_date_or_source_gets_no_history_yet():
    assert deal_sync_status(deal=DealFactory(announced_on=None, reference_url="")) is None
    assert deal_sync_status(deal=DealFactory(reference_url="")) is None
    assert not DealStatusChange.objects.exists()


def test_the_status_follows_the_latest_history_entry():
    the_deal = DealFactory(status="announced", reference_url="https://example.com/deal")
    for status, day in [("rumored", 1), ("signed", 20), ("in_talks", 10)]:
        DealStatusChange.objects.create(
            deal=the_deal,
            status=status,
            changed_on=datetime.date(2025, 1, day),
            reference_url="https://example.com/deal",
        )
    deal_sync_status(deal=the_deal)
    the_deal.refresh_from_db()
    assert the_deal.status == "signed"


# What PostgreSQL refuses, refused by validation on every database (deals/validation.py) ------


def _company(**values):
    return CompanyFactory.build(**({"slug": "acme", "name": "Acme"} | values))


def _cloud(**values):
    from companies.models import CloudPlatform

    return CloudPlatform(slug="cloud", name="Cloud", operator=CompanyFactory(), **values)


def _alias(**values):
    return CompanyAlias(company=CompanyFactory(), **({"name": "x"} | values))


def _article(**values):
    return ArticleFactory.build(**({"slug": "a-1", "title": "T", "body": "Body."} | values))


def _deal(**values):
    return DealFactory.build(payer=CompanyFactory(), payee=CompanyFactory(), slug="d", **values)


def _citation(**values):
    article = ArticleFactory(body="Quote here.")
    return DealCitation(deal=DealFactory(), article=article, **values)


def _draft(**values):
    from deals.models import DealDraft

    return DealDraft(article=ArticleFactory(), quote="q", **values)


UNSTORABLE_VALUES = [
    pytest.param(_company, "name", "Acme\x00", "Null characters", id="company-name-nul"),
    pytest.param(_company, "name_ar", "أمازون\ud800", "lone surrogate", id="company-ar-surrogate"),
    pytest.param(_company, "website", "https://a.org/\x00", "Null", id="company-website-nul"),
    pytest.param(_alias, "name", "\udc80x", "lone surrogate", id="alias-surrogate"),
    pytest.param(_cloud, "aliases", ["ok", "AW\x00S"], "Null", id="platform-aliases-nul"),
    pytest.param(_article, "title", "\ud83d", "lone surrogate", id="article-title-surrogate"),
    pytest.param(_article, "body", "x" * 1_000_001, "1 MB", id="article-body-over-1mb"),
    pytest.param(_article, "body", "ب" * 500_001, "1 MB", id="arabic-body-over-1mb"),
    pytest.param(_deal, "summary", "a\x00b", "Null", id="deal-summary-nul"),
    pytest.param(_deal, "term_years", 10**12, "less than or equal to 100", id="term-10e12"),
    pytest.param(_deal, "term_years", 101, "less than or equal to 100", id="term-101"),
    pytest.param(
        _deal, "amount_usd", Decimal("1E16"), "less than or equal to", id="amount-sqlite-loses"
    ),
    pytest.param(_deal, "reference_url", "https://a.org/\ud800", "surrogate", id="deal-url"),
    pytest.param(_citation, "quote", "Quote\x00", "Null", id="citation-quote-nul"),
    pytest.param(_draft, "proposal", {"payer_name": "\ud800"}, "surrogate", id="draft-json"),
]


@pytest.mark.parametrize(("build", "field", "value", "message"), UNSTORABLE_VALUES)
def test_values_postgresql_refuses_are_refused_by_validation_naming_the_field(
    build, field, value, message
):
    """SQLite would store each of these; PostgreSQL refuses them with a traceback. Every writer
    (admin, services, assistant, import) validates with full_clean, which now says so."""
    errors = errors_of(build(**{field: value}))
    assert field in errors, errors
    assert message in " ".join(errors[field])


def test_values_at_the_limits_pass_validation_and_are_stored():
    """The edges of what is accepted are stored as given, on SQLite and PostgreSQL alike."""
    article = _article(
        body="ب" * 500_000, title="𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓ \t tab", url="https://a.org/" + "x" * 980
    )
    article.full_clean()
    article.save()
    deal = _deal(term_years=100, summary="emoji 🚀 and\r\nbreaks", summary_ar="أنثروبيك")
    deal.full_clean()
    deal.save()
    article.refresh_from_db()
    deal.refresh_from_db()
    assert len(article.body.encode()) == 1_000_000
    assert (deal.term_years, deal.summary) == (100, "emoji 🚀 and\r\nbreaks")
