"""Who pays whom in one sentence: a draft for each figure of money (and for a cue with both
parties named but no figure), its payer and payee found from what governs each name.

The payer is the subject (no preposition before it), nearest the figure; the payee is the
one after "في"/"in" (investment) or "من"/"from"/"مع"/"with", or the cloud named (compute).
"جمعت"/"raised" turns this round, and so does a seller as the subject ("X ستوفر لـY"). A
clause that names only one side borrows the other from the earlier clauses of the sentence.
"""

from companies.models import Company
from deals.models import DealType, Qualifier

from . import cues
from .drafts import DraftDeal
from .entities import Mention
from .numbers import MoneyMention, find_money
from .sentences import (
    Role,
    Sentence,
    clause_of,
    cues_between,
    deal_type_at,
    resolve,
    roles_of,
    status_of,
)
from .why import explain

PAYEE_SLOTS = {
    DealType.INVESTMENT: ("in", "with", "to", "bought"),
    DealType.COMPUTE_COMMITMENT: ("from", "with", "on", "to"),
    DealType.CHIP_SUPPLY: ("from", "with", "to"),
    "raising": ("from",),  # the investor, for a company that raised money
}
_CUE_WINDOW = 40  # folded characters before a figure searched for "valuation", "معاً"...
# A cloud is where compute is bought, never who buys it.
_NOT_PAYERS = {
    DealType.INVESTMENT: {"anaphor"},
    DealType.COMPUTE_COMMITMENT: {"anaphor", "cloud"},
    DealType.CHIP_SUPPLY: {"anaphor", "cloud"},
    "raising": {"anaphor", "cloud"},
    "generic": {"anaphor"},
}


def _kind(mention: Mention | None) -> str:
    return mention.company.kind if mention is not None and mention.company else ""


def sentence_drafts(sentence: Sentence, history: list[Mention]) -> list[DraftDeal]:
    """The sentence's drafts: one per figure of money that is a deal, then one per clause
    without a figure that has a cue and names both sides. `history` holds the organisations
    of the sentences before, for "الشركة الناشئة" / "the startup"."""
    roles = roles_of(sentence)
    text = sentence.folded.text
    money = find_money(sentence.folded)
    has_currency = any(m.has_currency for m in money)
    money = [m for m in money if m.has_currency or has_currency]
    drafts: list[DraftDeal] = []
    carried = {"payer": None, "payee": None}
    anchored_clauses = set()
    previous_end = 0
    for figure in money:
        clause = clause_of(sentence, figure.start)
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
            m.amount_usd is not None and clause_of(sentence, m.start) == clause for m in money
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
            resolved = resolve(role, history, sentence, set())
            if resolved is None:
                continue
            if role.slot in ("in", "from", "with", "on", "to", "bought"):
                carried["payee"] = resolved
            elif not role.slot and role.mention.kind != "anaphor":
                carried["payer"] = resolved


def _draft_for(sentence, roles, history, figure: MoneyMention, clause, carried):
    deal_type = deal_type_at(sentence, clause, figure.start)
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
            payee = resolve(_nearest(candidates, figure, as_role=True), history, sentence, set())
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
        status=status_of(sentence, clause),
        quote=sentence.quote,
        start=sentence.start,
        end=sentence.end,
        cloud=cloud.slug if cloud else None,
        is_new=bool(cues.NEW.search(sentence.folded.text)),
        sentence_index=sentence.index,
        why=explain(sentence, figure, payer, payee, deal_type),
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
    found = [(p, kind) for p, kind in cues_between(sentence, a, b) if kind != "generic"]
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


def _nearest(roles: list[Role], figure, as_role: bool = False):
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


def _related(a: Mention, b: Mention) -> bool:
    """The same organisation, or a parent and its subsidiary (Amazon and AWS)."""
    if a.key == b.key:
        return True
    if a.company is None or b.company is None:
        return False
    return a.company.parent_id == b.company.pk or b.company.parent_id == a.company.pk


def _pk(mention: Mention | None):
    return mention.company.pk if mention is not None and mention.company else None
