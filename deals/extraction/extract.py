"""From an article's text to draft deals, each with the sentence that supports it.

The rules, sentence by sentence:

1. Find the names (`entities`), the money, power and terms (`numbers`) and the cue words
   (`cues`). Split the sentence into clauses at "،", ";", ":" and "بينما" / "while".
2. Each figure of money is a candidate deal. Its type comes from the nearest cue (invest →
   investment, buy/lease/compute/cloud → compute commitment, chips + supply → chip supply).
   Figures next to valuation, revenue, spending or "together/معاً" are not deals.
3. The payer is the organisation that is the subject (no preposition before it), nearest
   the figure; the payee is the one after "في"/"in" (investment) or "من"/"from"/"مع"/
   "with", or the cloud named (compute). "جمعت/raised" turns this round. A clause that
   names only one side borrows the other from the earlier clauses of the same sentence, and
   "الشركة الناشئة"/"the startup" points back to the latest AI lab named.
4. No draft without two different organisations. A cue with an explicit payer and payee but
   no figure gives an undisclosed draft.
5. Power, chips and terms join the compute deal of their sentence (or of the sentences just
   before); status comes from the most decisive cue of the clause, else of the sentence.
6. Drafts of one article that agree on type, payer, payee and figure are merged.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from companies.models import Company
from deals.models import Deal, DealStatus, DealType, Qualifier

from . import cues
from .entities import FILLER_WORDS, Lexicon, Mention
from .folding import Folded, fold
from .numbers import MoneyMention, find_money, find_power, find_terms

_CLAUSE_BREAK = re.compile(r"[،;؛:]|,(?!\d)|(?<!\w)(?:بينما|فيما|while|whereas)(?!\w)")
_WORD = re.compile(r"[^\W_]+")
SLOT_WORDS = {
    "in": {"في", "in", "into"},
    "from": {"من", "لدي", "from", "by"}
    | {fold(w) for w in ["بقيادة", "تقودها", "يقودها", "تقوده", "يقوده"]},
    "with": {"مع", "with"},
    "between": {"بين", "between"},
    "on": {fold("على"), "on"},
    "to": {fold("إلى"), "to", fold("لشركة"), fold("للشركة"), fold("لصالح")},
}
_SLOT_OF = {word: slot for slot, words in SLOT_WORDS.items() for word in words}
PAYEE_SLOTS = {
    DealType.INVESTMENT: ("in", "with", "to", "bought"),
    DealType.COMPUTE_COMMITMENT: ("from", "with", "on", "to"),
    DealType.CHIP_SUPPLY: ("from", "with", "to"),
    "raising": ("from",),  # the investor, for a company that raised money
}
_CUE_WINDOW = 40  # folded characters before a figure searched for "valuation", "معاً"...
_CARRY_SENTENCES = 3
# A cloud is where compute is bought, never who buys it.
_NOT_PAYERS = {
    DealType.INVESTMENT: {"anaphor"},
    DealType.COMPUTE_COMMITMENT: {"anaphor", "cloud"},
    DealType.CHIP_SUPPLY: {"anaphor", "cloud"},
    "raising": {"anaphor", "cloud"},
    "generic": {"anaphor"},
}  # how far back power and chips may look for their compute deal


@dataclass
class Quote:
    text: str
    start: int
    end: int


@dataclass
class DraftDeal:
    """A deal the article seems to report, for an editor to accept, correct or reject."""

    type: str
    payer: Company | None
    payer_name: str
    payee: Company | None
    payee_name: str
    amount_usd: Decimal | None
    amount_qualifier: str
    status: str
    quote: str
    start: int
    end: int
    power_gw: Decimal | None = None
    power_qualifier: str = Qualifier.UNDISCLOSED
    term_years: int | None = None
    chips: list[str] = field(default_factory=list)
    cloud: str | None = None
    supporting: list[Quote] = field(default_factory=list)
    is_new: bool = False  # "استثمار جديد": a new deal, not the one already reported
    sentence_index: int = -1

    @property
    def payer_key(self) -> str:
        return self.payer.slug if self.payer else self.payer_name

    @property
    def payee_key(self) -> str:
        return self.payee.slug if self.payee else self.payee_name

    def as_json(self) -> dict:
        """The export shape: companies by slug where known, by the article's spelling if not."""
        return {
            "type": str(self.type),
            "from": self.payer_key,
            "to": self.payee_key,
            "amount_usd": _number(self.amount_usd),
            "amount_qualifier": str(
                self.amount_qualifier if self.amount_usd is not None else Qualifier.UNDISCLOSED
            ),
            "power_gw": _number(self.power_gw),
            "term_years": self.term_years,
            "status": str(self.status),
            "chips": self.chips,
            "cloud": self.cloud,
            "quote": self.quote,
        }


