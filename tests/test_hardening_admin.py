"""Hardening of the admin and sign-in (issue 17): no lost edits, no lock-out of others, rights
only a superuser grants, and production settings that refuse what they should."""

import logging
import secrets
import threading
import time
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db import connection, connections
from django.test import Client, override_settings
from django.urls import reverse

from deals.admin import DealAdmin
from deals.models import Deal
from deals.roles import ADMINS, EDITORS, ensure_roles
from dealwatch.client_ip import client_ip
from dealwatch.editing import TOKEN_FIELD
from tests.conftest import make_user
from tests.factories import CompanyFactory, DealFactory
from tests.test_admin import change_post, management
from tests.test_history import _form_data, edit

CONFLICT = "after you opened it. Open it again to see their changes, then make yours"


def change_url(record) -> str:
    meta = record._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])


# No lost edits ------------------------------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs row locks and concurrent connections: PostgreSQL (CI runs it there)",
)
@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_a_deal_at_the_same_moment_one_is_refused_nothing_is_lost(
    monkeypatch,
):
    ensure_roles()
    deal = DealFactory()
    editors = [make_user(EDITORS, first_name=name) for name in ("Amal", "Basel")]
    original_save = DealAdmin.save_model

    def slow_save(self, request, obj, form, change):
        # Widen the window between the conflict check and the write, as a busy server does:
        # without an atomic check, both editors pass it before either writes.
        time.sleep(0.3)
        original_save(self, request, obj, form, change)

    monkeypatch.setattr(DealAdmin, "save_model", slow_save)

    for attempt in range(3):
        clients, posts = [], []
        for editor in editors:
            client = Client()
            client.force_login(editor)
            post = change_post(client.get(change_url(deal)))
            post["summary"] = f"{editor.first_name}'s summary, attempt {attempt}"
            clients.append(client)
            posts.append(post)
        start = threading.Barrier(2)
        responses = [None, None]

        def save(index, start=start, clients=clients, posts=posts, responses=responses):
            try:
                start.wait()
                responses[index] = clients[index].post(change_url(deal), posts[index])
            finally:
                connections.close_all()

        threads = [threading.Thread(target=save, args=(index,)) for index in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        statuses = sorted(response.status_code for response in responses)
        assert statuses == [200, 302], f"attempt {attempt}: {statuses}"
        winner = next(i for i, response in enumerate(responses) if response.status_code == 302)
        refused = responses[1 - winner].content.decode()
        assert CONFLICT in refused
        assert "nothing was saved" in refused
        deal.refresh_from_db()
        assert deal.summary == posts[winner]["summary"]
        assert deal.version == attempt + 2
        # One history record per accepted save: no second "version 2".
        versions = list(deal.history.values_list("version", flat=True))
        assert len(versions) == len(set(versions)) == attempt + 2


@pytest.fixture
def editor(client, db):
    ensure_roles()
    user = make_user(EDITORS, first_name="Amal")
    client.force_login(user)
    return user


def test_a_company_saved_by_another_editor_after_it_was_opened_is_not_overwritten(client, editor):
    company = CompanyFactory(website="https://old.example.org")
    url = change_url(company)
    first = change_post(client.get(url))
    second = change_post(client.get(url))

    first["website"] = "https://new.example.org"
    assert client.post(url, first).status_code == 302
    second["name_ar"] = "اسم آخر"
    response = client.post(url, second)

    assert response.status_code == 200
    html = response.content.decode()
    assert CONFLICT in html
    assert "Amal saved this record (company)" in html
    company.refresh_from_db()
    assert company.website == "https://new.example.org"
    assert company.name_ar != "اسم آخر"


def test_a_change_to_a_companys_spellings_alone_also_counts_as_a_save(client, editor):
    company = CompanyFactory(website="https://old.example.org")
    url = change_url(company)
    first = change_post(client.get(url))
    second = change_post(client.get(url))

    total = int(first["aliases-TOTAL_FORMS"])
    first |= management("aliases", total + 1, total) | {f"aliases-{total}-name": "Another Name"}
    assert client.post(url, first).status_code == 302
    second["website"] = "https://second.example.org"
    response = client.post(url, second)

    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    company.refresh_from_db()
    assert company.website == "https://old.example.org"
    assert company.aliases.filter(name="Another Name").exists()


def test_the_deal_and_the_company_give_the_same_refusal(client, editor):
    records = [DealFactory(), CompanyFactory()]
    messages = []
    for record in records:
        url = change_url(record)
        stale = change_post(client.get(url))
        assert client.post(url, change_post(client.get(url))).status_code == 302
        response = client.post(url, stale)
        assert response.status_code == 200
        (message,) = response.context["adminform"].form.non_field_errors()
        messages.append(message.replace(str(record._meta.verbose_name), "…"))
    assert messages[0] == messages[1]


def test_every_change_form_an_editor_opens_carries_the_conflict_token(client, editor, seeded):
    for model, _model_admin in admin.site._registry.items():
        if model._meta.app_label not in ("companies", "deals"):
            continue
        record = model._default_manager.order_by("pk").first()
        if record is None:
            continue
        response = client.get(change_url(record))
        assert response.status_code == 200, model
        assert f'name="{TOKEN_FIELD}"' in response.content.decode(), model
        assert response.context["adminform"].form[TOKEN_FIELD].value(), model


# A deleted deal, restored ------------------------------------------------------------------


@pytest.fixture
def deleted_deal(db):
    """A deal edited once (to version 2), then deleted by an administrator."""
    deal = DealFactory(amount_usd=Decimal("1000000000"))
    edit(deal, None, amount_usd=Decimal("2000000000"))
    pk = deal.pk
    deal.delete()
    return pk


def restore_url(pk) -> str:
    before_deletion = Deal.history.filter(id=pk).exclude(history_type="-").first()
    return reverse("admin:deals_deal_simple_history", args=[pk, before_deletion.history_id])


def test_a_superuser_restores_a_deleted_deal_from_its_history(client, deleted_deal):
    client.force_login(User.objects.create_superuser("root", password=secrets.token_hex(8)))
    assert client.get(reverse("admin:deals_deal_history", args=[deleted_deal])).status_code == 200
    page = client.get(restore_url(deleted_deal))
    assert page.status_code == 200
    assert b"Revert" in page.content

    response = client.post(restore_url(deleted_deal), _form_data(page.context["adminform"].form))

    assert response.status_code == 302, response.content.decode()[-2000:]
    restored = Deal.objects.get(pk=deleted_deal)
    assert restored.amount_usd == Decimal("2000000000")
    assert restored.version == 3  # after the version it was deleted at, never an old one
    assert restored.history.first().history_user.username == "root"


def test_an_editor_cannot_restore_a_deleted_deal(client, editor, deleted_deal):
    page = client.get(restore_url(deleted_deal))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content  # no Revert button
    response = client.post(restore_url(deleted_deal), _form_data(page.context["adminform"].form))
    assert response.status_code == 403
    assert not Deal.objects.filter(pk=deleted_deal).exists()


def test_an_editor_reverts_a_change_and_the_revert_is_recorded_under_their_name(client, editor):
    deal = DealFactory(amount_usd=Decimal("1000000000"))
    edit(deal, make_user(ADMINS), amount_usd=Decimal("9000000000"))
    url = reverse(
        "admin:deals_deal_simple_history", args=[deal.pk, deal.history.earliest().history_id]
    )
    page = client.get(url)
    response = client.post(url, _form_data(page.context["adminform"].form))
    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.amount_usd == Decimal("1000000000")
    assert deal.history.first().history_user == editor


# Sign-in lock-out keyed on the real client ---------------------------------------------------

PROXY = "127.0.0.1"


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3, DEALWATCH_TRUSTED_PROXIES=[PROXY])
def test_an_attackers_failed_sign_ins_from_elsewhere_do_not_lock_the_victim_out(client, db):
    password = secrets.token_urlsafe(16)
    User.objects.create_user(username="layla", password=password, is_staff=True)
    login = reverse("admin:login")
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    for _ in range(3):
        response = client.post(login, {"username": "layla", "password": "guess"}, **attacker)
    assert response.status_code == 429  # the attacker is locked out...

    victim = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    response = victim.post(login, {"username": "layla", "password": password})
    assert response.status_code == 302  # ...the victim, behind the same proxy, is not
    assert "_auth_user_id" in victim.session


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "client"),
    [
        pytest.param([], "127.0.0.1", "203.0.113.9", "127.0.0.1", id="no-proxy-trusted"),
        pytest.param([PROXY], "198.51.100.7", "203.0.113.9", "198.51.100.7", id="not-via-proxy"),
        pytest.param([PROXY], PROXY, "203.0.113.9", "203.0.113.9", id="via-proxy"),
        pytest.param([PROXY], PROXY, "10.6.6.6, 203.0.113.9", "203.0.113.9", id="spoofed-left"),
        pytest.param(
            ["127.0.0.1", "10.0.0.0/8"], PROXY, "203.0.113.9, 10.1.2.3", "203.0.113.9", id="chain"
        ),
        pytest.param([PROXY], PROXY, "", PROXY, id="no-header"),
        pytest.param([PROXY], PROXY, "not-an-address", PROXY, id="malformed"),
    ],
)
def test_the_client_address_trusts_forwarded_for_only_from_the_proxy(
    rf, settings, trusted, remote, forwarded, client
):
    settings.DEALWATCH_TRUSTED_PROXIES = trusted
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == client


