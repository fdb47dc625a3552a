"""Writes of the article assistant: store an article, propose its drafts, review each one.

Every review is keyword-only, validated with the models' own `full_clean()` and atomic: a
refused correction leaves nothing behind (no deal, no citation, no half-made company). Errors
are raised as `ValidationError({form field: message})`, named as the review form names them.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from companies.models import ChipPlatform, CloudPlatform, Company
from deals.extraction.llm import extract_article
from deals.models import Article, Deal, DealCitation, DealDraft, DealStatusChange, Qualifier
from dealwatch.language import is_arabic_text
from sources.models import ArticleReview

_TYPE_WORDS = {"investment": "investment", "compute_commitment": "compute", "chip_supply": "chips"}
# Where each proposal keeps the article's names that no company knew when it was read: the
# Article row has no field for them, so every draft of the article carries the same list.
NEW_COMPANIES = "new_companies"


@dataclass
class NewCompany:
    """A name the directory does not know, to be added as a company when its draft is accepted."""

    name: str
    name_ar: str
    kind: str


@dataclass
class ReportedFigures:
    """What this article says: the citation's quote and figures."""

    quote: str
    amount_usd: Decimal | None = None
    amount_qualifier: str = Qualifier.UNDISCLOSED
    power_gw: Decimal | None = None
    power_qualifier: str = Qualifier.UNDISCLOSED


@dataclass
class ReviewedDeal(ReportedFigures):
    """A draft as the editor corrected it, ready to become a Deal."""

    deal_type: str = ""
    payer: Company | NewCompany | None = None
    payee: Company | NewCompany | None = None
    term_years: int | None = None
    status: str = ""
    cloud: CloudPlatform | None = None
    chips: list[ChipPlatform] = field(default_factory=list)
    announced_on: date | None = None
    date_precision: str = "month"


@dataclass
class Submission:
    article: Article
    created: bool  # False when the same text was already stored
    drafts: list[DealDraft]


# --- articles ------------------------------------------------------------------------------


def detect_language(text: str) -> str:
    """ "ar" when Arabic letters outnumber Latin ones, else "en"."""
    arabic = sum(map(is_arabic_text, text))
    latin = sum(c.isascii() and c.isalpha() for c in text)
    return Article.Language.ARABIC if arabic > latin else Article.Language.ENGLISH


def default_title(text: str) -> str:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first[:500]


def same_text(body: str) -> Article | None:
    """An article already stored with this text (ignoring surrounding whitespace)."""
    wanted = body.strip()
    for article in Article.objects.filter(body__startswith=wanted[:200]):
        if article.body.strip() == wanted:
            return article
    return None


def _unique_slug(model, base: str, max_length: int) -> str:
    base = base[: max_length - 4].strip("-") or model._meta.model_name
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _article_slug(title: str, body: str) -> str:
    base = slugify(title)[:60].strip("-")
    if not base:  # an Arabic title: name it by its text, as stable as the text itself
        base = "article-" + hashlib.sha256(body.encode()).hexdigest()[:10]
    return _unique_slug(Article, base, 80)


@transaction.atomic
def article_submit(
    *,
    title: str,
    body: str,
    language: str,
    published_on: date | None,
    url: str = "",
    source_file: str = "",
    user=None,
) -> Submission:
    """Store the article verbatim and propose the deals it reports, as drafts for review.

    Text already stored (the same article pasted twice) is not stored again: its drafts are
    proposed once, then the same review page is shown.
    """
    existing = same_text(body)
    if existing is not None:
        drafts = list(existing.deal_drafts.all())
        if not drafts:
            drafts = draft_propose(article=existing)
        return Submission(existing, False, drafts)
    # The name as it is stored: two long names that begin alike are the same stored name.
    source_file = source_file[: Article._meta.get_field("source_file").max_length]
    if source_file and Article.objects.filter(source_file=source_file).exists():
        raise _file_taken(source_file)
    title = (title or default_title(body))[:500]
    article = Article(
        slug=_article_slug(title, body),
        title=title,
        language=language or detect_language(body),
        published_on=published_on,
        body=body,
        source_file=source_file,
        url=url,
    )
    article.full_clean()
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError as error:
        if not source_file:
            raise
        # The same file name, stored by another editor since the check above.
        raise _file_taken(source_file) from error
    return Submission(article, True, draft_propose(article=article))


