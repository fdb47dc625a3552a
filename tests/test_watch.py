"""Readers: signing in, following a company or a filtered timeline, the watchlist, the role."""

import secrets

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from watch.models import Follow, Reader
from watch.roles import READERS

pytestmark = pytest.mark.django_db


def make_reader(**fields) -> User:
    user = User.objects.create_user(
        username=f"reader-{secrets.token_hex(3)}",
        password=secrets.token_urlsafe(16),
        email="reader@example.org",
        **fields,
    )
    user.groups.add(Group.objects.get(name=READERS))
    return user


@pytest.fixture
def reader(db):
    return make_reader()


def test_the_readers_role_may_follow_and_nothing_else():
    permissions = set(
        Group.objects.get(name=READERS).permissions.values_list(
            "content_type__app_label", "codename"
        )
    )
    assert permissions == {
        ("watch", "add_follow"),
        ("watch", "delete_follow"),
        ("watch", "view_follow"),
        ("watch", "change_reader"),
        ("watch", "view_reader"),
    }


def test_a_reader_cannot_open_the_admin(client, reader):
    client.force_login(reader)
    response = client.get(reverse("admin:deals_deal_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_visitor_is_asked_to_sign_in_to_follow(client, seeded):
    page = client.get("/companies/anthropic/").content.decode()
    assert "Sign in to follow" in page
    assert 'href="/accounts/login/?next=/companies/anthropic/"' in page
    response = client.post(reverse("watch:follow"), {"company": "anthropic", "next": "/deals/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/deals/"
    assert not Follow.objects.exists()


@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_the_sign_in_page_is_in_the_sites_look_and_signs_in(client, reader, prefix):
    reader.set_password("a long enough password")
    reader.save()
    page = client.get(f"{prefix}/accounts/login/").content.decode()
    assert 'class="site-header"' in page
    assert ("تسجيل الدخول" if prefix else "Sign in") in page
    response = client.post(
        f"{prefix}/accounts/login/",
        {"username": reader.username, "password": "a long enough password"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{prefix}/watch/"
    client.logout()
    wrong = client.post(
        f"{prefix}/accounts/login/", {"username": reader.username, "password": "wrong"}
    )
    assert wrong.status_code == 200
    assert 'class="notice"' in wrong.content.decode()


def test_a_reader_follows_and_unfollows_a_company(client, seeded, reader):
    client.force_login(reader)
    page = client.get("/companies/anthropic/").content.decode()
    assert 'action="/watch/follow/"' in page and "csrfmiddlewaretoken" in page
    response = client.post(
        "/watch/follow/", {"company": "anthropic", "next": "/companies/anthropic/"}
    )
    assert response["Location"] == "/companies/anthropic/"
    client.post("/watch/follow/", {"company": "anthropic"})  # twice is still one follow
    (follow,) = Follow.objects.filter(user=reader)
    assert follow.company.slug == "anthropic"
    page = client.get("/companies/anthropic/").content.decode()
    assert 'action="/watch/unfollow/"' in page and ">Unfollow<" in page
    client.post("/watch/unfollow/", {"company": "anthropic"})
    assert not Follow.objects.exists()


def test_following_from_an_arabic_page_makes_arabic_digests(client, seeded, reader):
    client.force_login(reader)
    client.post("/ar/watch/follow/", {"company": "nvidia", "next": "/ar/companies/nvidia/"})
    assert Reader.objects.get(user=reader).language == "ar"


def test_a_filtered_timeline_is_followed_as_one_canonical_filter(client, seeded, reader):
    client.force_login(reader)
    page = client.get("/deals/?type=investment&company=أنثروبيك").content.decode()
    assert "Follow these filters" in page
    assert 'href="/deals/feed/?company=anthropic&amp;type=investment"' in page
    client.post("/watch/follow/", {"query": "type=investment&company=أنثروبيك"})
    client.post("/watch/follow/", {"query": "company=anthropic&type=investment"})
    (follow,) = Follow.objects.filter(user=reader)
    assert follow.query == "company=anthropic&type=investment"
    page = client.get("/deals/?company=anthropic&type=investment").content.decode()
    assert "Unfollow these filters" in page


def test_an_unfiltered_or_refused_timeline_offers_no_follow_button(client, seeded, reader):
    client.force_login(reader)
    assert "Follow these filters" not in client.get("/deals/").content.decode()
    assert "Follow these filters" not in client.get("/deals/?type=gift").content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"company": "nobody"},
        {"query": "type=gift"},
        {"query": ""},
        {"query": "company=anthropic&min_amount=" + "9" * 600},
        {},
    ],
)
def test_following_nothing_real_is_refused_with_a_message(client, seeded, reader, data):
    client.force_login(reader)
    response = client.post("/watch/follow/", data)
    assert response.status_code == 400
    assert "nothing to follow here" in response.content.decode()
    assert not Follow.objects.exists()


def test_a_new_account_without_staff_status_is_a_reader(db):
    reader = User.objects.create_user(username="new-reader", password=secrets.token_hex(8))
    editor = User.objects.create_user(
        username="new-editor", password=secrets.token_hex(8), is_staff=True
    )
    assert reader.has_perm("watch.add_follow")
    assert not editor.groups.exists()


def test_an_account_without_the_readers_role_cannot_follow(client, seeded):
    user = User.objects.create_user(username="nobody-special", password=secrets.token_hex(8))
    user.groups.clear()
    client.force_login(user)
    assert client.post("/watch/follow/", {"company": "anthropic"}).status_code == 403
    assert not Follow.objects.exists()


def test_a_follow_only_goes_back_to_a_page_of_this_site(client, seeded, reader):
    client.force_login(reader)
    response = client.post(
        "/watch/follow/", {"company": "anthropic", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/watch/"


def test_the_watchlist_lists_follows_and_sets_the_digest_language(client, seeded, reader):
    client.force_login(reader)
    client.post("/watch/follow/", {"company": "nvidia"})
    client.post("/watch/follow/", {"query": "company=anthropic&type=investment"})
    page = client.get("/watch/").content.decode()
    assert "Nvidia" in page and "Company: Anthropic; Type: investment" in page
    response = client.post("/watch/", {"language": "ar", "receives_digests": "on"})
    assert response.status_code == 302
    assert Reader.objects.get(user=reader).language == "ar"
    follow = Follow.objects.get(company__slug="nvidia")
    assert client.post("/watch/unfollow/", {"follow": "not-a-number"}).status_code == 400
    client.post("/watch/unfollow/", {"follow": follow.pk})
    assert list(Follow.objects.values_list("query", flat=True)) == [
        "company=anthropic&type=investment"
    ]


def test_the_header_offers_sign_in_then_the_watchlist(client, seeded, reader):
    assert 'href="/accounts/login/?next=/deals/"' in client.get("/deals/").content.decode()
    client.force_login(reader)
    page = client.get("/deals/").content.decode()
    assert 'href="/watch/"' in page and 'action="/accounts/logout/"' in page
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_visitors_company_page_costs_no_query_for_following(client, seeded):
    from tests.conftest import count_queries

    url = "/companies/anthropic/"
    count_queries(client, url)  # warm the cache
    warm = count_queries(client, url)
    assert "Sign in to follow" in client.last_page
    # The follow box reads nothing for a visitor: the page's queries are its own.
    client.force_login(make_reader())
    count_queries(client, url)
    signed_in = count_queries(client, url)
    assert signed_in <= warm + 3  # the session, the user, and whether they follow it
