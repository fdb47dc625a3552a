"""Who may do what: visitors read, editors add and change, admins delete and manage users."""

import secrets

import pytest
from django.contrib.auth.models import Group, User
from django.test import override_settings
from django.urls import reverse

from deals.roles import ADMINS, EDITORS
from tests.conftest import make_user
from tests.factories import DealFactory


@pytest.fixture
def deal(db):
    return DealFactory()


def test_migrate_creates_the_two_roles(db):
    editors = Group.objects.get(name=EDITORS)
    admins = Group.objects.get(name=ADMINS)
    editor_codenames = set(editors.permissions.values_list("codename", flat=True))
    assert {"add_deal", "change_deal", "view_deal", "add_dealcitation", "change_company"} <= (
        editor_codenames
    )
    assert not any(code.startswith("delete_") for code in editor_codenames)
    admin_codenames = set(admins.permissions.values_list("codename", flat=True))
    assert {"delete_deal", "delete_company", "add_user", "change_user", "delete_user"} <= (
        admin_codenames
    )


def test_anonymous_visitors_read_but_cannot_open_the_admin(client, deal):
    assert client.get(reverse("deals:search"), {"q": "x"}).status_code == 200
    response = client.get(reverse("admin:deals_deal_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_editors_add_and_change_deals_but_cannot_delete_or_manage_users(client, deal):
    client.force_login(make_user(EDITORS))
    assert client.get(reverse("admin:deals_deal_add")).status_code == 200
    assert client.get(reverse("admin:deals_deal_change", args=[deal.pk])).status_code == 200
    assert client.get(reverse("admin:deals_deal_delete", args=[deal.pk])).status_code == 403
    assert (
        client.post(reverse("admin:deals_deal_delete", args=[deal.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert deal.__class__.objects.filter(pk=deal.pk).exists()


def test_admins_delete_deals_and_manage_users(client, deal):
    client.force_login(make_user(ADMINS))
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200
    response = client.post(reverse("admin:deals_deal_delete", args=[deal.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not deal.__class__.objects.filter(pk=deal.pk).exists()


def test_signed_in_user_without_staff_status_cannot_write(client, deal):
    client.force_login(make_user(EDITORS, staff=False))
    response = client.get(reverse("admin:deals_deal_add"))
    assert response.status_code == 302


def test_a_setting_can_require_sign_in_for_the_whole_site(client, deal, settings):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "django.contrib.auth.middleware.LoginRequiredMiddleware",
    ]
    response = client.get(reverse("deals:search"), {"q": "x"})
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    assert client.get(reverse("admin:login")).status_code == 200
    client.force_login(make_user(None, staff=False))
    assert client.get(reverse("deals:search"), {"q": "x"}).status_code == 200


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_password_guessing_locks_the_account_out(client, db):
    password = secrets.token_urlsafe(16)
    User.objects.create_user(username="editor", password=password, is_staff=True)
    login = reverse("admin:login")
    for _ in range(3):
        response = client.post(login, {"username": "editor", "password": "wrong-guess"})
    assert response.status_code == 429
    # Even the right password is refused while the lock-out lasts.
    response = client.post(login, {"username": "editor", "password": password})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True)
def test_the_right_password_signs_in_when_not_locked(client, db):
    password = secrets.token_urlsafe(16)
    User.objects.create_user(username="editor", password=password, is_staff=True)
    response = client.post(reverse("admin:login"), {"username": "editor", "password": password})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