# Public pages name a role, never a user name --------------------------------------------------


def test_the_deal_page_names_editors_by_display_name_or_role_never_by_user_name(client, db):
    ensure_roles()
    deal = DealFactory(amount_usd=Decimal("1000000000"))
    editor = make_user(EDITORS)
    administrator = make_user(ADMINS)
    named = make_user(EDITORS, first_name="Layla")
    edit(deal, editor, amount_usd=Decimal("2000000000"))
    edit(deal, administrator, amount_usd=Decimal("3000000000"))
    edit(deal, named, amount_usd=Decimal("4000000000"))

    html = client.get(deal.get_absolute_url()).content.decode()
    section = html[html.index('id="change-history-title"') :]
    assert "an editor" in section
    assert "an administrator" in section
    assert "Layla" in section
    for user in (editor, administrator, named):
        assert user.username not in html


# Only a superuser grants rights ---------------------------------------------------------------


@pytest.fixture
def administrator(client, db):
    ensure_roles()
    user = make_user(ADMINS, first_name="Huda")
    client.force_login(user)
    return user


def user_change(client, user, **changes):
    """Send the account's change form as shown, with `changes`."""
    post = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": "",
        "email": "",
        "is_active": "on",
        "date_joined_0": "2025-01-01",
        "date_joined_1": "00:00:00",
        "last_login_0": "",
        "last_login_1": "",
        **changes,
    }
    return client.post(reverse("admin:auth_user_change", args=[user.pk]), post)