@dataclass
class DraftCompany:
    """An organisation the article names that no company or alias knows yet."""

    name: str
    quote: str
    start: int
    end: int


@dataclass
class Extraction:
    text: str
    drafts: list[DraftDeal]
    new_companies: list[DraftCompany]
    companies: list[Company]  # known companies the article names, in order of first mention

    def as_json(self) -> dict:
        return {
            "drafts": [d.as_json() for d in self.drafts],
            "new_companies": [c.name for c in self.new_companies],
        }


@dataclass
class _Sentence:
    index: int
    start: int
    end: int
    folded: Folded
    mentions: list[Mention]
    clauses: list[tuple[int, int]]

    @property
    def quote(self) -> str:
        return self.folded.original


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: ends at . ! ? ؟ (not inside 2.2) and at line breaks."""
    spans, start = [], 0
    for i, char in enumerate(text):
        at_end = char == "\n" or (
            char in ".!?؟…"
            and (i + 1 == len(text) or not (text[i + 1].isalnum() or text[i + 1] in ".!?؟…"))
        )
        if at_end:
            spans.append((start, i + (char != "\n")))
            start = i + 1
    spans.append((start, len(text)))
    result = []
    for a, b in spans:
        chunk = text[a:b]
        stripped = chunk.strip()
        if stripped and re.search(r"\w", stripped):
            offset = a + chunk.index(stripped)
            result.append((offset, offset + len(stripped)))
    return result


def extract_drafts(text: str, lexicon: Lexicon | None = None) -> Extraction:
    """Read `text` and propose the deals it reports. Needs the database for names only."""
    lexicon = lexicon or Lexicon.from_db()
    sentences = []
    for index, (start, end) in enumerate(split_sentences(text)):
        folded = Folded.of(text[start:end])
        sentences.append(
            _Sentence(index, start, end, folded, lexicon.find(folded), _clauses(folded.text))
        )
    drafts: list[DraftDeal] = []
    history: list[Mention] = []  # every organisation named so far, for "الشركة الناشئة"
    for sentence in sentences:
        found = _sentence_drafts(sentence, history)
        _attach_details(sentence, found, drafts)
        drafts += found
        history += [m for m in sentence.mentions if m.is_organisation]
    for draft in drafts:
        _prefer_cloud_operator(draft, lexicon)
    drafts = _merge(drafts)
    companies = list({m.company.pk: m.company for m in history if m.company}.values())
    return Extraction(text, drafts, _new_companies(sentences, drafts), companies)


def find_duplicate(draft: DraftDeal, tolerance: Decimal = Decimal("0.1")) -> Deal | None:
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


# --- one sentence -------------------------------------------------------------------------


def _clauses(folded_text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for match in _CLAUSE_BREAK.finditer(folded_text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(folded_text)))
    return bounds


def _clause_of(sentence: _Sentence, position: int) -> int:
    for i, (a, b) in enumerate(sentence.clauses):
        if a <= position < b:
            return i
    return len(sentence.clauses) - 1


def _slot(sentence: _Sentence, mention: Mention, clause_start: int) -> str:
    """What governs `mention`: a preposition ("in", "from", "to", ...), a verb whose object
    it is ("bought": "buy X", "استحوذت على X"; "served": "تزويد X", "provide X"), or
    nothing ("", the subject)."""
    before = sentence.folded.text[clause_start : mention.start]
    words = _WORD.findall(before)
    while words and words[-1] in FILLER_WORDS:
        words.pop()
    if mention.prefix.endswith("ل") and (not words or words[-1] not in _SLOT_OF):
        return "to"  # "لـOpenAI", "لأوبن إيه آي": for, to
    if not words:
        return ""
    last = words[-1]
    if last == "by" and len(words) > 1 and words[-2] in ("led", "co-led"):
        return "from"
    if cues.BUYING_WHAT.fullmatch(last) or (
        last in (fold("على"), "on") and cues.PURCHASE.search(" ".join(words[:-1]))
    ):
        return "bought"
    if cues.SERVING_WHOM.fullmatch(last):
        return "served"
    return _SLOT_OF.get(last, "")


@dataclass
class _Role:
    mention: Mention
    slot: str
    clause: int


def _roles(sentence: _Sentence) -> list[_Role]:
    """Every organisation or anaphor of the sentence with its slot; "X وY" share X's slot."""
    roles: list[_Role] = []
    for mention in sentence.mentions:
        if mention.kind == "chip":
            continue
        clause = _clause_of(sentence, mention.start)
        slot = _slot(sentence, mention, sentence.clauses[clause][0])
        if mention.coordinated and roles and roles[-1].clause == clause and not slot:
            slot = roles[-1].slot
        roles.append(_Role(mention, slot, clause))
    return roles