def _file_taken(source_file: str) -> ValidationError:
    return ValidationError(
        {
            "file": _(
                "An article from a file named “%(name)s” is already stored, with other "
                "text. Rename the file if this is a different article."
            )
            % {"name": source_file}
        }
    )


@transaction.atomic
def draft_propose(*, article: Article) -> list[DealDraft]:
    """Run the extractor on the article and store each draft, proposed, in reading order,
    with the names no company knows (so the review page never reads the article again).
    The article enters the editors' inbox, with what the extractor noted."""
    extraction = extract_article(article.body, published_on=article.published_on)
    ArticleReview.objects.update_or_create(article=article, defaults={"notes": extraction.notes})
    new_companies = [company.to_stored() for company in extraction.new_companies]
    return DealDraft.objects.bulk_create(
        DealDraft(
            article=article,
            position=i,
            proposal=draft.to_stored() | {NEW_COMPANIES: new_companies},
            quote=draft.quote,
        )
        for i, draft in enumerate(extraction.drafts)
    )


# --- reviewing a draft ---------------------------------------------------------------------


def _lock_proposed(draft: DealDraft) -> DealDraft:
    """The draft, locked until the review commits; refused if someone reviewed it already."""
    locked = DealDraft.objects.select_for_update().select_related("article").get(pk=draft.pk)
    if locked.status != DealDraft.Status.PROPOSED:
        raise ValidationError(
            _("This draft was already reviewed (%(status)s by %(who)s); nothing was changed.")
            % {
                "status": locked.get_status_display(),
                "who": locked.reviewed_by or _("someone"),
            }
        )
    return locked


def _mark(draft: DealDraft, status: str, user, deal: Deal | None = None):
    draft.status, draft.deal = status, deal
    draft.reviewed_by = user if user is not None and user.is_authenticated else None
    draft.reviewed_at = timezone.now()
    draft.full_clean()
    draft.save()


