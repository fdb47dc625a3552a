"""The article assistant in a real browser: an editor pastes Arabic text, reviews the drafts,
accepts them (one naming a company the directory does not know), and the deals go public."""

import secrets

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from deals.models import Deal
from deals.roles import EDITORS, ensure_roles

pytestmark = pytest.mark.browser

PARAGRAPH = (
    "أعلنت إنفيديا أنها ستستثمر 2 مليار دولار في أوبن إيه آي. "
    "واستثمرت إنفيديا ملياري دولار في شركة ميسترال الفرنسية."
)


def sign_in_as_editor(page):
    ensure_roles()
    password = secrets.token_urlsafe(16)
    user = User.objects.create_user(username="editor", password=password, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    page.goto("/admin/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", password)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text("editor")


@pytest.mark.parametrize("width", [1366, 390], ids=["desktop", "phone"])
def test_an_editor_pastes_arabic_accepts_the_drafts_and_the_deals_appear(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_as_editor(page)
    page.goto("/admin/")
    page.get_by_role("link", name="Add an article from text").first.click()
    page.fill("textarea[name=body]", PARAGRAPH)
    page.fill("input[name=published_on]", "2026-01-15")
    page.get_by_role("button", name="Store and find its deals").click()

    drafts = page.locator("form.draft")
    expect(drafts).to_have_count(2)
    openai = drafts.filter(has_text="OpenAI")
    expect(openai.locator("mark")).to_have_text(PARAGRAPH.split(". ")[0] + ".")
    expect(openai.locator("input[name$=amount_usd]")).to_have_value("2000000000")
    expect(openai.locator("input[name$=announced_on]")).to_have_value("2026-01-15")
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    openai.get_by_role("button", name="Accept").click()
    expect(page.locator(".messagelist")).to_contain_text("is now a deal")
    expect(page.locator("form.draft")).to_have_count(1)

    # Mistral is unknown: it is offered as a new company under its Arabic name.
    mistral = page.locator("form.draft")
    expect(mistral.locator("input[name$=payee_new_name_ar]")).to_have_value("ميسترال")
    mistral.get_by_role("button", name="Accept").click()
    expect(page.locator(".errornote").first).to_contain_text("Nothing was saved")
    expect(page.locator("form.draft .errorlist")).to_contain_text("English name")
    page.locator("form.draft input[name$=payee_new_name]").fill("Mistral AI")
    page.locator("form.draft select[name$=payee_new_kind]").select_option("ai_lab")
    page.locator("form.draft").get_by_role("button", name="Accept").click()
    expect(page.locator(".messagelist")).to_contain_text("is now a deal")
    expect(page.locator("form.draft")).to_have_count(0)

    page.goto("/deals/")
    for deal in Deal.objects.filter(payer__slug="nvidia", announced_on__year=2026):
        expect(page.locator(f'a[href="{deal.get_absolute_url()}"]').first).to_be_visible()
    assert {d.payee.name for d in Deal.objects.filter(announced_on__year=2026)} == {
        "OpenAI",
        "Mistral AI",
    }
