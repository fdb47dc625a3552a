"""What the article assistant's review page shows, assembled from the drafts as stored.

Nothing is extracted again here: each draft is read back from its stored proposal
(`DraftDeal.from_stored`), and the names no company knew are those stored with the drafts,
less any the directory has learnt since. The reads are in `deals.selectors.drafts`.
"""

from dataclasses import dataclass, field

from companies.models import ChipPlatform, CloudPlatform, Company
from deals.extraction import DraftCompany, DraftDeal
from deals.extraction.sentences import split_sentences
from deals.extraction.why import rendered
from deals.formatting import format_money
from deals.models import Article, Deal, DealDraft
from deals.selectors.drafts import (
    article_drafts,
    find_duplicate,
    known_spellings,
    named_in_drafts,
)
from dealwatch.language import is_arabic_text
from sources.models import ArticleReview

from .services import NEW_COMPANIES

CONTEXT_CHARS = 160  # article text shown either side of a draft's sentence


@dataclass
class DraftView:
    """A proposed draft with what the review form needs: the draft as the extractor read it,
    its cloud and chips as rows, the deal it may repeat, and its sentence in context."""

    draft: DealDraft
    extracted: DraftDeal
    cloud: CloudPlatform | None
    chips: list[ChipPlatform]
    duplicate: Deal | None
    before: str
    after: str

    @property
    def proposal(self) -> dict:
        return self.draft.proposal

    @property
    def payer(self) -> Company | None:
        return self.extracted.payer

    @property
    def payee(self) -> Company | None:
        return self.extracted.payee

    @property
    def why(self) -> list[str]:
        """How the extractor read this draft, each cue and reference it resolved, in the
        editor's language."""
        return rendered(self.proposal.get("why", []))

    @property
    def money(self) -> str:
        return format_money(self.extracted.amount_usd, self.extracted.amount_qualifier)


@dataclass
class ReviewPage:
    article: Article
    proposed: list[DraftView]
    reviewed: list[DealDraft]
    unknown_names: list[tuple[str, str]] = field(default_factory=list)  # (name, add-form field)
    inbox: ArticleReview | None = None  # its state in the inbox and the extractor's notes
    sentences: list[str] = field(default_factory=list)  # to pick a missed deal's quote from

    @property
    def notes(self) -> list[str]:
        return list(self.inbox.notes) if self.inbox else []


def _context(body: str, draft: DealDraft, start: int) -> tuple[str, str]:
    if start < 0 or body[start : start + len(draft.quote)] != draft.quote:
        start = body.find(draft.quote)
    if start < 0:
        return "", ""
    end = start + len(draft.quote)
    before = body[max(0, start - CONTEXT_CHARS) : start]
    after = body[end : end + CONTEXT_CHARS]
    return ("…" + before if start > CONTEXT_CHARS else before), (
        after + "…" if end + CONTEXT_CHARS < len(body) else after
    )


def _unknown_names(drafts: list[DealDraft]) -> list[tuple[str, str]]:
    """The stored unknown names, less those a company has taken since, each with the field
    of the add-company form it fills."""
    names = list(
        dict.fromkeys(
            DraftCompany.from_stored(stored).name
            for draft in drafts
            for stored in draft.proposal.get(NEW_COMPANIES, [])
        )
    )
    known = known_spellings(names=names)
    return [(n, "name_ar" if is_arabic_text(n) else "name") for n in names if n not in known]


def review_page(article: Article) -> ReviewPage:
    """Everything the review page shows, in a number of queries that does not grow with the
    number of companies (a few per proposed draft, for its possible duplicate)."""
    drafts = article_drafts(article=article)
    proposed = [d for d in drafts if d.status == DealDraft.Status.PROPOSED]
    named = named_in_drafts(drafts=proposed)
    views = []
    for draft in proposed:
        # The row's quote column is the quote: older proposals do not repeat it.
        extracted = DraftDeal.from_stored(
            {**draft.proposal, "quote": draft.quote}, companies=named.companies
        )
        before, after = _context(article.body, draft, extracted.start)
        views.append(
            DraftView(
                draft=draft,
                extracted=extracted,
                cloud=named.clouds.get(extracted.cloud),
                chips=[named.chips[c] for c in extracted.chips if c in named.chips],
                duplicate=find_duplicate(extracted),
                before=before,
                after=after,
            )
        )
    reviewed = [d for d in drafts if d.status != DealDraft.Status.PROPOSED]
    sentences = [article.body[a:b] for a, b in split_sentences(article.body)]
    return ReviewPage(
        article,
        views,
        reviewed,
        _unknown_names(drafts),
        ArticleReview.objects.filter(article=article).first(),
        [s for s in sentences if s.strip()],
    )
