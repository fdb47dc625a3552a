"""The article assistant: an editor pastes an article, reviews its drafts, and only what they
accept becomes a deal, cited to its sentence."""

import datetime
import secrets
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from companies.models import Company
from deals.assistant import services
from deals.assistant.services import NewCompany, ReportedFigures, ReviewedDeal
from deals.models import Article, Deal, DealCitation, DealDraft, DealStatusChange
from deals.roles import EDITORS, ensure_roles
from tests.conftest import SEEDS_DIR

pytestmark = pytest.mark.django_db

AR_PARAGRAPH = "أعلنت شركة أوبن إيه آي عن توقيع اتفاقية مع أمازون ويب سيرفيسز بقيمة 12 مليار دولار."
NVIDIA_SENTENCE = "ستستثمر إنفيديا ما يصل إلى 10 مليارات دولار في أنثروبيك."


def seed_text(prefix: str) -> str:
    found = sorted(SEEDS_DIR.glob(f"{prefix}_*.txt"))
    assert found, f"seed article {prefix} not found in {SEEDS_DIR}"
    return found[0].read_text(encoding="utf-8")


def submit(body: str, **fields) -> services.Submission:
    return services.article_submit(
        title=fields.get("title", ""),
        body=body,
        language=fields.get("language", ""),
        published_on=fields.get("published_on", datetime.date(2025, 11, 3)),
        url="",
        source_file="",
        user=None,
    )


def reviewed_from(draft: DealDraft, **changes) -> ReviewedDeal:
    p = draft.proposal
    values = {
        "quote": draft.quote,
        "amount_usd": Decimal(p["amount_usd"]) if p["amount_usd"] else None,
        "amount_qualifier": p["amount_qualifier"],
        "power_gw": None,
        "power_qualifier": "undisclosed",
        "deal_type": p["type"],
        "payer": Company.objects.filter(slug=p["payer"]).first(),
        "payee": Company.objects.filter(slug=p["payee"]).first(),
        "term_years": p["term_years"],
        "status": p["status"],
        "announced_on": datetime.date(2025, 11, 3),
        "date_precision": "month",
    }
    return ReviewedDeal(**(values | changes))


@pytest.fixture
def seed_without_openai_aws(seeded):
    Deal.objects.filter(slug="openai-aws-compute-38b").delete()


# --- services --------------------------------------------------------------------------------


def test_submitting_stores_the_article_verbatim_and_proposes_drafts(seed_without_openai_aws):
    submission = submit("A title line\n" + AR_PARAGRAPH)
    article = submission.article
    assert submission.created
    assert article.body == "A title line\n" + AR_PARAGRAPH
    assert article.title == "A title line"
    assert article.language == "ar"  # more Arabic letters than Latin ones
    [draft] = submission.drafts
    assert draft.status == "proposed"
    assert (draft.proposal["payer"], draft.proposal["payee"]) == ("openai", "aws")
    assert draft.proposal["amount_usd"] == "12000000000"
    assert draft.quote == AR_PARAGRAPH
    assert not Deal.objects.filter(payer__slug="openai", payee__slug="aws").exists()


def test_accepting_creates_the_deal_its_citation_and_first_status(seed_without_openai_aws):
    [draft] = submit(AR_PARAGRAPH).drafts
    deal = services.draft_accept(draft=draft, reviewed=reviewed_from(draft))

    assert (deal.payer.slug, deal.payee.slug, deal.amount_usd) == ("openai", "aws", 12 * 10**9)
    assert (deal.announced_on, deal.date_precision) == (datetime.date(2025, 11, 3), "month")
    citation = deal.citations.get()
    assert (citation.quote, citation.reported_amount_usd) == (AR_PARAGRAPH, 12 * 10**9)
    assert citation.reported_amount_qualifier == "exact"
    entry = deal.status_history.get()
    assert (entry.status, entry.quote, entry.article) == ("signed", AR_PARAGRAPH, draft.article)
    draft.refresh_from_db()
    assert (draft.status, draft.deal) == ("accepted", deal)


