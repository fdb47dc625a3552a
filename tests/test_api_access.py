"""Who may read the API: everyone on a public site; with DEALWATCH_REQUIRE_LOGIN, a session or
a token an admin issued. Anonymous clients are throttled per address."""

import re

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.urls import reverse

from api.models import ApiToken, token_digest
from tests.conftest import make_user
from tests.test_api import get

DEALS = "/api/v1/deals/"


@pytest.fixture
def sign_in_required(settings):
    settings.REQUIRE_LOGIN = True
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "django.contrib.auth.middleware.LoginRequiredMiddleware",
    ]


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


def test_an_admin_issues_a_token_that_is_shown_once_and_stored_hashed(client, db):
    admin = User.objects.create_superuser("boss", password="unguessable-Passw0rd")
    reader = make_user(None, staff=False)
    client.force_login(admin)
    response = client.post(
        reverse("admin:api_apitoken_add"), {"user": reader.pk, "name": "Data desk"}, follow=True
    )
    assert response.status_code == 200
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    [message] = [m for m in messages if "The new token" in m]
    secret = re.search(r"dw_[A-Za-z0-9_-]+", message)[0]
    token = ApiToken.objects.get()
    assert token.digest == token_digest(secret) and secret not in token.digest
    assert token.prefix == secret[: len(token.prefix)]
    change_page = client.get(reverse("admin:api_apitoken_change", args=[token.pk]))
    assert secret not in change_page.content.decode()


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
