"""The deal admin's search as an editor uses it at a million deals: by a party's name in any
spelling, by number and id, by words of the summary; companies resolved first, in a fixed
number of queries, finding what a plain filter finds (deals/selectors/admin_search.py)."""

import secrets
from functools import reduce
from operator import and_

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from companies.models import CompanyAlias
from companies.text import compact_name
from deals.models import Deal
from deals.roles import EDITORS, ensure_roles
from deals.selectors import admin_search
from deals.selectors.admin_search import deal_search, estimated_count

from .factories import CompanyFactory, DealFactory

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:deals_deal_changelist")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's indexes and estimates"
)


@pytest.fixture
def editor(client):
    ensure_roles()
    password = secrets.token_urlsafe(16)
    user = User.objects.create_user(
        username=f"editor-{secrets.token_hex(4)}", password=password, is_staff=True
    )
    user.groups.add(Group.objects.get(name=EDITORS))
    assert client.login(username=user.username, password=password)
    return user


@pytest.fixture
def deals():
    """Amazon invests in Anthropic; Nvidia sells chips to a lab; a fund invests in a lab."""
    amazon = CompanyFactory(slug="amazon", name="Amazon", name_ar="أمازون")
    anthropic = CompanyFactory(slug="anthropic", name="Anthropic", name_ar="أنثروبيك")
    CompanyAlias.objects.create(company=anthropic, name="إنتروبيك")
    nvidia = CompanyFactory(slug="nvidia", name="Nvidia", name_ar="إنفيديا")
    lab = CompanyFactory(slug="roven-labs", name="Roven Labs", name_ar="مختبرات روفين")
    fund = CompanyFactory(slug="kylen-capital", name="Kylen Capital", name_ar="كايلين كابيتال")
    return {
        "amazon-anthropic": DealFactory(
            slug="amazon-anthropic-2024",
            payer=amazon,
            payee=anthropic,
            summary="Amazon will invest a further $4 billion in Anthropic.",
            summary_ar="ستستثمر أمازون 4 مليارات دولار إضافية في أنثروبيك.",
        ),
        "nvidia-roven": DealFactory(
            slug="nvidia-roven-gpus",
            payer=lab,
            payee=nvidia,
            deal_type="chip_supply",
            summary="Roven Labs ordered accelerators worth $2 billion.",
            summary_ar="طلبت مختبرات روفين مسرّعات بقيمة ملياري دولار.",
        ),
        "kylen-roven": DealFactory(
            slug="kylen-roven-seed",
            payer=fund,
            payee=lab,
            summary="A seed round led by Kylen Capital, with an undisclosed sum.",
            summary_ar="جولة تمويل أولية بقيادة كايلين كابيتال.",
        ),
    }


def found(client, term: str) -> list[str]:
    response = client.get(CHANGELIST, {"q": term})
    assert response.status_code == 200
    return sorted(deal.slug for deal in response.context["cl"].result_list)


@pytest.mark.parametrize(
    ("term", "slugs"),
    [
        ("Anthropic", ["amazon-anthropic-2024"]),
        ("انثروبيك", ["amazon-anthropic-2024"]),  # no hamza
        ("إنتروبيك", ["amazon-anthropic-2024"]),  # an alias
        ("أنثـروبِيك", ["amazon-anthropic-2024"]),  # tatweel and a diacritic
        ("NVIDIA", ["nvidia-roven-gpus"]),
        ("نفيديا", ["nvidia-roven-gpus"]),
        ("Roven Labs", ["kylen-roven-seed", "nvidia-roven-gpus"]),  # the whole name
        ("مختبرات روفين", ["kylen-roven-seed", "nvidia-roven-gpus"]),
        ("roven kylen", ["kylen-roven-seed"]),  # every word names a party
        ("amazon anthropic", ["amazon-anthropic-2024"]),
    ],
)
def test_a_party_is_found_by_any_spelling_in_either_script(client, editor, deals, term, slugs):
    assert found(client, term) == slugs


def test_a_deal_is_found_by_its_id_its_number_and_part_of_its_id(client, editor, deals):
    deal = deals["nvidia-roven"]
    assert found(client, "nvidia-roven-gpus") == ["nvidia-roven-gpus"]
    assert found(client, "NVIDIA-ROVEN-GPUS") == ["nvidia-roven-gpus"]
    assert found(client, "roven-gpus") == ["nvidia-roven-gpus"]
    assert found(client, str(deal.pk)) == ["nvidia-roven-gpus"]