def test_a_corrected_amount_is_what_gets_saved(seed_without_openai_aws):
    [draft] = submit(AR_PARAGRAPH).drafts
    deal = services.draft_accept(
        draft=draft,
        reviewed=reviewed_from(draft, amount_usd=Decimal(13 * 10**9), amount_qualifier="about"),
    )
    assert (deal.amount_usd, deal.amount_qualifier) == (13 * 10**9, "about")
    assert deal.citations.get().reported_amount_usd == 13 * 10**9


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"payee": "payer"}, "payee", "cannot invest in or buy from itself"),
        ({"quote": "A sentence the article never wrote."}, "quote", "does not appear in"),
        ({"amount_qualifier": "undisclosed"}, "amount_usd", "marked undisclosed"),
        ({"announced_on": None}, "announced_on", "Give the date"),
        ({"payer": None}, "payer", "Choose a company"),
    ],
)
def test_an_invalid_correction_is_refused_and_nothing_is_saved(
    seed_without_openai_aws, changes, field, message
):
    [draft] = submit(AR_PARAGRAPH).drafts
    if changes.get("payee") == "payer":
        changes["payee"] = Company.objects.get(slug="openai")
    counts = (Deal.objects.count(), DealCitation.objects.count(), DealStatusChange.objects.count())

    with pytest.raises(ValidationError) as refused:
        services.draft_accept(draft=draft, reviewed=reviewed_from(draft, **changes))

    assert message in " ".join(refused.value.message_dict[field])
    assert counts == (
        Deal.objects.count(),
        DealCitation.objects.count(),
        DealStatusChange.objects.count(),
    )
    draft.refresh_from_db()
    assert draft.status == "proposed"


def test_a_new_company_is_added_only_with_its_accepted_deal(seed_without_openai_aws):
    body = "Aramco Digital will invest $2 billion in Anthropic."
    [draft] = submit(body).drafts
    assert draft.proposal["payer"] is None
    new = NewCompany(name="", name_ar="أرامكو الرقمية", kind="investor")
    with pytest.raises(ValidationError) as refused:
        services.draft_accept(draft=draft, reviewed=reviewed_from(draft, payer=new))
    assert "English name" in refused.value.message_dict["payer_new_name"][0]
    assert not Company.objects.filter(name_ar="أرامكو الرقمية").exists()

    new.name = "Aramco Digital"
    deal = services.draft_accept(draft=draft, reviewed=reviewed_from(draft, payer=new))
    assert (deal.payer.name, deal.payer.name_ar, deal.payer.kind) == (
        "Aramco Digital",
        "أرامكو الرقمية",
        "investor",
    )
    assert Company.objects.resolve("Aramco Digital") == deal.payer


def test_rejecting_creates_nothing_and_cannot_be_reviewed_twice(seed_without_openai_aws):
    [draft] = submit(AR_PARAGRAPH).drafts
    before = Deal.objects.count()
    services.draft_reject(draft=draft)
    draft.refresh_from_db()
    assert draft.status == "rejected"
    assert Deal.objects.count() == before
    with pytest.raises(ValidationError, match="already reviewed"):
        services.draft_accept(draft=draft, reviewed=reviewed_from(draft))


def test_a_duplicate_is_cited_on_the_existing_deal_and_nothing_else(seeded):
    body = "وفق الاتفاق " + NVIDIA_SENTENCE
    submission = submit(body)
    [draft] = [d for d in submission.drafts if d.proposal["payer"] == "nvidia"]
    existing = Deal.objects.get(slug="nvidia-anthropic-investment-10b")
    deals_before = Deal.objects.count()
    history_before = existing.status_history.count()

    citation = services.draft_cite_existing(
        draft=draft,
        deal=existing,
        reported=ReportedFigures(
            quote=draft.quote, amount_usd=Decimal(10**10), amount_qualifier="up_to"
        ),
    )

    assert Deal.objects.count() == deals_before
    assert existing.status_history.count() == history_before
    assert (citation.deal, citation.article, citation.reported_amount_qualifier) == (
        existing,
        submission.article,
        "up_to",
    )
    draft.refresh_from_db()
    assert (draft.status, draft.deal) == ("merged", existing)


def test_the_same_text_twice_is_stored_once(seed_without_openai_aws):
    first = submit(AR_PARAGRAPH + "\n")
    second = submit(AR_PARAGRAPH)
    assert not second.created
    assert second.article == first.article
    assert DealDraft.objects.filter(article=first.article).count() == 1


def test_drafts_are_not_published_until_accepted(client, seed_without_openai_aws):
    [draft] = submit(AR_PARAGRAPH).drafts
    assert "/deals/openai-aws" not in client.get(reverse("deals:timeline")).content.decode()

    deal = services.draft_accept(draft=draft, reviewed=reviewed_from(draft))

    assert deal.get_absolute_url().startswith("/deals/openai-aws")
    assert deal.get_absolute_url() in client.get(reverse("deals:timeline")).content.decode()