def _resolve(role: _Role, history: list[Mention], sentence: _Sentence, exclude: set[str]):
    """The organisation a name or anaphor stands for (a Mention), or None."""
    if role.mention.kind != "anaphor":
        return role.mention
    earlier = history + [
        m for m in sentence.mentions if m.is_organisation and m.start < role.mention.start
    ]
    for mention in reversed(earlier):
        if mention.key in exclude:
            continue
        if role.mention.hint == "startup" and (
            mention.company is None or mention.company.kind != Company.Kind.AI_LAB
        ):
            continue
        return mention
    return None


def _deal_type(sentence: _Sentence, clause: int, position: int) -> str | None:
    """The nearest type cue to `position`: in its clause first, else in the sentence; a bare
    "صفقة"/"deal" counts only when nothing more specific is said anywhere in the sentence."""
    a, b = sentence.clauses[clause]
    everywhere = _cues(sentence, 0, len(sentence.folded.text))
    generic = False
    for lo, hi in ((a, b), (0, len(sentence.folded.text))):
        found = [(abs(p - position), kind) for p, kind in everywhere if lo <= p < hi]
        specific = [f for f in found if f[1] != "generic"]
        generic = generic or len(specific) < len(found)
        if specific:
            nearest = min(specific)[1]
            if nearest == "purchase":
                compute = any(k == DealType.COMPUTE_COMMITMENT for _, k in everywhere) or any(
                    m.kind == "cloud" for m in sentence.mentions
                )
                return DealType.COMPUTE_COMMITMENT if compute else DealType.INVESTMENT
            if nearest == DealType.INVESTMENT and any(k == "raising" for _, k in specific):
                return "raising"  # "حصلت على استثمار من", "raised ... in funding led by"
            return nearest
    return "generic" if generic else None


def _status(sentence: _Sentence, clause: int) -> str:
    a, b = sentence.clauses[clause]
    return (
        cues.status_in(sentence.folded.text[a:b])
        or cues.status_in(sentence.folded.text)
        or DealStatus.ANNOUNCED
    )


def _kind(mention: Mention | None) -> str:
    return mention.company.kind if mention is not None and mention.company else ""


