"""The admin as an editor uses it: entering a deal from an article, and being told what to fix."""

import datetime
import secrets
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from companies.models import Company, CompanyAlias
from deals.models import (
    DataCenterCitation,
    DataCenterProject,
    Deal,
    DealCitation,
    DealStatusChange,
    DealTranche,
    Valuation,
    ValuationCitation,
)
from deals.roles import EDITORS, ensure_roles

from .factories import (
    ArticleFactory,
    ChipPlatformFactory,
    CloudPlatformFactory,
    CompanyFactory,
    DealCitationFactory,
    DealFactory,
)

pytestmark = pytest.mark.django_db

ARTICLE_BODY = (
    "أعلنت أمازون استثمار 4 مليارات دولار إضافية في أنثروبيك. "
    "وستصبح أمازون ويب سيرفيسز مزود الحوسبة السحابية الأساسي لأنثروبيك."
)
QUOTE = "أعلنت أمازون استثمار 4 مليارات دولار إضافية في أنثروبيك."


@pytest.fixture
def editor(client):
    """A staff member in the Editors group, signed in with a password nobody else knows."""
    ensure_roles()
    password = secrets.token_urlsafe(16)
    user = User.objects.create_user(
        username=f"editor-{secrets.token_hex(4)}", password=password, is_staff=True
    )
    user.groups.add(Group.objects.get(name=EDITORS))
    assert client.login(username=user.username, password=password)
    return user


@pytest.fixture
def world():
    """One of everything the admin shows, as the seed articles describe them."""
    amazon = CompanyFactory(slug="amazon", name="Amazon", name_ar="أمازون", kind="cloud_provider")
    anthropic = CompanyFactory(slug="anthropic", name="Anthropic", name_ar="أنثروبيك")
    CompanyAlias.objects.create(company=anthropic, name="إنتروبيك")
    nvidia = CompanyFactory(slug="nvidia", name="Nvidia", name_ar="إنفيديا", kind="chipmaker")
    aws = CloudPlatformFactory(slug="aws", name="AWS", operator=amazon, aliases=["أمازون ويب"])
    trainium = ChipPlatformFactory(slug="trainium2", name="Trainium2", vendor=amazon)
    article = ArticleFactory(
        slug="amazon-anthropic",
        title="أمازون تضخ 4 مليارات دولار في أنثروبيك",
        language="ar",
        body=ARTICLE_BODY,
    )
    rainier = DataCenterProject.objects.create(
        slug="rainier", name="Project Rainier", operator=amazon, status="operational"
    )
    DataCenterCitation.objects.create(data_center=rainier, article=article, quote=QUOTE)
    deal = DealFactory(
        slug="amazon-anthropic-2024",
        payer=amazon,
        payee=anthropic,
        amount_usd=Decimal(4 * 10**9),
        cloud=aws,
        data_center=rainier,
    )
    deal.chip_platforms.add(trainium)
    DealCitation.objects.create(deal=deal, article=article, quote=QUOTE)
    DealStatusChange.objects.create(
        deal=deal,
        status="announced",
        changed_on=deal.announced_on,
        article=article,
        quote=QUOTE,
    )
    DealTranche.objects.create(
        deal=deal,
        amount_usd=Decimal(4 * 10**9),
        paid_on=datetime.date(2024, 11, 22),
        reference_url="https://example.com/tranche",
    )
    valuation = Valuation.objects.create(
        company=anthropic, amount_usd=Decimal(61_500_000_000), as_of=datetime.date(2025, 3, 1)
    )
    ValuationCitation.objects.create(valuation=valuation, article=article, quote=QUOTE)
    return {
        "amazon": amazon,
        "anthropic": anthropic,
        "nvidia": nvidia,
        "aws": aws,
        "trainium": trainium,
        "article": article,
        "deal": deal,
    }


def management(prefix: str, total: int, initial: int = 0) -> dict[str, int]:
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def new_deal_post(world, **changes) -> dict:
    """What the add-deal form sends: the deal, one citation, no history or tranches."""
    data = {
        "deal_type": "investment",
        "payer": world["amazon"].pk,
        "payee": world["anthropic"].pk,
        "slug": "amazon-anthropic-2024-11",
        "amount_usd": "4000000000",
        "amount_qualifier": "exact",
        "power_gw": "",
        "power_qualifier": "undisclosed",
        "term_years": "",
        "announced_on": "2024-11-22",
        "date_precision": "day",
        "starts_on": "",
        "ends_on": "",
        "status": "announced",
        "cloud": world["aws"].pk,
        "chip_platforms": [world["trainium"].pk],
        "data_center": "",
        "summary": "Amazon invests another $4B in Anthropic.",
        "summary_ar": "",
        "reference_url": "",
        **management("citations", 1),
        "citations-0-article": world["article"].pk,
        "citations-0-quote": QUOTE,
        "citations-0-reported_amount_usd": "4000000000",
        "citations-0-reported_amount_qualifier": "exact",
        "citations-0-reported_power_gw": "",
        "citations-0-reported_power_qualifier": "",
        **management("status_history", 0),
        **management("tranches", 0),
    }
    return data | changes


