"""Change history: the deal page says who changed which figure when; admins can revert."""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import HistoricalRecords

from deals.models import Deal, DealStatus
from deals.roles import ADMINS
from deals.selectors.history import deal_change_history
from tests.conftest import make_user
from tests.factories import CompanyFactory, DealFactory


def edit(deal: Deal, user: User | None = None, **changes) -> Deal:
    """Save changes as `user` would through the admin (simple_history records the user)."""
    deal.refresh_from_db()
    for name, value in changes.items():
        setattr(deal, name, value)
    deal._history_user = user
    deal.version += 1
    deal.save()
    return deal


@pytest.fixture
def deal(db):
    return DealFactory(amount_usd=Decimal("1000000000"))


def test_deal_page_shows_who_changed_which_figure(client, deal):
    editor = make_user(ADMINS, first_name="Layla")
    edit(deal, editor, amount_usd=Decimal("8000000000"), status=DealStatus.SIGNED)
    edit(deal, None, announced_on=datetime.date(2025, 3, 1))
    html = client.get(deal.get_absolute_url()).content.decode()
    section = html[html.index('id="change-history-title"') :]
    assert "Change history" in html
    amount_row = section[section.index('data-field="amount_usd"') :]
    amount_row = amount_row[: amount_row.index("</tr>")]
    assert "$1,000,000,000" in amount_row and "$8,000,000,000" in amount_row
    assert amount_row.index("$1,000,000,000") < amount_row.index("$8,000,000,000")
    assert 'data-field="status"' in section and "signed" in section
    assert "Layla" in section
    assert "system" in section  # the edit made with no signed-in user
    assert "recorded the deal" in section
    # Newest first: the date change (by the system) comes before Layla's amount change.
    assert section.index('data-field="announced_on"') < section.index('data-field="amount_usd"')


def test_history_entries_pair_each_edit_with_the_one_before(deal):
    edit(deal, None, amount_usd=Decimal("2000000000"))
    edit(deal, None, summary="Now with a summary.")
    edit(deal, None)  # a save that changed nothing shown is left out
    entries = deal_change_history(deal)
    assert [e.created for e in entries] == [False, False, True]
    assert [(c.field, c.before, c.after) for c in entries[0].changes] == [
        ("summary", "—", "Now with a summary.")
    ]
    assert [(c.field, c.before, c.after) for c in entries[1].changes] == [
        ("amount_usd", "$1,000,000,000", "$2,000,000,000")
    ]


def test_party_changes_show_company_names(deal):
    newcomer = CompanyFactory(name="Newcomer Labs")
    old_name = deal.payee.name
    edit(deal, None, payee=newcomer)
    (change,) = deal_change_history(deal)[0].changes
    assert (change.field, change.before, change.after) == ("payee", old_name, "Newcomer Labs")


def test_history_costs_the_same_queries_however_long(client, deal, django_assert_num_queries):
    url = deal.get_absolute_url()
    edit(deal, make_user(ADMINS), amount_usd=Decimal("3000000000"))
    with CaptureQueriesContext(connection) as short:
        assert client.get(url).status_code == 200
    user = make_user(ADMINS)
    payees = [deal.payee, CompanyFactory()]
    for step in range(12):
        edit(deal, user, amount_usd=Decimal(4000000000 + step), payee=payees[step % 2])
    with CaptureQueriesContext(connection) as long:
        response = client.get(url)
    assert response.status_code == 200
    assert len(long) == len(short)
    assert len(deal_change_history(deal)) > 10


def test_history_is_capped(deal):
    for step in range(6):
        edit(deal, None, amount_usd=Decimal(5000000000 + step))
    entries = deal_change_history(deal, limit=3)
    assert len(entries) == 3
    assert entries[0].changes[0].after == "$5,000,000,005"


def test_every_admin_with_history_is_a_simple_history_admin():
    for model, model_admin in admin.site._registry.items():
        if model._meta.proxy:  # a second view of a model (the inbox's articles): its history
            continue  # is the concrete model's, shown by that model's admin
        if any(isinstance(f, HistoricalRecords) for f in vars(model).values()) or hasattr(
            model, "history"
        ):
            assert isinstance(model_admin, SimpleHistoryAdmin), model.__name__


def _form_data(form) -> dict:
    """What a browser submits for a rendered admin form (its current values)."""
    data = {}
    for name, bound in ((name, form[name]) for name in form.fields):
        value = bound.value()
        if value is None:
            data[name] = ""
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return data


def test_an_admin_reverts_a_deals_amount_and_the_revert_is_recorded(client, deal):
    editor = make_user(ADMINS, first_name="Omar")
    edit(deal, editor, amount_usd=Decimal("9000000000"))
    original = deal.history.earliest()
    assert original.amount_usd == Decimal("1000000000")

    reverter = make_user(ADMINS, first_name="Huda")
    client.force_login(reverter)
    assert client.get(reverse("admin:deals_deal_history", args=[deal.pk])).status_code == 200
    url = reverse("admin:deals_deal_simple_history", args=[deal.pk, original.history_id])
    page = client.get(url)
    assert page.status_code == 200
    assert b"Revert" in page.content
    response = client.post(url, _form_data(page.context["adminform"].form))
    assert response.status_code == 302, response.context["adminform"].form.errors

    deal.refresh_from_db()
    assert deal.amount_usd == Decimal("1000000000")
    latest = deal.history.first()
    assert latest.history_user == reverter
    assert latest.amount_usd == Decimal("1000000000")
    assert deal.version == 3  # created 1, Omar's edit 2, the revert 3: never back to an old one
    (change,) = deal_change_history(deal)[0].changes
    assert (change.before, change.after) == ("$9,000,000,000", "$1,000,000,000")
    assert deal_change_history(deal)[0].who == "Huda"


def test_an_editor_cannot_revert_a_stale_form(client, deal):
    """Opening the revert page, then someone else saving, refuses the revert like any edit."""
    original = deal.history.earliest()
    edit(deal, None, amount_usd=Decimal("9000000000"))
    client.force_login(make_user(ADMINS))
    url = reverse("admin:deals_deal_simple_history", args=[deal.pk, original.history_id])
    data = _form_data(client.get(url).context["adminform"].form)
    edit(deal, None, amount_usd=Decimal("7000000000"))
    response = client.post(url, data)
    assert response.status_code == 200
    assert b"after you opened it" in response.content
    deal.refresh_from_db()
    assert deal.amount_usd == Decimal("7000000000")


def test_a_deal_without_recorded_history_says_so(client, seeded):
    """Fixture loads write no history; the page still renders and says there is none."""
    deal = Deal.objects.order_by("pk").first()
    assert deal_change_history(deal) == []
    response = client.get(deal.get_absolute_url())
    assert response.status_code == 200
    assert "No edits recorded." in response.content.decode()
