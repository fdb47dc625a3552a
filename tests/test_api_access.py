"""Who may read the API: everyone on a public site; with DEALWATCH_REQUIRE_LOGIN, a session or
a token an admin issued. Anonymous clients are throttled per address."""

import re
import secrets

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.contrib.messages import get_messages
from django.urls import reverse
from openapi_spec_validator import validate as validate_spec

from api.models import ApiToken, token_digest
from deals.roles import ADMINS, EDITORS
from tests.conftest import make_user
from tests.test_api import OPENAPI, get, openapi
from watch.roles import READERS

DEALS = "/api/v1/deals/"


@pytest.fixture
def sign_in_required(settings):
    settings.REQUIRE_LOGIN = True
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "django.contrib.auth.middleware.LoginRequiredMiddleware",
    ]


# -- what the OpenAPI document says -------------------------------------------------------------

BOTH_WAYS_IN = [{"BearerToken": []}, {"SessionCookie": []}]


def security_of_every_operation(document: dict) -> list:
    return [
        operation.get("security")
        for item in document["paths"].values()
        for operation in item.values()
    ]


def test_the_document_describes_both_ways_in_and_says_neither_is_needed(db, settings):
    document = openapi()
    schemes = document["components"]["securitySchemes"]
    assert schemes["BearerToken"]["type"] == "http"
    assert schemes["BearerToken"]["scheme"] == "bearer"
    assert schemes["SessionCookie"]["type"] == "apiKey"
    assert schemes["SessionCookie"]["in"] == "cookie"
    assert schemes["SessionCookie"]["name"] == settings.SESSION_COOKIE_NAME
    # Either way in, or none at all ({}: OpenAPI's "no credentials needed").
    assert set(map(str, security_of_every_operation(document))) == {str([*BOTH_WAYS_IN, {}])}
    assert "DEALWATCH_REQUIRE_LOGIN" in document["info"]["description"]


def test_a_private_sites_document_asks_for_a_token_or_a_session(client, db, sign_in_required):
    response = client.get(OPENAPI)
    assert response.status_code == 200
    document = response.json()
    validate_spec(document)
    assert set(map(str, security_of_every_operation(document))) == {str(BOTH_WAYS_IN)}


def issue_token(user=None, name="Newsroom notebook") -> str:
    token = ApiToken(user=user or make_user(None, staff=False), name=name)
    secret = token.issue()
    token.save()
    return secret


def test_a_public_site_answers_without_credentials(client, seeded):
    assert get(client, DEALS).status_code == 200


def test_without_credentials_a_private_site_answers_401_in_json(client, seeded, sign_in_required):
    response = get(client, DEALS)
    assert response.status_code == 401
    assert "sign-in" in response.body["detail"]
    assert response["WWW-Authenticate"] == "Bearer"
    # The rest of the site still sends people to sign in.
    assert client.get("/export/summary.json").status_code == 302