def test_an_editor_adds_a_deal_with_its_citation(client, editor, world):
    response = client.post(reverse("admin:deals_deal_add"), new_deal_post(world))

    assert response.status_code == 302, response.context["adminform"].form.errors
    deal = Deal.objects.get(slug="amazon-anthropic-2024-11")
    assert (deal.payer, deal.payee, deal.amount_usd) == (
        world["amazon"],
        world["anthropic"],
        Decimal(4 * 10**9),
    )
    assert list(deal.chip_platforms.all()) == [world["trainium"]]
    citation = deal.citations.get()
    assert (citation.article, citation.quote) == (world["article"], QUOTE)
    # Its history starts from its status, date and citation.
    first = deal.status_history.get()
    assert (first.status, first.changed_on, first.article) == (
        "announced",
        datetime.date(2024, 11, 22),
        world["article"],
    )


INVALID_INPUT = [
    pytest.param({"payee": "payer"}, "payee", "cannot invest in or buy from itself", id="self"),
    pytest.param(
        {"amount_qualifier": "undisclosed"},
        "amount_usd",
        "The amount is marked undisclosed, so leave it empty",
        id="undisclosed-with-amount",
    ),
    pytest.param(
        {"amount_usd": ""},
        "amount_usd",
        "Enter the amount, or set its qualifier to “undisclosed” if the source gives none.",
        id="missing-amount",
    ),
    pytest.param(
        {"amount_usd": "-4000000000"},
        "amount_usd",
        "The amount cannot be negative.",
        id="negative-amount",
    ),
    pytest.param(
        {"power_gw": "-1", "power_qualifier": "exact"},
        "power_gw",
        "The power cannot be negative.",
        id="negative-power",
    ),
    pytest.param(
        {"starts_on": "2025-01-01", "ends_on": "2024-01-01"},
        "ends_on",
        "The term cannot end before it starts (2025-01-01).",
        id="end-before-start",
    ),
]


@pytest.mark.parametrize(("change", "field", "message"), INVALID_INPUT)
def test_an_invalid_deal_is_refused_with_the_message_next_to_its_field(
    client, editor, world, change, field, message
):
    if change.get("payee") == "payer":
        change = {"payee": world["amazon"].pk}
    deals, citations = Deal.objects.count(), DealCitation.objects.count()

    response = client.post(reverse("admin:deals_deal_add"), new_deal_post(world, **change))

    assert response.status_code == 200
    assert (Deal.objects.count(), DealCitation.objects.count()) == (deals, citations)
    assert message in response.content.decode()
    assert any(message in error for error in response.context["adminform"].form.errors[field])


def test_a_quote_not_in_the_article_is_refused_next_to_the_quote(client, editor, world):
    deals = Deal.objects.count()
    post = new_deal_post(world, **{"citations-0-quote": "أمازون تستثمر 40 مليار دولار."})

    response = client.post(reverse("admin:deals_deal_add"), post)

    assert response.status_code == 200
    assert Deal.objects.count() == deals
    message = "This quote does not appear in “أمازون تضخ 4 مليارات دولار في أنثروبيك”"
    assert message in response.content.decode()
    citations = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "citations"
    )
    assert message in citations.forms[0].errors["quote"][0]


def test_a_staff_member_without_permissions_cannot_write(client, world):
    password = secrets.token_urlsafe(16)
    user = User.objects.create_user(
        username=f"staff-{secrets.token_hex(4)}", password=password, is_staff=True
    )
    assert client.login(username=user.username, password=password)
    deals = Deal.objects.count()
    assert client.post(reverse("admin:deals_deal_add"), new_deal_post(world)).status_code == 403
    assert Deal.objects.count() == deals


# Every page renders ------------------------------------------------------------------------


def our_model_admins():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in ("companies", "deals")
    ]