def test_words_of_the_summary_find_deals_in_either_language(client, editor, deals):
    assert found(client, "accelerators") == ["nvidia-roven-gpus"]
    assert found(client, "undisclosed sum") == ["kylen-roven-seed"]
    assert found(client, "مسرّعات") == ["nvidia-roven-gpus"]
    assert found(client, "further anthropic") == ["amazon-anthropic-2024"]  # text and party


def test_a_short_word_finds_parties_and_ids_but_not_every_summary(client, editor, deals):
    # "in" is in two summaries and no company's name: the trigram index cannot narrow it.
    assert found(client, "in") == []
    assert found(client, "ky") == ["kylen-roven-seed"]  # Kylen Capital


def test_nothing_found_is_an_empty_list_not_everything(client, editor, deals):
    assert found(client, "no such thing anywhere") == []
    assert found(client, "zz") == []


def plain_filter(term: str) -> set[str]:
    """What the search means, as a plain (slow) filter through the aliases table."""

    def one(text: str) -> Q:
        key = compact_name(text)
        condition = Q(slug=text.lower())
        if key:
            condition |= Q(payer__aliases__compact__contains=key)
            condition |= Q(payee__aliases__compact__contains=key)
        if text.isdecimal():
            condition |= Q(pk=int(text))
        if len(text) >= admin_search.MIN_TEXT_LENGTH:
            condition |= Q(slug__icontains=text) | Q(summary__icontains=text)
            condition |= Q(summary_ar__icontains=text)
        return condition

    words = term.split()
    condition = one(term)
    if len(words) > 1:
        condition |= reduce(and_, map(one, words))
    return set(Deal.objects.filter(condition).values_list("slug", flat=True))


@pytest.mark.parametrize(
    "term",
    ["roven", "Kylen Capital", "أمازون", "billion", "دولار", "roven nvidia", "gpus", "a", "2024"],
)
def test_results_equal_a_plain_filter(deals, term):
    searched = set(Deal.objects.filter(deal_search(term)).values_list("slug", flat=True))
    assert searched == plain_filter(term)
    assert searched or term in ("a",)


def test_the_search_costs_the_same_queries_however_many_deals_and_words_match(
    client, editor, deals
):
    def queries(term: str) -> int:
        client.get(CHANGELIST, {"q": term})  # the session and permissions, read once
        with CaptureQueriesContext(connection) as captured:
            response = client.get(CHANGELIST, {"q": term})
        assert response.status_code == 200
        return len(captured)

    one_deal = queries("amazon")
    lab = deals["kylen-roven"].payee
    for n in range(25):
        DealFactory(slug=f"more-{n}", payer=deals["amazon-anthropic"].payer, payee=lab)
    assert queries("amazon") == one_deal
    assert queries("amazon roven labs") == one_deal  # every word names a party of 25
    # One query finds the companies of every word of the term.
    with CaptureQueriesContext(connection) as captured:
        list(Deal.objects.filter(deal_search("amazon roven labs anthropic")))
    assert len(captured) == 2


def test_the_date_drill_down_is_left_out_while_searching(client, editor, deals):
    assert client.get(CHANGELIST).context["cl"].date_hierarchy == "announced_on"
    assert client.get(CHANGELIST, {"q": "amazon"}).context["cl"].date_hierarchy is None


def test_a_small_result_is_counted_exactly(client, editor, deals):
    assert client.get(CHANGELIST, {"q": "roven"}).context["cl"].result_count == 2
    assert estimated_count(Deal.objects.all()) == 3


@on_postgresql
def test_postgresql_estimates_a_large_result_instead_of_counting_it(client, editor, deals):
    connection.cursor().execute("ANALYZE deals_deal")
    admin_search.ESTIMATE_ABOVE = 0
    try:
        with CaptureQueriesContext(connection) as captured:
            estimate = estimated_count(Deal.objects.all())
        assert [q["sql"].split()[0] for q in captured] == ["EXPLAIN"]
        assert estimate >= 1
    finally:
        admin_search.ESTIMATE_ABOVE = 10_000


@on_postgresql
def test_postgresql_has_the_search_and_order_indexes(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'deals_deal'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"deal_text_trgm_idx", "deal_newest_first_idx"} <= names