def _renamed(error: ValidationError, names: dict[str, str]) -> ValidationError:
    """The same messages, keyed by the review form's field names."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {names.get(key, key): messages for key, messages in error.error_dict.items()}
    )


def _company(party: Company | NewCompany | None, role: str) -> Company:
    """The party as a saved Company: a new one is validated and added to the directory."""
    if isinstance(party, Company):
        return party
    if party is None:
        raise ValidationError(
            {role: _("Choose a company, or give a new company’s name and kind below.")}
        )
    names = {
        "name": f"{role}_new_name",
        "name_ar": f"{role}_new_name_ar",
        "kind": f"{role}_new_kind",
        "slug": f"{role}_new_name",
    }
    if not party.name.strip():
        raise ValidationError(
            {
                names["name"]: _(
                    "Give the company’s English name too: it is its name on English pages."
                )
            }
        )
    company = Company(
        name=party.name.strip(),
        name_ar=party.name_ar.strip(),
        kind=party.kind,
        slug=_unique_slug(Company, slugify(party.name), 80),
    )
    try:
        company.full_clean()
        company.save()
    except ValidationError as error:
        raise _renamed(error, names) from error
    return company


def _short_amount(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    for scale, letter in ((10**12, "t"), (10**9, "b"), (10**6, "m")):
        if amount >= scale:
            return f"{(amount / scale).normalize():f}".replace(".", "-") + letter
    return ""


def _deal_slug(payer: Company, payee: Company, deal_type: str, amount: Decimal | None) -> str:
    parts = [payer.slug, payee.slug, _TYPE_WORDS.get(deal_type, deal_type), _short_amount(amount)]
    return _unique_slug(Deal, slugify("-".join(p for p in parts if p)), 120)


def _citation(draft: DealDraft, deal: Deal, reported: ReportedFigures) -> DealCitation:
    quote = reported.quote.strip()
    if DealCitation.objects.filter(deal=deal, article=draft.article, quote=quote).exists():
        raise ValidationError(
            {"quote": _("“%(deal)s” already cites this sentence of this article.") % {"deal": deal}}
        )
    amount_known = reported.amount_usd is not None
    power_known = reported.power_gw is not None
    citation = DealCitation(
        deal=deal,
        article=draft.article,
        quote=quote,
        reported_amount_usd=reported.amount_usd,
        reported_amount_qualifier=reported.amount_qualifier if amount_known else "",
        reported_power_gw=reported.power_gw,
        reported_power_qualifier=reported.power_qualifier if power_known else "",
    )
    try:
        citation.full_clean()
    except ValidationError as error:
        raise _renamed(error, {"reported_amount_qualifier": "amount_qualifier"}) from error
    citation.save()
    return citation


@transaction.atomic
def draft_accept(*, draft: DealDraft, reviewed: ReviewedDeal, user=None) -> Deal:
    """The draft, as corrected, becomes a Deal cited to its sentence, with a first status entry
    cited to the same sentence. New companies named in it are added to the directory."""
    draft = _lock_proposed(draft)
    if reviewed.announced_on is None:
        raise ValidationError(
            {"announced_on": _("Give the date the article reports (or the article’s date).")}
        )
    payer = _company(reviewed.payer, "payer")
    payee = _company(reviewed.payee, "payee")
    deal = Deal(
        slug=_deal_slug(payer, payee, reviewed.deal_type, reviewed.amount_usd),
        deal_type=reviewed.deal_type,
        payer=payer,
        payee=payee,
        cloud=reviewed.cloud,
        amount_usd=reviewed.amount_usd,
        amount_qualifier=reviewed.amount_qualifier,
        power_gw=reviewed.power_gw,
        power_qualifier=reviewed.power_qualifier,
        term_years=reviewed.term_years,
        status=reviewed.status,
        announced_on=reviewed.announced_on,
        date_precision=reviewed.date_precision,
    )
    deal.full_clean()
    deal.save()
    deal.chip_platforms.set(reviewed.chips)
    citation = _citation(draft, deal, reviewed)
    entry = DealStatusChange(
        deal=deal,
        status=deal.status,
        changed_on=deal.announced_on,
        date_precision=deal.date_precision,
        article=draft.article,
        quote=citation.quote,
    )
    try:
        entry.full_clean()
    except ValidationError as error:
        raise _renamed(error, {"changed_on": "announced_on", "status": "status"}) from error
    entry.save()
    _mark(draft, DealDraft.Status.ACCEPTED, user, deal)
    return deal


@transaction.atomic
def draft_cite_existing(
    *, draft: DealDraft, deal: Deal, reported: ReportedFigures, user=None
) -> DealCitation:
    """The draft repeats a recorded deal: cite this article for it, with what it reports."""
    draft = _lock_proposed(draft)
    citation = _citation(draft, deal, reported)
    _mark(draft, DealDraft.Status.MERGED, user, deal)
    return citation


@transaction.atomic
def draft_reject(*, draft: DealDraft, user=None) -> DealDraft:
    """The draft reports no deal (or a wrong one): keep it as rejected, create nothing."""
    draft = _lock_proposed(draft)
    _mark(draft, DealDraft.Status.REJECTED, user)
    return draft


def name_fields(raw_name: str) -> dict[str, str]:
    """A raw name from the article as the new-company form's English or Arabic name."""
    return {"name_ar": raw_name} if is_arabic_text(raw_name) else {"name": raw_name}
