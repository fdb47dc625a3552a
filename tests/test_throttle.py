"""One address cannot ask for the expensive pages faster than the configured rate."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from dealwatch.throttle import parse_rate

from .conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_a_minute(settings):
    settings.DEALWATCH_THROTTLE_RATE = "3/min"


def test_a_fourth_search_in_a_minute_is_refused_with_when_to_come_back(client, three_a_minute):
    for _ in range(3):
        assert client.get("/search/?q=anthropic").status_code == 200
    refused = client.get("/search/?q=anthropic")
    assert refused.status_code == 429
    # The bucket refills one request every 20 s.
    assert 1 <= int(refused["Retry-After"]) <= 20
    text = refused.content.decode()
    assert "Too many requests from your address" in text
    assert f"wait {refused['Retry-After']} seconds" in text


def test_the_refusal_is_in_arabic_on_arabic_pages(client, three_a_minute):
    for _ in range(3):
        client.get("/ar/search/?q=x")
    refused = client.get("/ar/search/?q=x")
    assert refused.status_code == 429
    assert "طلبات كثيرة" in refused.content.decode()


def test_exports_and_filtered_graphs_draw_on_the_same_bucket(client, seeded, three_a_minute):
    assert client.get("/export/deals.csv").status_code == 200
    assert client.get("/graph/?company=anthropic").status_code == 200
    assert client.get("/export/deals.json?type=investment").status_code == 200
    assert client.get("/export/deals.csv").status_code == 429


def test_cheap_pages_are_never_throttled(client, seeded, three_a_minute):
    for path in ["/graph/", "/", "/deals/?min_amount=1B", "/companies/"] * 2:
        assert client.get(path).status_code == 200, path


def test_one_address_running_out_does_not_hold_up_another(client, three_a_minute):
    for _ in range(4):
        client.get("/search/?q=x", REMOTE_ADDR="203.0.113.7")
    assert client.get("/search/?q=x", REMOTE_ADDR="203.0.113.7").status_code == 429
    assert client.get("/search/?q=x", REMOTE_ADDR="198.51.100.9").status_code == 200


def test_behind_the_trusted_proxy_each_client_has_its_own_bucket(client, settings, three_a_minute):
    settings.DEALWATCH_TRUSTED_PROXIES = ["127.0.0.1"]
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for _ in range(3):
        client.get("/search/?q=x", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert (
        client.get("/search/?q=x", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy).status_code == 429
    )
    # A client cannot escape its bucket by putting another address in front of its own.
    forged = "198.51.100.1, 203.0.113.7"
    assert client.get("/search/?q=x", HTTP_X_FORWARDED_FOR=forged, **proxy).status_code == 429
    other = client.get("/search/?q=x", HTTP_X_FORWARDED_FOR="198.51.100.9", **proxy)
    assert other.status_code == 200


def test_one_ipv6_client_is_one_bucket_whatever_address_of_its_block(client, three_a_minute):
    for host in range(1, 5):
        last = client.get("/search/?q=x", REMOTE_ADDR=f"2001:db8:1:2::{host}")
    assert last.status_code == 429
    assert client.get("/search/?q=x", REMOTE_ADDR="2001:db8:1:3::1").status_code == 200


def test_editors_are_not_throttled(client, three_a_minute):
    client.force_login(make_user())
    for _ in range(5):
        assert client.get("/search/?q=x").status_code == 200


def test_without_a_rate_nothing_is_throttled(client, settings):
    settings.DEALWATCH_THROTTLE_RATE = ""
    for _ in range(20):
        assert client.get("/search/?q=x").status_code == 200


def test_rates_read_the_way_people_write_them():
    assert parse_rate("60/min") == (60, 60)
    assert parse_rate("10/s") == (10, 1)
    assert parse_rate("1000/hour") == (1000, 3600)
    assert parse_rate("5000/day") == (5000, 86400)
    assert parse_rate("") is None
    assert parse_rate("off") is None
    with pytest.raises(ImproperlyConfigured):
        parse_rate("fast")