def test_a_token_reads_a_private_site(client, seeded, sign_in_required):
    token = issue_token()
    response = get(client, DEALS, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and response.body["results"]


def test_a_session_reads_a_private_site(client, seeded, sign_in_required):
    client.force_login(make_user(None, staff=False))
    assert get(client, DEALS).status_code == 200


@pytest.mark.parametrize("header", ["Bearer dw_wrong", "Basic abc", "Bearer"])
def test_a_wrong_token_is_refused_even_on_a_public_site(client, seeded, header):
    response = get(client, DEALS, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert "token" in response.body["detail"]


def test_a_revoked_token_or_a_deactivated_user_is_refused(client, seeded, sign_in_required):
    user = make_user(None, staff=False)
    token = issue_token(user)
    ApiToken.objects.update(is_active=False)
    assert client.get(DEALS, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    ApiToken.objects.update(is_active=True)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(DEALS, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


# -- issuing tokens ----------------------------------------------------------------------------

TOKEN_PERMISSIONS = {"add_apitoken", "change_apitoken", "delete_apitoken", "view_apitoken"}


def token_permissions(role: str) -> set[str]:
    codenames = Group.objects.get(name=role).permissions.values_list("codename", flat=True)
    return TOKEN_PERMISSIONS & set(codenames)


def issue_in_admin(client, issuer, holder, name="Data desk"):
    """`issuer` fills in the admin's "Add API token" form for `holder`: the final response."""
    client.force_login(issuer)
    return client.post(
        reverse("admin:api_apitoken_add"), {"user": holder.pk, "name": name}, follow=True
    )


def shown_token(response) -> str | None:
    """The secret in the page's "The new token …" message, if there is one."""
    messages = [str(m) for m in get_messages(response.wsgi_request) if "The new token" in str(m)]
    return re.search(r"dw_[A-Za-z0-9_-]+", messages[0])[0] if messages else None


def test_the_admins_role_administers_tokens_and_no_other_role_does(db):
    assert token_permissions(ADMINS) == TOKEN_PERMISSIONS
    assert token_permissions(EDITORS) == set()
    assert token_permissions(READERS) == set()


def superuser():
    return User.objects.create_superuser(
        f"boss-{secrets.token_hex(3)}", password="unguessable-Passw0rd"
    )


@pytest.mark.parametrize("issuer", [superuser, lambda: make_user(ADMINS)], ids=["super", "admin"])
def test_an_admin_issues_a_token_that_is_shown_once_and_stored_hashed(client, db, issuer):
    reader = make_user(READERS, staff=False)
    response = issue_in_admin(client, issuer(), reader)
    assert response.status_code == 200
    secret = shown_token(response)
    token = ApiToken.objects.get()
    assert token.user == reader
    assert token.digest == token_digest(secret) and secret not in token.digest
    assert token.prefix == secret[: len(token.prefix)]
    change_page = client.get(reverse("admin:api_apitoken_change", args=[token.pk]))
    assert change_page.status_code == 200
    assert secret not in change_page.content.decode()
    # The secret is gone from every later page: the change list, the change page again.
    assert secret not in client.get(reverse("admin:api_apitoken_changelist")).content.decode()


def test_staff_holding_only_the_add_permission_issue_a_token(client, db):
    issuer = make_user(None)
    issuer.user_permissions.add(Permission.objects.get(codename="add_apitoken"))
    secret = shown_token(issue_in_admin(client, issuer, issuer, name="My notebook"))
    assert ApiToken.objects.for_token(secret).user == issuer


def test_the_token_an_admin_issued_reads_a_private_site(client, seeded, sign_in_required):
    secret = shown_token(issue_in_admin(client, make_user(ADMINS), make_user(None, staff=False)))
    client.logout()
    assert get(client, DEALS, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200


def test_an_admin_revokes_a_token_and_it_stops_working_at_once(client, seeded):
    admin = make_user(ADMINS)
    secret = shown_token(issue_in_admin(client, admin, make_user(None, staff=False)))
    client.logout()
    assert client.get(DEALS, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    token = ApiToken.objects.get()
    client.force_login(admin)
    # The change form with "active" unticked (an unticked box is not sent).
    response = client.post(
        reverse("admin:api_apitoken_change", args=[token.pk]), {"name": token.name}
    )
    assert response.status_code == 302
    client.logout()
    assert get(client, DEALS, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_a_token_cannot_be_handed_to_another_person(client, db):
    admin, holder, other = make_user(ADMINS), make_user(None, staff=False), make_user(None)
    issue_in_admin(client, admin, holder)
    token = ApiToken.objects.get()
    client.post(
        reverse("admin:api_apitoken_change", args=[token.pk]),
        {"user": other.pk, "name": token.name, "is_active": "on"},
    )
    token.refresh_from_db()
    assert token.user == holder


def test_an_admin_cannot_issue_a_token_for_a_superuser_or_another_admin(client, db):
    admin = make_user(ADMINS)
    for holder in [superuser(), make_user(ADMINS)]:
        response = issue_in_admin(client, admin, holder)
        assert "Only a superuser issues a token" in response.content.decode()
        assert shown_token(response) is None
    assert not ApiToken.objects.exists()
    # A superuser may.
    assert shown_token(issue_in_admin(client, superuser(), make_user(ADMINS)))


@pytest.mark.parametrize(
    ("role", "staff", "status"),
    [(READERS, False, 302), (READERS, True, 403), (EDITORS, True, 403)],
    ids=["reader", "reader-with-staff-status", "editor"],
)
def test_readers_and_editors_never_issue_a_token(client, db, role, staff, status):
    issuer = make_user(role, staff=staff)
    client.force_login(issuer)
    assert client.get(reverse("admin:api_apitoken_add")).status_code == status
    response = client.post(reverse("admin:api_apitoken_add"), {"user": issuer.pk, "name": "x"})
    assert response.status_code == status
    assert not ApiToken.objects.exists()


# -- throttling --------------------------------------------------------------------------------


@pytest.fixture
def three_a_minute(settings):
    settings.DEALWATCH_API_THROTTLE_RATE = "3/min"


def test_a_fourth_anonymous_request_in_a_minute_answers_429_with_retry_after(
    client, seeded, three_a_minute
):
    for _ in range(3):
        assert client.get("/api/v1/clouds/").status_code == 200
    refused = get(client, "/api/v1/clouds/")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 20
    assert f"wait {refused['Retry-After']} seconds" in refused.body["detail"]
    # Another address has its own bucket.
    assert client.get("/api/v1/clouds/", REMOTE_ADDR="198.51.100.9").status_code == 200


def test_the_api_falls_back_to_the_sites_rate(client, seeded, settings):
    settings.DEALWATCH_THROTTLE_RATE = "2/min"
    assert [client.get("/api/v1/clouds/").status_code for _ in range(3)] == [200, 200, 429]


def test_token_holders_and_signed_in_readers_are_not_throttled(client, seeded, three_a_minute):
    token = issue_token()
    for _ in range(5):
        assert client.get(DEALS, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    client.force_login(make_user(None, staff=False))
    for _ in range(5):
        assert client.get(DEALS).status_code == 200
