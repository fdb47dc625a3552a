"""What one database accepts, the other does too (issue 17, item 8).

SQLite (the default) stored NUL characters and a term of 10**12 years that PostgreSQL (the
production database) refuses, so an export of one might not import into the other. Validation
now refuses those on every database (deals/validation.py). Run on both databases, these tests
show that whatever validation accepts is stored as given, and that an export at the edges of
what is accepted imports back identically.
"""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companies.models import Company, CompanyAlias
from deals.export import export_document
from deals.models import Article, Deal, DealCitation, DealStatusChange
from deals.validation import MAX_AMOUNT_USD, MAX_ARTICLE_BYTES, MAX_TERM_YEARS

# Every code point, surrogates and NUL included: what a JSON file can hold.
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=40)


class _Rollback(Exception):
    pass


@pytest.mark.django_db
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(summary=ANY_TEXT, name=ANY_TEXT, term=st.integers(min_value=0, max_value=2**63 - 1))
def test_whatever_validation_accepts_the_database_stores_as_given(summary, name, term):
    payer = Company(slug="payer", name=name or "x", kind="investor")
    payee = Company(slug="payee", name="Payee", kind="ai_lab")
    try:
        with transaction.atomic():
            try:
                payer.full_clean()
            except ValidationError as error:
                assert "name" in error.message_dict
                assert (
                    "\x00" in name
                    or any("\ud800" <= c <= "\udfff" for c in name)
                    or (not any(c.isalnum() for c in name))
                )
                raise _Rollback from error
            payer.save()
            payee.save()
            deal = Deal(
                slug="d",
                deal_type="investment",
                payer=payer,
                payee=payee,
                amount_usd=Decimal(1),
                status="announced",
                summary=summary,
                term_years=term,
            )
            try:
                deal.full_clean()
            except ValidationError as error:
                assert set(error.message_dict) <= {"summary", "term_years"}
                raise _Rollback from error
            deal.save()  # PostgreSQL would raise here if validation let through what it refuses
            deal.refresh_from_db()
            assert (deal.summary, deal.term_years) == (summary, term)
            assert term <= MAX_TERM_YEARS
            raise _Rollback
    except _Rollback:
        pass


def _edge_records():
    """Records at the edges of what validation accepts, beside the seed."""
    long_name = ("Ω" + "ب" * 98 + "🚀") * 2  # 200 characters, four-byte ones included
    payer = Company.objects.create(
        slug="edge-payer", name=long_name, name_ar="ـتطويلـ", kind="other"
    )
    CompanyAlias.objects.create(company=payer, name="=HYPERLINK(1)")
    payee = Company.objects.get(slug="anthropic")
    # A body at the limit, in two-byte Arabic letters, with the quote inside it.
    quote = "Edge pays $9,999,999,999,999.99 over 100 years.\ttab\r\ncrlf"
    filler = "ب" * ((MAX_ARTICLE_BYTES - len(quote.encode())) // 2)
    article = Article.objects.create(
        slug="edge-article",
        title="T" * 500,
        language="ar",
        published_on=datetime.date(1, 1, 1),
        body=filler + quote,
        url="https://example.org/" + "x" * 980,
    )
    assert len(article.body.encode()) <= MAX_ARTICLE_BYTES
    deal = Deal(
        slug="edge-deal",
        deal_type="investment",
        payer=payer,
        payee=payee,
        amount_usd=MAX_AMOUNT_USD,
        amount_qualifier="up_to",
        power_gw=Decimal("999999.999"),
        power_qualifier="about",
        term_years=MAX_TERM_YEARS,
        status="announced",
        announced_on=datetime.date(9999, 12, 31),
        summary="@SUM(1) \u200f\u202e mixed directions 𝔘",
        summary_ar="\U0010fffd private use, then ‎أ",
    )
    deal.full_clean()
    deal.save()
    DealCitation.objects.create(deal=deal, article=article, quote=quote)
    DealStatusChange.objects.create(
        deal=deal, status="announced", changed_on=datetime.date(9999, 12, 31), article=article
    )


def test_an_export_at_the_edges_imports_back_identically(transactional_db, tmp_path):
    call_command("loaddata", "seed", verbosity=0)
    _edge_records()
    before = json.dumps(export_document(), ensure_ascii=False)
    path = tmp_path / "edges.json"
    call_command("export_deals", output=str(path), stderr=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    out = io.StringIO()
    call_command("import_deals", str(path), stdout=out)
    assert "14 deals" in out.getvalue()
    assert json.dumps(export_document(), ensure_ascii=False) == before