def _sentence_drafts(sentence: _Sentence, history: list[Mention]) -> list[DraftDeal]:
    roles = _roles(sentence)
    text = sentence.folded.text
    money = find_money(sentence.folded)
    has_currency = any(m.has_currency for m in money)
    money = [m for m in money if m.has_currency or has_currency]
    drafts: list[DraftDeal] = []
    carried = {"payer": None, "payee": None}
    anchored_clauses = set()
    previous_end = 0
    for figure in money:
        clause = _clause_of(sentence, figure.start)
        anchored_clauses.add(clause)
        clause_start = sentence.clauses[clause][0]
        window_start = max(clause_start, previous_end, figure.start - _CUE_WINDOW)
        context = text[window_start : figure.start]
        _carry_roles(sentence, roles, history, clause, carried)
        previous_end = figure.end
        if cues.NOT_A_DEAL.search(context):
            continue
        draft = _draft_for(sentence, roles, history, figure, clause, carried)
        if draft is not None:
            drafts.append(draft)
    for clause in range(len(sentence.clauses)):
        if clause in anchored_clauses and any(
            m.amount_usd is not None and _clause_of(sentence, m.start) == clause for m in money
        ):
            continue
        draft = _undisclosed_draft(sentence, roles, clause)
        if draft is not None:
            drafts.append(draft)
    return drafts


def _carry_roles(sentence, roles, history, upto_clause, carried):
    """Payer and payee named in the clauses before `upto_clause`, for clauses that omit one."""
    carried["payer"] = carried["payee"] = None
    for clause in range(upto_clause):
        here = [r for r in roles if r.clause == clause]
        a, b = sentence.clauses[clause]
        served = [
            r.mention for r in here if r.slot in ("served", "to") and r.mention.is_organisation
        ]
        subjects = [r.mention for r in here if not r.slot and r.mention.is_organisation]
        if served and subjects and cues.PROVIDING.search(sentence.folded.text[a:b]):
            carried["payer"], carried["payee"] = served[0], subjects[0]  # "X لتزويد Y"
            continue
        for role in here:
            resolved = _resolve(role, history, sentence, set())
            if resolved is None:
                continue
            if role.slot in ("in", "from", "with", "on", "to", "bought"):
                carried["payee"] = resolved
            elif not role.slot and role.mention.kind != "anaphor":
                carried["payer"] = resolved


def _draft_for(sentence, roles, history, figure: MoneyMention, clause, carried):
    deal_type = _deal_type(sentence, clause, figure.start)
    if deal_type is None:
        return None
    here = [r for r in roles if r.clause == clause]
    clouds = [r.mention for r in here if r.mention.kind == "cloud"]
    clouds = clouds or [r.mention for r in roles if r.mention.kind == "cloud"]
    if deal_type == "generic":
        deal_type = DealType.COMPUTE_COMMITMENT if clouds else None
    subjects = [
        r
        for r in here
        if not r.slot and r.mention.kind not in _NOT_PAYERS.get(deal_type, {"anaphor"})
    ]
    payer = _nearest(subjects, figure)
    if deal_type == "raising":
        investors = [r for r in here if r.slot == "from" and r.mention.kind != "anaphor"]
        if not (payer and investors):
            return None
        payee, payer, deal_type = payer, _nearest(investors, figure), DealType.INVESTMENT
    elif deal_type is None:
        # Only "deal"/"agreement": the direction must come from what the parties are.
        parties = [r.mention for r in here if r.mention.is_organisation]
        payer, payee, deal_type = _by_kinds(parties)
        if payer is None:
            return None
    else:
        between = [r for r in here if r.slot == "between"]
        payee = None
        candidates = [r for r in here if r.slot in PAYEE_SLOTS[deal_type]]
        leaders = [r for r in here if r.slot == "from" and r.mention.is_organisation]
        if deal_type == DealType.INVESTMENT and not candidates and leaders and payer:
            # "جولة تمويل ... تقودها Iconiq", "a round led by X": the subject raises.
            return _draft(sentence, clause, figure, leaders[0].mention, payer, deal_type, None)
        if candidates:
            payee = _resolve(_nearest(candidates, figure, as_role=True), history, sentence, set())
        if deal_type == DealType.COMPUTE_COMMITMENT and payee is None and clouds:
            payee = clouds[0]
        if payer is None and payee is None and len(between) >= 2:
            ordered = _by_kinds([r.mention for r in between], deal_type)
            payer, payee = ordered[0], ordered[1]
        if deal_type == DealType.COMPUTE_COMMITMENT:
            payer, payee = _seller_first(sentence, here, clause, figure.start, payer, payee)
        payer = payer or carried["payer"]
        if payee is None or (payer is not None and payee.key == payer.key):
            payee = carried["payee"] if carried["payee"] is not payer else None
        if payee is None and deal_type == DealType.CHIP_SUPPLY:
            chip = next((m for m in sentence.mentions if m.kind == "chip"), None)
            if chip is not None:
                payee = Mention("company", chip.start, chip.end, chip.chip.vendor.name,
                                company=chip.chip.vendor)  # fmt: skip
    if payer is None or payee is None or _related(payer, payee):
        return None
    cloud = None
    if deal_type == DealType.COMPUTE_COMMITMENT:
        cloud = next((c.cloud for c in clouds if c.company.pk == _pk(payee)), None)
    return _draft(sentence, clause, figure, payer, payee, deal_type, cloud)


