"""Digests: each follower gets the news of what they follow once, in their language."""

import datetime
import secrets
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from companies.models import Company
from deals.models import DealStatus, DealStatusChange, DealType, Qualifier
from tests.factories import ArticleFactory, DealFactory
from watch import services
from watch.emails import unsubscribe_token
from watch.models import Follow, Reader
from watch.roles import READERS

pytestmark = pytest.mark.django_db


def follower(*, language="en", email="reader@example.org", since=None, **follows) -> User:
    """A reader following `follows` (company=slug or query=...) since `since` (a minute ago)."""
    user = User.objects.create_user(
        username=f"reader-{secrets.token_hex(3)}", password=secrets.token_hex(8), email=email
    )
    user.groups.add(Group.objects.get(name=READERS))
    Reader.objects.create(user=user, language=language)
    company = Company.objects.get(slug=follows["company"]) if "company" in follows else None
    follow = services.follow(user=user, company=company, query=follows.get("query", ""))
    since = since or timezone.now() - datetime.timedelta(minutes=1)
    Follow.objects.filter(pk=follow.pk).update(sent_until=since)
    return user


def new_deal(payer: str, payee: str, **fields):
    return DealFactory(
        payer=Company.objects.get(slug=payer), payee=Company.objects.get(slug=payee), **fields
    )


def send() -> str:
    out = StringIO()
    call_command("send_digests", stdout=out)
    return out.getvalue()


def test_a_follower_gets_exactly_the_new_deals_once(seeded):
    follower(company="anthropic")
    deal = new_deal("google", "anthropic", slug="google-anthropic-2026", amount_usd=Decimal(2e9))
    new_deal("amazon", "openai", slug="amazon-openai-2026")  # not followed
    output = send()
    (email,) = mail.outbox
    assert email.to == ["reader@example.org"]
    assert email.subject == "DealWatch: 1 new deal"
    assert "Google to Anthropic: investment, $2B" in email.body
    assert "http://127.0.0.1:8000/deals/google-anthropic-2026/" in email.body
    assert "amazon-openai-2026" not in email.body
    # The seed's older deals were there before the follow: not news.
    assert "amazon-anthropic-investment-8b" not in email.body
    assert output.strip().startswith("digests sent: 1, nothing new: 0")
    assert "new deals: 1," in output
    assert send().strip().startswith("digests sent: 0")
    assert len(mail.outbox) == 1
    assert deal.pk


def test_the_digest_is_in_the_readers_language_with_absolute_links(seeded, settings):
    settings.DEALWATCH_SITE_URL = "https://dealwatch.example/"
    follower(company="nvidia", language="ar")
    new_deal("nvidia", "openai", slug="nvidia-openai-2026", amount_qualifier=Qualifier.UP_TO)
    send()
    (email,) = mail.outbox
    assert email.subject == "DealWatch: صفقة جديدة واحدة"
    assert "إنفيديا" in email.body and "ما يصل إلى مليار دولار" in email.body
    assert "https://dealwatch.example/ar/deals/nvidia-openai-2026/" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html" and 'lang="ar" dir="rtl"' in html
    assert 'href="https://dealwatch.example/ar/deals/nvidia-openai-2026/"' in html


def test_every_digest_has_a_one_click_unsubscribe_that_stops_them(client, seeded):
    user = follower(company="anthropic")
    new_deal("google", "anthropic")
    send()
    (email,) = mail.outbox
    link = email.extra_headers["List-Unsubscribe"].strip("<>")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in email.body
    path = link.removeprefix("http://127.0.0.1:8000")
    response = client.get(path)  # no sign-in
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert not Reader.objects.get(user=user).receives_digests
    new_deal("microsoft", "anthropic")
    assert "not sent (unsubscribed, inactive or no address): 1" in send()
    assert len(mail.outbox) == 1
    # Subscribing again sends what happens from then on, not what was missed.
    client.post(path, {"resubscribe": "1"})
    assert Reader.objects.get(user=user).receives_digests
    send()
    assert len(mail.outbox) == 1


