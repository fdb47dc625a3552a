"""Reads for the article assistant's drafts: an article's stored drafts with what they name,
the recorded deal a draft may repeat, and which unknown names the directory knows by now."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from companies.models import ChipPlatform, CloudPlatform, Company, CompanyAlias
from companies.text import compact_name
from deals.extraction import DraftDeal
from deals.models import Article, Deal, DealDraft


@dataclass
class NamedInDrafts:
    """The companies, clouds and chips some drafts' proposals name, each by its slug."""

    companies: dict[str, Company]
    clouds: dict[str, CloudPlatform]
    chips: dict[str, ChipPlatform]


def article_drafts(*, article: Article) -> list[DealDraft]:
    """Every draft of the article in reading order, with its deal and its reviewer."""
    return list(article.deal_drafts.select_related("deal", "reviewed_by"))


def named_in_drafts(*, drafts: Iterable[DealDraft]) -> NamedInDrafts:
    """What the drafts name, in three queries however many drafts there are."""
    proposals = [draft.proposal for draft in drafts]
    slugs = {s for p in proposals for s in (p.get("payer"), p.get("payee")) if s}
    return NamedInDrafts(
        companies=Company.objects.in_bulk(slugs, field_name="slug"),
        clouds=CloudPlatform.objects.in_bulk(
            {p["cloud"] for p in proposals if p.get("cloud")}, field_name="slug"
        ),
        chips=ChipPlatform.objects.in_bulk(
            {c for p in proposals for c in p.get("chips", [])}, field_name="slug"
        ),
    )


def find_duplicate(draft: DraftDeal, *, tolerance: Decimal = Decimal("0.1")) -> Deal | None:
    """The existing deal this draft reports again, so the editor can cite it instead.

    Same payer, payee and type, and either the same cloud or an amount within `tolerance`
    of the deal's (or of an amount one of its sources reported). An undisclosed draft
    matches when there is exactly one such deal.
    """
    if draft.payer is None or draft.payee is None:
        return None
    candidates = list(
        Deal.objects.filter(payer=draft.payer, payee=draft.payee, deal_type=draft.type)
        .select_related("cloud")
        .prefetch_related("citations")
    )
    if draft.amount_usd is None:
        return candidates[0] if len(candidates) == 1 else None
    for deal in candidates:
        amounts = [deal.amount_usd] + [c.reported_amount_usd for c in deal.citations.all()]
        if any(a is not None and _close(a, draft.amount_usd, tolerance) for a in amounts):
            return deal
    for deal in candidates:
        if draft.cloud and deal.cloud and deal.cloud.slug == draft.cloud:
            return deal
    return None


def known_spellings(*, names: Iterable[str]) -> set[str]:
    """Those of `names` that some company now goes by (up to normalisation), in one query."""
    keys = {name: compact_name(name) for name in names}
    wanted = {key for key in keys.values() if key}
    if not wanted:
        return set()
    known = set(CompanyAlias.objects.filter(compact__in=wanted).values_list("compact", flat=True))
    return {name for name, key in keys.items() if key in known}


def _close(a: Decimal, b: Decimal, tolerance: Decimal) -> bool:
    return abs(a - b) <= tolerance * max(a, b)