def _draft(sentence, clause, figure, payer, payee, deal_type, cloud) -> DraftDeal | None:
    if _related(payer, payee):
        return None
    return DraftDeal(
        type=deal_type,
        payer=payer.company,
        payer_name=payer.text,
        payee=payee.company,
        payee_name=payee.text,
        amount_usd=figure.amount_usd if figure else None,
        amount_qualifier=(
            figure.qualifier if figure and figure.amount_usd is not None else Qualifier.UNDISCLOSED
        ),
        status=_status(sentence, clause),
        quote=sentence.quote,
        start=sentence.start,
        end=sentence.end,
        cloud=cloud.slug if cloud else None,
        is_new=bool(cues.NEW.search(sentence.folded.text)),
        sentence_index=sentence.index,
    )


def _seller_first(sentence, here, clause, position, payer, payee):
    """ "X ستوفر لـY قدرة حوسبة": X sells, so Y (after "لـ"/"to") is the payer."""
    a = sentence.clauses[clause][0]
    if not cues.PROVIDING.search(sentence.folded.text[a:position]):
        return payer, payee
    buyers = [r for r in here if r.slot in ("to", "served") and r.mention.is_organisation]
    sellers = [r for r in here if not r.slot and r.mention.is_organisation]
    if buyers and sellers:
        return buyers[0].mention, sellers[0].mention
    return payer, payee


def _undisclosed_draft(sentence, roles, clause) -> DraftDeal | None:
    """A cue, a subject before it and a payee named after "في"/"من" (or a cloud), no figure."""
    a, b = sentence.clauses[clause]
    found = [(p, kind) for p, kind in _cues(sentence, a, b) if kind != "generic"]
    here = [r for r in roles if r.clause == clause and r.mention.kind != "anaphor"]
    for position, deal_type in found:
        if deal_type in ("raising", "purchase"):
            continue
        subjects = [r for r in here if not r.slot and r.mention.kind not in _NOT_PAYERS[deal_type]]
        if not subjects:
            continue
        # The subject nearest the cue, before it ("أمازون تدرس") or after it ("تؤجرها أوبن إيه آي").
        subject = min(subjects, key=lambda r: abs(r.mention.start - position)).mention
        payees = [
            r
            for r in here
            if r.mention.start > position
            and (
                r.slot == ("in" if deal_type == DealType.INVESTMENT else "from")
                or (deal_type == DealType.COMPUTE_COMMITMENT and r.mention.kind == "cloud")
            )
        ]
        if deal_type == DealType.COMPUTE_COMMITMENT and not payees:
            payees = [r for r in here if r.mention.kind == "cloud" and r.slot]
        payer, payee = _seller_first(sentence, here, clause, b, subject, None)
        if deal_type == DealType.INVESTMENT or payee is None:
            payer, payee = subject, payees[0].mention if payees else None
        if payee is None:
            continue
        draft = _draft(sentence, clause, None, payer, payee, deal_type, payee.cloud)
        if draft is not None:
            return draft
    return None