# --- the admin pages ----------------------------------------------------------------------


def sign_in(client, *, editor: bool = True, staff: bool = True) -> User:
    ensure_roles()
    password = secrets.token_urlsafe(16)
    user = User.objects.create_user(
        username=f"u-{secrets.token_hex(4)}", password=password, is_staff=staff
    )
    if editor:
        user.groups.add(Group.objects.get(name=EDITORS))
    assert client.login(username=user.username, password=password)
    return user


@pytest.fixture
def editor(client, seed_without_openai_aws):
    return sign_in(client)


def paste(client, body: str, **extra):
    data = {"body": body, "title": "", "language": "", "published_on": "2025-11-03", "url": ""}
    return client.post(reverse("admin:deals_article_from_text"), data | extra, follow=True)


def form_data(response, draft: DealDraft, **changes) -> dict:
    """What the review page's form for `draft` would send, unchanged unless told."""
    form = next(f for v, f in response.context["rows"] if v.draft.pk == draft.pk)
    data = {}
    for name in form.fields:
        value = form[name].value()
        key = form.add_prefix(name)
        if value in (None, ""):
            data[key] = ""
        elif isinstance(value, list):
            data[key] = [getattr(v, "pk", v) for v in value]
        else:
            data[key] = getattr(value, "pk", value)
    for name, value in changes.items():
        data[form.add_prefix(name)] = value
    return data


def test_an_editor_pastes_article_003_and_accepts_the_38b_deal(client, editor):
    response = paste(client, seed_text("003"))
    assert response.status_code == 200
    article = response.context["article"]
    assert article.slug == "article-003"  # the same text is the seed's article, not a copy
    [(view, _form)] = response.context["rows"]
    assert (view.payer.slug, view.payee.slug) == ("openai", "aws")
    assert view.proposal["amount_usd"] == "38000000000"
    assert view.duplicate is None
    assert "38" in response.content.decode() and "<mark>" in response.content.decode()

    url = reverse("admin:deals_article_review_draft", args=[article.pk, view.draft.pk])
    response = client.post(url, form_data(response, view.draft) | {"action": "accept"})

    assert response.status_code == 302
    deal = Deal.objects.get(payer__slug="openai", payee__slug="aws")
    assert (deal.amount_usd, deal.term_years, deal.cloud.slug) == (38 * 10**9, 7, "aws")
    assert deal.citations.get().article == article
    assert deal.status_history.get().quote == view.draft.quote


def test_pasting_001_offers_the_azure_draft_as_a_citation_of_the_existing_deal(client, editor):
    existing = Deal.objects.get(slug="anthropic-azure-compute-30b")
    existing.citations.filter(article__slug="article-001").delete()  # as if 001 were new
    citations = existing.citations.count()
    response = paste(client, seed_text("001"))
    [view] = [v for v, f in response.context["rows"] if v.proposal["payee"] == "microsoft"]
    assert view.duplicate == existing
    page = response.content.decode()
    assert f'name="cite_deal" value="{existing.pk}"' in page
    assert "Add as a citation of" in page
    # The citation button comes first in its form, so it is what Enter does.
    section = page[page.index(f'id="draft-{view.draft.pk}"') :]
    assert section.index('value="cite"') < section.index('value="accept"')

    url = reverse("admin:deals_article_review_draft", args=[view.draft.article_id, view.draft.pk])
    data = form_data(response, view.draft) | {"action": "cite", "cite_deal": existing.pk}
    response = client.post(url, data)

    assert response.status_code == 302
    assert existing.citations.count() == citations + 1
    citation = existing.citations.get(article__slug="article-001")
    assert (citation.quote, citation.reported_amount_usd) == (view.draft.quote, 30 * 10**9)
    assert Deal.objects.filter(payer__slug="anthropic", payee__slug="microsoft").count() == 1


def test_citing_the_same_sentence_twice_is_refused_next_to_the_quote(client, editor):
    response = paste(client, seed_text("001"))
    [view] = [v for v, f in response.context["rows"] if v.proposal["payee"] == "microsoft"]
    existing = view.duplicate
    article = view.draft.article
    assert existing.citations.filter(article=article, quote=view.draft.quote).exists()  # seed
    url = reverse("admin:deals_article_review_draft", args=[article.pk, view.draft.pk])
    response = client.post(
        url, form_data(response, view.draft) | {"action": "cite", "cite_deal": existing.pk}
    )
    assert response.status_code == 200
    form = next(f for v, f in response.context["rows"] if v.draft.pk == view.draft.pk)
    assert "already cites this sentence" in form.errors["quote"][0]
    view.draft.refresh_from_db()
    assert view.draft.status == "proposed"