def admin_urls(model) -> list[str]:
    info = (model._meta.app_label, model._meta.model_name)
    urls = [
        reverse("admin:{}_{}_changelist".format(*info)),
        reverse("admin:{}_{}_add".format(*info)),
    ]
    first = model._default_manager.order_by("pk").first()
    if first is not None:
        urls += [
            reverse("admin:{}_{}_change".format(*info), args=[first.pk]),
            reverse("admin:{}_{}_history".format(*info), args=[first.pk]),
        ]
    return urls


def test_every_model_has_an_admin_page_or_is_edited_inline():
    from django.apps import apps

    registered = {model for model, _admin in our_model_admins()}
    inline = {
        inline.model for _model, model_admin in our_model_admins() for inline in model_admin.inlines
    }
    ours = {
        model
        for label in ("companies", "deals")
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")
    }
    # The tally is the database's own sum of the deals (deals.tally): nobody edits it.
    kept_by_the_database = {apps.get_model("deals", "DealTally")}
    assert ours - kept_by_the_database <= registered | inline, ours - registered - inline


def test_every_admin_page_renders_for_an_editor(client, editor, world):
    for model, _model_admin in our_model_admins():
        for url in admin_urls(model):
            response = client.get(url)
            assert response.status_code == 200, url


def test_every_admin_page_renders_with_the_seed(client, editor, seeded):
    for model, _model_admin in our_model_admins():
        for url in admin_urls(model):
            response = client.get(url)
            assert response.status_code == 200, url
    response = client.get(reverse("admin:deals_deal_changelist"))
    assert response.context["cl"].result_count == Deal.objects.count() > 0


def test_anonymous_visitors_are_sent_to_sign_in_for_every_admin_page(client, world):
    urls = [reverse("admin:index")]
    for model, _model_admin in our_model_admins():
        urls += admin_urls(model)
    urls.append(
        reverse("admin:autocomplete")
        + "?app_label=deals&model_name=deal&field_name=payer&term=amazon"
    )
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_the_deal_list_shows_amounts_in_words_in_a_fixed_number_of_queries(client, editor, world):
    url = reverse("admin:deals_deal_changelist")
    with CaptureQueriesContext(connection) as one_deal:
        response = client.get(url)
    assert "$4B" in response.content.decode()

    for n in range(12):
        extra = DealCitationFactory(
            deal__payer=world["amazon"], deal__cloud=world["aws"], deal__slug=f"extra-{n}"
        ).deal
        extra.chip_platforms.add(world["trainium"], ChipPlatformFactory())
    with CaptureQueriesContext(connection) as many_deals:
        response = client.get(url)
    assert response.context["cl"].result_count == 13
    assert len(many_deals) == len(one_deal)


def test_the_deal_list_counts_each_deals_citations_and_sorts_by_them(client, editor, world):
    cited_twice = DealCitationFactory(deal__payer=world["amazon"], deal__slug="cited-twice").deal
    DealCitationFactory(deal=cited_twice)
    uncited = DealFactory(payer=world["amazon"], slug="uncited")
    url = reverse("admin:deals_deal_changelist")
    changelist = client.get(url).context["cl"]
    counts = {deal.slug: deal.citation_total for deal in changelist.result_list}
    assert counts["cited-twice"] == 2
    assert counts[uncited.slug] == 0
    # Sorted by the citations column, most cited first.
    column = changelist.list_display.index("citation_count")
    most_cited = client.get(url, {"o": f"-{column}"}).context["cl"].result_list[0]
    assert most_cited.slug == "cited-twice"


def test_the_site_header_names_dealwatch(client, editor):
    assert "DealWatch admin" in client.get(reverse("admin:index")).content.decode()


# Search by any spelling --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("انثروبيك", "anthropic"),
        ("أنثروبيك", "anthropic"),
        ("إنتروبيك", "anthropic"),
        ("أنثـروبِيك", "anthropic"),
        ("ANTHROPIC", "anthropic"),
        ("nvidia", "nvidia"),
        ("NVIDIA", "nvidia"),
        ("نفيديا", "nvidia"),
        ("إنفيدىا", "nvidia"),
    ],
)
def test_the_company_list_finds_a_company_by_any_spelling(client, editor, world, query, slug):
    response = client.get(reverse("admin:companies_company_changelist"), {"q": query})
    assert [company.slug for company in response.context["cl"].result_list] == [slug]


