"""The drafts of a whole article: power, chips and terms joined to their compute deal, a
cloud bought "from Amazon" sent to its cloud arm, the dates read, repeats merged, and the names
no company knows collected for the editor."""

from datetime import date

from deals.models import DealType, Qualifier

from . import cues
from .dates import find_dates
from .drafts import DraftCompany, DraftDeal, Quote
from .entities import Lexicon
from .folding import fold
from .numbers import find_power, find_terms
from .sentences import WORD, Sentence
from .why import date_reason

_CARRY_SENTENCES = 3  # how far back power and chips may look for their compute deal
_DATE_SENTENCES = 2  # how far a draft looks for a date when its own sentences give none


def attach_details(sentence: Sentence, found: list[DraftDeal], earlier: list[DraftDeal]):
    """The sentence's power, chips and terms join its compute or chip deals (else its only
    draft), or, when it has none and speaks of compute, the latest compute deal of the
    sentences just before, which then cites this sentence too."""
    powers = find_power(sentence.folded)
    terms = find_terms(sentence.folded)
    chips = [m.chip.slug for m in sentence.mentions if m.kind == "chip"]
    if not (powers or terms or chips):
        return
    compute = [d for d in found if d.type in (DealType.COMPUTE_COMMITMENT, DealType.CHIP_SUPPLY)]
    reused = False
    if not compute:
        recent = [
            d
            for d in earlier
            if d.type == DealType.COMPUTE_COMMITMENT
            and sentence.index - d.sentence_index <= _CARRY_SENTENCES
        ]
        compute = recent[-1:]
        reused = True
        if not compute or not cues.COMPUTE.search(sentence.folded.text):
            compute = []
    targets = compute or (found if len(found) == 1 else [])
    for draft in targets:
        if powers and draft.power_gw is None:
            draft.power_gw, draft.power_qualifier = powers[0].power_gw, powers[0].qualifier
        for chip in chips:
            if chip not in draft.chips:
                draft.chips.append(chip)
        if reused:
            draft.supporting.append(Quote(sentence.quote, sentence.start, sentence.end))
    for term in terms:
        for draft in compute or found:
            draft.term_years = draft.term_years or term.years


def attach_dates(sentences: list[Sentence], drafts: list[DraftDeal], published_on: date | None):
    """Each draft's date: the first date of its sentence, else of the nearest sentence within
    two that gives one and reports no deal of its own (the headline's deal, dated in the next
    sentence); never another deal's date."""
    dated = {}
    for sentence in sentences:
        found = find_dates(sentence.folded, published_on)
        if found:
            dated[sentence.index] = (sentence, found[0])
    with_deals = {draft.sentence_index for draft in drafts}
    for draft in drafts:
        near = sorted(
            (abs(index - draft.sentence_index), index)
            for index in dated
            if abs(index - draft.sentence_index) <= _DATE_SENTENCES
            and (index == draft.sentence_index or index not in with_deals)
        )
        if not near:
            continue
        sentence, mention = dated[near[0][1]]
        draft.announced_on, draft.date_precision = mention.day, mention.precision
        written = sentence.folded.source(mention.start, mention.end).strip()
        draft.why.append(date_reason(written, mention.precision))


def prefer_cloud_operator(draft: DraftDeal, lexicon: Lexicon):
    """Buying cloud "from Amazon" means from its cloud arm, when Amazon runs no cloud itself."""
    if draft.type != DealType.COMPUTE_COMMITMENT or draft.payee is None:
        return
    clouds = lexicon.clouds_run_by(draft.payee)
    if len(clouds) != 1:
        return
    cloud = clouds[0]
    if cloud.operator_id != draft.payee.pk:
        draft.payee = cloud.operator
    draft.cloud = draft.cloud or cloud.slug


def merge(drafts: list[DraftDeal]) -> list[DraftDeal]:
    """One draft per deal: repeats of the same figure, and unnumbered mentions, fold in."""
    merged: list[DraftDeal] = []
    sentences_of: dict[int, set[int]] = {}  # id(draft) -> the sentences folded into it
    for draft in drafts:
        same = [
            d
            for d in merged
            if (d.type, d.payer_key, d.payee_key) == (draft.type, draft.payer_key, draft.payee_key)
        ]
        target = next(
            (o for o in same if _same_deal(draft, o, draft.sentence_index in sentences_of[id(o)])),
            None,
        )
        if target is None:
            merged.append(draft)
            sentences_of[id(draft)] = {draft.sentence_index}
            continue
        _fold_into(target, draft)
        sentences_of[id(target)].add(draft.sentence_index)
    return merged


def _same_deal(draft: DraftDeal, other: DraftDeal, same_sentence: bool) -> bool:
    """Two drafts of one payer, payee and type report one deal unless their figures differ,
    or one without a figure calls itself new ("استثمار جديد") in another sentence."""
    if draft.amount_usd is None:
        return same_sentence or not (draft.is_new and other.amount_usd is not None)
    if other.amount_usd is None:
        return same_sentence or not other.is_new
    return (draft.amount_usd, draft.amount_qualifier) == (
        other.amount_usd,
        other.amount_qualifier,
    )


def _richness(draft: DraftDeal) -> int:
    return sum(
        x not in (None, [], "undisclosed")
        for x in (draft.amount_usd, draft.power_gw, draft.term_years, draft.chips, draft.cloud)
    )


def _fold_into(target: DraftDeal, other: DraftDeal):
    if target.amount_usd is None and other.amount_usd is not None:
        target.amount_usd, target.amount_qualifier = other.amount_usd, other.amount_qualifier
        target.status, target.is_new = other.status, other.is_new
    richer = _richness(other) > _richness(target)
    if richer and other.amount_usd == target.amount_usd:
        quote = Quote(target.quote, target.start, target.end)
        target.quote, target.start, target.end = other.quote, other.start, other.end
        target.supporting.insert(0, quote)
        target.status = other.status
    else:
        target.supporting.append(Quote(other.quote, other.start, other.end))
    target.power_gw = target.power_gw or other.power_gw
    if target.power_qualifier == Qualifier.UNDISCLOSED:
        target.power_qualifier = other.power_qualifier
    target.term_years = target.term_years or other.term_years
    target.cloud = target.cloud or other.cloud
    target.chips += [c for c in other.chips if c not in target.chips]
    target.supporting += [q for q in other.supporting if q not in target.supporting]


def new_companies(sentences: list[Sentence], drafts: list[DraftDeal]) -> list[DraftCompany]:
    """Unknown parties of drafts, and unknown names the article calls "شركة"."""
    found: dict[str, DraftCompany] = {}
    for draft in drafts:
        for company, name in ((draft.payer, draft.payer_name), (draft.payee, draft.payee_name)):
            if company is None and name:
                found.setdefault(
                    fold(name), DraftCompany(name, draft.quote, draft.start, draft.end)
                )
    for sentence in sentences:
        for mention in sentence.mentions:
            if mention.kind != "unknown":
                continue
            before = WORD.findall(sentence.folded.text[: mention.start])[-1:]
            if before and before[0] in {fold("شركة"), fold("شركات"), fold("الشركة")}:
                found.setdefault(
                    fold(mention.text),
                    DraftCompany(mention.text, sentence.quote, sentence.start, sentence.end),
                )
    return list(found.values())