def test_a_self_investment_is_shown_next_to_the_payee_and_nothing_saved(client, editor):
    response = paste(client, AR_PARAGRAPH)
    [(view, _form)] = response.context["rows"]
    openai = Company.objects.get(slug="openai")
    url = reverse("admin:deals_article_review_draft", args=[view.draft.article_id, view.draft.pk])
    before = Deal.objects.count()
    response = client.post(
        url, form_data(response, view.draft, payee=openai.pk) | {"action": "accept"}
    )
    assert response.status_code == 200
    form = next(f for v, f in response.context["rows"] if v.draft.pk == view.draft.pk)
    assert "cannot invest in or buy from itself" in form.errors["payee"][0]
    assert "cannot invest in or buy from itself" in response.content.decode()
    assert Deal.objects.count() == before


def test_reject_from_the_page(client, editor):
    response = paste(client, AR_PARAGRAPH)
    [(view, _form)] = response.context["rows"]
    url = reverse("admin:deals_article_review_draft", args=[view.draft.article_id, view.draft.pk])
    response = client.post(url, {"action": "reject"}, follow=True)
    assert response.context["rows"] == []
    assert "Draft rejected" in response.content.decode()
    view.draft.refresh_from_db()
    assert view.draft.status == "rejected"


def upload(client, name: str, content: bytes):
    data = {
        "file": SimpleUploadedFile(name, content, content_type="text/plain"),
        "body": "",
        "title": "",
        "language": "",
        "published_on": "",
        "url": "",
    }
    return client.post(reverse("admin:deals_article_from_text"), data, follow=True)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"a" * 1_000_001, "1 MB"),
        (b"\x89PNG\r\n\x1a\n\x00\x00IHDR", "not a text file"),
        (b"caf\xe9 au lait", "not text in any encoding tried"),
        (b"   \n  ", "is empty"),
    ],
    ids=["too-large", "binary", "unknown-encoding", "empty"],
)
def test_unusable_uploads_are_refused_with_a_clear_message(client, editor, content, message):
    articles = Article.objects.count()
    response = upload(client, "article.txt", content)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert Article.objects.count() == articles


def test_a_windows_1256_arabic_file_is_accepted(client, editor):
    response = upload(client, "openai.txt", AR_PARAGRAPH.encode("cp1256"))
    article = response.context["article"]
    assert (article.body, article.language, article.source_file) == (
        AR_PARAGRAPH,
        "ar",
        "openai.txt",
    )
    assert len(response.context["rows"]) == 1


def test_paste_and_upload_together_or_neither_are_refused(client, editor):
    response = paste(client, "")
    assert "Paste the article’s text or choose a text file." in response.content.decode()
    data = {"body": AR_PARAGRAPH, "file": SimpleUploadedFile("a.txt", b"Hello world.")}
    response = client.post(reverse("admin:deals_article_from_text"), data)
    assert "not both" in response.content.decode()


@pytest.mark.parametrize("name", ["from_text", "review"])
def test_visitors_are_sent_to_sign_in_and_staff_without_the_role_are_refused(
    client, seed_without_openai_aws, name
):
    article = Article.objects.first()
    url = (
        reverse("admin:deals_article_from_text")
        if name == "from_text"
        else reverse("admin:deals_article_review", args=[article.pk])
    )
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    sign_in(client, editor=False)
    assert client.get(url).status_code == 403
    client.logout()
    sign_in(client, editor=True)
    assert client.get(url).status_code == 200


def test_the_article_list_and_admin_index_link_to_the_assistant(client, editor):
    link = reverse("admin:deals_article_from_text")
    assert link in client.get(reverse("admin:deals_article_changelist")).content.decode()
    assert link in client.get(reverse("admin:index")).content.decode()


# --- hardening (issue 17): every refusal on the form, uploads sniffed, one size limit -------


def test_the_same_file_name_with_other_text_is_refused_on_the_form(client, editor):
    first = upload(client, "report.txt", AR_PARAGRAPH.encode())
    assert first.status_code == 200 and first.context["article"].source_file == "report.txt"
    response = upload(client, "report.txt", NVIDIA_SENTENCE.encode())
    assert response.status_code == 200  # was a 500
    assert "already stored" in " ".join(response.context["form"].errors["file"])
    assert Article.objects.filter(source_file="report.txt").count() == 1