def test_mail_clients_unsubscribe_with_a_post_and_a_forged_token_is_refused(client, seeded):
    user = follower(company="anthropic")
    token = unsubscribe_token(Reader.objects.get(user=user))
    assert client.post(f"/watch/unsubscribe/{token}/").status_code == 200
    assert not Reader.objects.get(user=user).receives_digests
    response = client.get(f"/watch/unsubscribe/{token[:-2]}xx/")
    assert response.status_code == 400
    assert "not valid" in response.content.decode()


def test_nothing_is_sent_to_a_user_who_follows_nothing(seeded):
    User.objects.create_user(username="idle", password="x" * 12, email="idle@example.org")
    follower(company="softbank")
    new_deal("google", "anthropic")
    output = send()
    assert mail.outbox == []
    assert output.startswith("digests sent: 0, nothing new: 1")


def test_status_changes_and_corrected_amounts_are_news(seeded):
    # Made before the follow, with their history, so that what changes next is a change.
    deal = new_deal("amazon", "anthropic", slug="amazon-anthropic-2026", status="announced")
    old = new_deal("google", "anthropic", slug="google-anthropic-old")
    follower(company="anthropic", since=timezone.now())
    DealStatusChange.objects.create(
        deal=deal,
        status=DealStatus.SIGNED,
        changed_on=datetime.date(2026, 2, 1),
        reference_url="https://example.org/signed",
    )
    old.amount_usd, old.amount_qualifier = Decimal(3e9), Qualifier.UP_TO
    old.save()
    send()
    (email,) = mail.outbox
    assert email.subject == "DealWatch: 2 changes"
    assert "Amazon and Anthropic: status now “signed”" in email.body
    assert "Amount: now up to $3B (was $1B)" in email.body
    assert "/deals/google-anthropic-old/" in email.body


def test_an_edit_that_leaves_the_figures_alone_is_not_a_correction(seeded):
    deal = new_deal("amazon", "anthropic")
    follower(company="anthropic", since=timezone.now())
    deal.summary = "A clearer summary."
    deal.save()
    send()
    assert mail.outbox == []


def test_a_saved_filter_sends_only_its_deals(seeded):
    follower(query="company=anthropic&type=compute_commitment")
    new_deal("google", "anthropic", slug="an-investment")
    new_deal("anthropic", "google", slug="a-compute-deal", deal_type=DealType.COMPUTE_COMMITMENT)
    send()
    (email,) = mail.outbox
    assert "/deals/a-compute-deal/" in email.body and "an-investment" not in email.body
    assert "Company: Anthropic; Type: compute commitment" in email.body


def test_a_deal_of_two_followed_companies_is_told_once(seeded):
    user = follower(company="anthropic")
    services.follow(user=user, company=Company.objects.get(slug="google"))
    Follow.objects.update(sent_until=timezone.now() - datetime.timedelta(minutes=1))
    new_deal("google", "anthropic", slug="google-anthropic-2026")
    send()
    (email,) = mail.outbox
    assert email.body.count("/deals/google-anthropic-2026/") == 1


def test_a_new_follow_starts_from_now(seeded):
    new_deal("google", "anthropic", slug="before-the-follow")
    user = User.objects.create_user(username="late", password="x" * 12, email="l@example.org")
    user.groups.add(Group.objects.get(name=READERS))
    services.follow(user=user, company=Company.objects.get(slug="anthropic"))
    send()
    assert mail.outbox == []


def test_a_failed_send_is_retried_by_the_next_run(seeded, settings, monkeypatch):
    follower(company="anthropic")
    new_deal("google", "anthropic")

    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with pytest.raises(Exception, match="could not be sent"):
        send()
    monkeypatch.undo()
    send()
    assert len(mail.outbox) == 1


def test_digests_cost_a_fixed_number_of_queries_per_follow(seeded, django_assert_max_num_queries):
    follower(company="anthropic")
    article = ArticleFactory()
    for number in range(15):
        deal = new_deal("google", "anthropic", slug=f"many-{number}")
        deal.citations.create(article=article, quote="Alpha invested $1 billion in Beta.")
    with django_assert_max_num_queries(20):
        send()
    assert mail.outbox[0].subject == "DealWatch: 15 new deals"
