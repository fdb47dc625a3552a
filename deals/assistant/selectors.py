"""Reads for the article assistant's review page."""

from dataclasses import dataclass, field
from decimal import Decimal

from companies.models import ChipPlatform, CloudPlatform, Company
from deals.extraction import DraftDeal, extract_drafts, find_duplicate
from deals.extraction.reading import has_arabic
from deals.formatting import format_money
from deals.models import Article, Deal, DealDraft

CONTEXT_CHARS = 160  # article text shown either side of a draft's sentence


@dataclass
class DraftView:
    """A proposed draft with what the review form needs: its parties, chips and cloud as rows,
    the deal it may repeat, and its sentence in context."""

    draft: DealDraft
    payer: Company | None
    payee: Company | None
    cloud: CloudPlatform | None
    chips: list[ChipPlatform]
    duplicate: Deal | None
    before: str
    after: str

    @property
    def proposal(self) -> dict:
        return self.draft.proposal

    @property
    def money(self) -> str:
        return format_money(
            _decimal(self.proposal.get("amount_usd")), self.proposal.get("amount_qualifier", "")
        )


@dataclass
class ReviewPage:
    article: Article
    proposed: list[DraftView]
    reviewed: list[DealDraft]
    unknown_names: list[tuple[str, str]] = field(default_factory=list)  # (name, add-form field)


def _decimal(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


def _as_extracted(view: DraftView) -> DraftDeal:
    proposal = view.proposal
    return DraftDeal(
        type=proposal["type"],
        payer=view.payer,
        payer_name=proposal.get("payer_name", ""),
        payee=view.payee,
        payee_name=proposal.get("payee_name", ""),
        amount_usd=_decimal(proposal.get("amount_usd")),
        amount_qualifier=proposal.get("amount_qualifier", "undisclosed"),
        status=proposal.get("status", "announced"),
        quote=view.draft.quote,
        start=proposal.get("start", 0),
        end=proposal.get("end", 0),
        cloud=proposal.get("cloud"),
    )


def _context(body: str, draft: DealDraft) -> tuple[str, str]:
    start = draft.proposal.get("start")
    if start is None or body[start : start + len(draft.quote)] != draft.quote:
        start = body.find(draft.quote)
    if start < 0:
        return "", ""
    end = start + len(draft.quote)
    before = body[max(0, start - CONTEXT_CHARS) : start]
    after = body[end : end + CONTEXT_CHARS]
    return ("…" + before if start > CONTEXT_CHARS else before), (
        after + "…" if end + CONTEXT_CHARS < len(body) else after
    )


def review_page(article: Article, *, with_unknown_names: bool = True) -> ReviewPage:
    """Everything the review page shows, in a number of queries that does not grow with the
    number of companies (a few per proposed draft, for its possible duplicate)."""
    drafts = list(article.deal_drafts.select_related("deal", "reviewed_by"))
    proposed = [d for d in drafts if d.status == DealDraft.Status.PROPOSED]
    slugs = {s for d in proposed for s in (d.proposal.get("payer"), d.proposal.get("payee")) if s}
    companies = Company.objects.in_bulk(slugs, field_name="slug")
    clouds = CloudPlatform.objects.in_bulk(
        {d.proposal["cloud"] for d in proposed if d.proposal.get("cloud")}, field_name="slug"
    )
    chips = ChipPlatform.objects.in_bulk(
        {c for d in proposed for c in d.proposal.get("chips", [])}, field_name="slug"
    )
    views = []
    for draft in proposed:
        proposal = draft.proposal
        before, after = _context(article.body, draft)
        view = DraftView(
            draft=draft,
            payer=companies.get(proposal.get("payer")),
            payee=companies.get(proposal.get("payee")),
            cloud=clouds.get(proposal.get("cloud")),
            chips=[chips[c] for c in proposal.get("chips", []) if c in chips],
            duplicate=None,
            before=before,
            after=after,
        )
        view.duplicate = find_duplicate(_as_extracted(view))
        views.append(view)
    reviewed = [d for d in drafts if d.status != DealDraft.Status.PROPOSED]
    unknown = []
    if with_unknown_names:
        # Read again, so names added to the directory since then drop off the list.
        unknown = [
            (c.name, "name_ar" if has_arabic(c.name) else "name")
            for c in extract_drafts(article.body).new_companies
        ]
    return ReviewPage(article, views, reviewed, unknown)