def test_two_long_names_that_begin_alike_are_refused_on_the_form(client, editor):
    stem = "a" * 200
    upload(client, f"{stem}-first.txt", AR_PARAGRAPH.encode())
    response = upload(client, f"{stem}-second.txt", NVIDIA_SENTENCE.encode())
    assert response.status_code == 200  # was a 500 (the stored names are the first 200)
    assert "already stored" in " ".join(response.context["form"].errors["file"])


@pytest.mark.parametrize(
    "error",
    [
        ValidationError("A refusal without a field."),
        ValidationError({"__all__": ["A refusal of the whole article."]}),
        ValidationError({"body": ["A refusal of the text."]}),
        ValidationError({"slug": ["A refusal of a field the form does not have."]}),
    ],
    ids=["plain", "non-field", "body", "unknown-field"],
)
def test_every_refusal_of_the_service_is_shown_on_the_form(client, editor, monkeypatch, error):
    def refuse(**kwargs):
        raise error

    monkeypatch.setattr(services, "article_submit", refuse)
    response = paste(client, AR_PARAGRAPH)
    assert response.status_code == 200
    assert error.messages[0] in response.content.decode()


def _random_text_free_bytes(size: int) -> bytes:
    import random

    return bytes(b for b in random.Random(17).randbytes(size) if b)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (_random_text_free_bytes(20_000), "not text in any encoding tried"),
        (b"\x7fELF\x02\x01\x01\x03" + "ملف".encode("cp1256") * 50, "Linux program"),
        (b"MZ\x90\x03\x01\x04" + "ملف".encode("cp1256") * 50, "Windows program"),
        (b"PK\x03\x04\x14\x06" + "ملف".encode("cp1256") * 50, "ZIP archive"),
        (b"\x01\x02\x03\x04\x05\x06\x07\x08" * 200 + b"text", "control characters"),
    ],
    ids=["random-bytes", "elf", "windows-exe", "zip", "controls"],
)
def test_uploads_that_are_not_text_are_refused_not_stored_as_arabic(
    client, editor, content, message
):
    assert b"\x00" not in content
    articles = Article.objects.count()
    response = upload(client, "not-text.txt", content)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert Article.objects.count() == articles


def test_real_text_that_begins_like_a_signature_is_still_text(client, editor):
    from deals.extraction.reading import decode_article

    vocalised = "أَعْلَنَتْ شَرِكَةُ أَمَازُون عَنِ اسْتِثْمَارٍ جَدِيدٍ. " * 20
    assert decode_article(vocalised.encode("cp1256")) == (vocalised, "cp1256")
    assert decode_article(b"MZ Holdings invests $2 billion.")[0].startswith("MZ Holdings")


def test_a_paste_over_the_servers_limit_gets_the_forms_message(editor):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)  # as a browser: the CSRF check is on
    browser.force_login(editor)
    url = reverse("admin:deals_article_from_text")
    page = browser.get(url)
    token = page.cookies["csrftoken"].value
    data = {"csrfmiddlewaretoken": token, "body": "x" * 2_700_000, "title": "", "language": ""}
    articles = Article.objects.count()
    response = browser.post(url, data)  # multipart, as the form sends it
    assert response.status_code == 413  # was a bare "Bad Request (400)"
    assert "over 1 MB" in response.content.decode()
    assert 'name="body"' in response.content.decode()  # the form, ready for another try
    assert Article.objects.count() == articles
    # A readable POST without the CSRF token is still refused.
    assert browser.post(url, {"body": AR_PARAGRAPH}).status_code == 403
    assert (
        browser.post(url, {"csrfmiddlewaretoken": token, "body": AR_PARAGRAPH}).status_code == 302
    )


def test_one_size_limit_for_an_article_everywhere(client, editor):
    from deals.extraction.reading import MAX_BYTES
    from deals.validation import MAX_ARTICLE_BYTES

    assert MAX_BYTES == MAX_ARTICLE_BYTES == 1_000_000
    too_long = "ب" * (MAX_ARTICLE_BYTES // 2 + 1)
    response = paste(client, too_long)
    assert "over 1 MB" in " ".join(response.context["form"].errors["body"])
    with pytest.raises(ValidationError) as refused:
        Article(slug="x", title="x", language="ar", body=too_long).full_clean()
    assert "1 MB" in " ".join(refused.value.message_dict["body"])