def test_an_admin_cannot_make_themselves_superuser_or_grant_staff(client, administrator):
    visitor = make_user(None, staff=False)
    for target in (administrator, visitor):
        assert user_change(client, target, is_superuser="on", is_staff="on").status_code == 302
        target.refresh_from_db()
        assert not target.is_superuser
    assert not visitor.is_staff


def test_an_admin_cannot_set_the_superusers_or_another_admins_password(client, administrator):
    root = User.objects.create_superuser("root", password="root-" + secrets.token_hex(8))
    other_admin = make_user(ADMINS)
    for target in (root, other_admin):
        url = reverse("admin:auth_user_password_change", args=[target.pk])
        new = secrets.token_urlsafe(16)
        assert client.get(url).status_code == 403
        response = client.post(url, {"password1": new, "password2": new})
        assert response.status_code == 403
        target.refresh_from_db()
        assert not target.check_password(new)
        # Nor change or delete the account itself.
        assert user_change(client, target, username="taken-over").status_code == 403
        assert client.post(
            reverse("admin:auth_user_changelist"),
            {"action": "delete_selected", "_selected_action": [target.pk], "post": "yes"},
        ).status_code in (200, 403)
        assert User.objects.filter(pk=target.pk, username=target.username).exists()


def test_an_admin_resets_an_editors_password(client, administrator):
    editor = make_user(EDITORS)
    new = secrets.token_urlsafe(16)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[editor.pk]),
        {"password1": new, "password2": new},
    )
    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.check_password(new)


def test_an_admin_cannot_widen_a_role(client, administrator):
    editors = Group.objects.get(name=EDITORS)
    response = client.post(
        reverse("admin:auth_group_change", args=[editors.pk]), {"name": "Editors"}
    )
    assert response.status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 200


def test_a_superuser_grants_staff_status_and_a_role(client, db):
    ensure_roles()
    client.force_login(User.objects.create_superuser("root", password=secrets.token_hex(8)))
    newcomer = make_user(None, staff=False)
    editors = Group.objects.get(name=EDITORS)
    assert user_change(client, newcomer, is_staff="on", groups=[editors.pk]).status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.is_staff
    assert newcomer.groups.filter(name=EDITORS).exists()


# Smaller items -------------------------------------------------------------------------------


def test_a_refused_next_after_sign_in_lands_on_the_admin_index(client, db):
    password = secrets.token_urlsafe(16)
    User.objects.create_user(username="omar", password=password, is_staff=True)
    response = client.post(
        reverse("admin:login"),
        {"username": "omar", "password": password, "next": "https://evil.example.org/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200


def test_a_refused_permission_is_logged_in_one_line(client, editor, caplog):
    deal = DealFactory()
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("admin:deals_deal_delete", args=[deal.pk]))
    assert response.status_code == 403
    (record,) = [r for r in caplog.records if "Permission denied" in r.getMessage()]
    assert record.exc_info is None
    assert "\n" not in logging.Formatter().format(record)


def test_the_language_cookie_stays_on_this_site(client, db):
    response = client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    assert response.cookies["django_language"]["samesite"] == "Lax"