def _cues(sentence: _Sentence, lo: int, hi: int) -> list[tuple[int, str]]:
    """Type cues between folded positions lo and hi, leaving out words inside names
    ("Ampere Computing", "Google Cloud" are not about computing or clouds)."""
    names = [(m.start, m.end) for m in sentence.mentions if m.kind != "anaphor"]
    return [
        (p + lo, kind)
        for p, kind in cues.type_cues(sentence.folded.text[lo:hi])
        if not any(a <= p + lo < b for a, b in names)
    ]


def _nearest(roles: list[_Role], figure, as_role: bool = False):
    """The role nearest the figure, preferring one before it (Arabic and English both name
    the subject before the amount: "ستستثمر إنفيديا ما يصل إلى", "Nvidia will invest"), and
    a known organisation over a name nobody knows (often a person: "CEO Jensen Huang")."""
    roles = [r for r in roles if r.mention.kind in ("company", "cloud")] or roles
    if not roles:
        return None
    before = [r for r in roles if r.mention.end <= figure.start]
    best = before[-1] if before else roles[0]
    if as_role:
        return best
    return best.mention


def _by_kinds(parties: list[Mention], deal_type: str | None = None):
    """Order two parties by what they are: money flows into AI labs and towards clouds."""
    unique = list({m.key: m for m in parties}.values())
    if len(unique) != 2:
        return (None, None, None) if deal_type is None else unique[:2]
    first, second = unique
    kinds = (_kind(first), _kind(second))
    provider = {Company.Kind.CLOUD_PROVIDER}
    if deal_type in (None, DealType.COMPUTE_COMMITMENT):
        if kinds[1] in provider and kinds[0] not in provider:
            return (first, second, DealType.COMPUTE_COMMITMENT) if deal_type is None else [
                first, second]  # fmt: skip
        if kinds[0] in provider and kinds[1] not in provider:
            return (second, first, DealType.COMPUTE_COMMITMENT) if deal_type is None else [
                second, first]  # fmt: skip
    if deal_type in (None, DealType.INVESTMENT):
        lab = Company.Kind.AI_LAB
        if kinds[1] == lab and kinds[0] != lab:
            return (first, second, DealType.INVESTMENT) if deal_type is None else [first, second]
        if kinds[0] == lab and kinds[1] != lab:
            return (second, first, DealType.INVESTMENT) if deal_type is None else [second, first]
    return (None, None, None) if deal_type is None else [first, second]


# --- power, chips and terms ----------------------------------------------------------------


def _attach_details(sentence: _Sentence, found: list[DraftDeal], earlier: list[DraftDeal]):
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


# --- after all sentences -------------------------------------------------------------------


def _related(a: Mention, b: Mention) -> bool:
    """The same organisation, or a parent and its subsidiary (Amazon and AWS)."""
    if a.key == b.key:
        return True
    if a.company is None or b.company is None:
        return False
    return a.company.parent_id == b.company.pk or b.company.parent_id == a.company.pk


def _pk(mention: Mention | None):
    return mention.company.pk if mention is not None and mention.company else None


def _prefer_cloud_operator(draft: DraftDeal, lexicon: Lexicon):
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


def _merge(drafts: list[DraftDeal]) -> list[DraftDeal]:
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


def _new_companies(sentences: list[_Sentence], drafts: list[DraftDeal]) -> list[DraftCompany]:
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
            before = _WORD.findall(sentence.folded.text[: mention.start])[-1:]
            if before and before[0] in {fold("شركة"), fold("شركات"), fold("الشركة")}:
                found.setdefault(
                    fold(mention.text),
                    DraftCompany(mention.text, sentence.quote, sentence.start, sentence.end),
                )
    return list(found.values())


def _number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _close(a: Decimal, b: Decimal, tolerance: Decimal) -> bool:
    return abs(a - b) <= tolerance * max(a, b)