@pytest.mark.parametrize("term", ["نفيديا", "انفيدىا", "NVIDIA"])
def test_autocomplete_finds_a_party_by_any_spelling(client, editor, world, term):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "deals", "model_name": "deal", "field_name": "payer", "term": term},
    )
    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(world["nvidia"].pk), "text": "Nvidia"}]


def test_autocomplete_finds_a_cloud_by_another_spelling(client, editor, world):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "deals", "model_name": "deal", "field_name": "cloud", "term": "امازون ويب"},
    )
    assert [row["id"] for row in response.json()["results"]] == [str(world["aws"].pk)]


@pytest.mark.parametrize("query", ["انثروبيك", "Amazon", "امازون انثروبيك", "anthropic amazon"])
def test_the_deal_list_finds_deals_by_a_partys_name(client, editor, world, query):
    DealFactory(slug="someone-else")
    response = client.get(reverse("admin:deals_deal_changelist"), {"q": query})
    assert [deal.slug for deal in response.context["cl"].result_list] == ["amazon-anthropic-2024"]


# The status follows its history ------------------------------------------------------------


def change_post(response) -> dict:
    """The change form as the browser would send it back, unchanged, without extra rows."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            else:
                data[key] = "" if value is None else str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        initial = formset.initial_form_count()
        data |= management(formset.prefix, initial, initial)
        for form in formset.initial_forms:
            add(form)
    return data


def test_adding_a_later_status_change_updates_the_deals_status(client, editor, world):
    deal = world["deal"]
    url = reverse("admin:deals_deal_change", args=[deal.pk])
    page = client.get(url)
    # With a history, the status is read from it, not typed.
    assert "status" not in page.context["adminform"].form.fields
    post = change_post(page)
    post |= management("status_history", 2, 1) | {
        "status_history-1-status": "completed",
        "status_history-1-changed_on": "2025-03-01",
        "status_history-1-date_precision": "day",
        "status_history-1-article": world["article"].pk,
        "status_history-1-quote": QUOTE,
        "status_history-1-reference_url": "",
    }

    response = client.post(url, post)

    assert response.status_code == 302, [
        inline.formset.errors for inline in response.context["inline_admin_formsets"]
    ]
    deal.refresh_from_db()
    assert deal.status == "completed"
    assert deal.status_history.count() == 2


def test_an_alias_that_repeats_the_company_name_is_refused_in_words(client, editor, world):
    anthropic = world["anthropic"]
    url = reverse("admin:companies_company_change", args=[anthropic.pk])
    post = change_post(client.get(url))
    total = int(post["aliases-TOTAL_FORMS"])
    post |= management("aliases", total + 1, total) | {f"aliases-{total}-name": "ANTHROPIC"}

    response = client.post(url, post)

    assert response.status_code == 200
    assert "is the company’s own name “Anthropic”" in response.content.decode()
    assert anthropic.aliases.count() == total


def test_a_new_company_named_like_another_is_refused_next_to_its_name(client, editor, world):
    post = {
        "name": "NVIDIA",
        "name_ar": "",
        "slug": "nvidia-corp",
        "kind": "chipmaker",
        "parent": "",
        "website": "",
        **management("aliases", 0),
    }
    response = client.post(reverse("admin:companies_company_add"), post)
    assert response.status_code == 200
    assert not Company.objects.filter(slug="nvidia-corp").exists()
    assert (
        "“NVIDIA” is already a spelling of Nvidia"
        in (response.context["adminform"].form.errors["name"][0])
    )


def test_a_second_editor_cannot_overwrite_a_deal_saved_after_they_opened_it(client, editor, world):
    deal = world["deal"]
    url = reverse("admin:deals_deal_change", args=[deal.pk])
    first = change_post(client.get(url))
    second = change_post(client.get(url))

    first["summary"] = "Amazon's $4B, as the first editor read it."
    assert client.post(url, first).status_code == 302
    second["summary"] = "The second editor's summary."
    response = client.post(url, second)

    assert response.status_code == 200
    assert "after you opened it" in response.content.decode()
    deal.refresh_from_db()
    assert (deal.summary, deal.version) == ("Amazon's $4B, as the first editor read it.", 2)


def test_the_company_list_counts_each_companys_deals(client, editor, seeded):
    response = client.get(reverse("admin:companies_company_changelist"))
    assert response.status_code == 200
    companies = {company.slug: company for company in response.context["cl"].result_list}
    # Anthropic pays in 3 seed deals (compute) and receives 5 (investments).
    assert companies["anthropic"].paid == 3
    assert companies["anthropic"].received == 5
    assert companies["softbank"].paid == companies["softbank"].received == 0
