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
from .numbers import MoneyMention, find_money, find_power
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
_UNIT_WINDOW = 30  # folded characters around a cost word searched for "each", "الواحد"...
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


def sentence_drafts(sentence: Sentence) -> list[DraftDeal]:
    """The sentence's drafts: one per figure of money that is a deal, then one per clause
    without a figure that has a cue and names both sides. Its anaphors are resolved already
    (`references`)."""
    roles = roles_of(sentence)
    text = sentence.folded.text
    if _prices_a_unit(text):
        return []
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
        _carry_roles(sentence, roles, clause, carried)
        previous_end = figure.end
        if (
            cues.NOT_A_DEAL.search(context)
            or cues.VALUING.search(text, clause_start, figure.start)
            or cues.JOINT_AFTER.match(text, figure.end)
        ):
            continue
        draft = _draft_for(sentence, roles, figure, clause, carried)
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
    if not (money or drafts):
        drafts = _sized_in_power(sentence, roles)
    return drafts


def _prices_a_unit(text: str) -> bool:
    """ "each gigawatt costs about $50 billion", "سعر المعالج الواحد": a cost word with a word
    of one unit near it. Such a sentence reports costs, and its other figures are parts of
    them ("of which $35 billion goes to Nvidia chips")."""
    return any(
        cues.UNIT.search(text[max(0, cost.start() - _UNIT_WINDOW) : cost.end() + _UNIT_WINDOW])
        for cost in cues.UNIT_COST.finditer(text)
    )


def _carry_roles(sentence, roles, upto_clause, carried):
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
            resolved = resolve(role)
            if resolved is None:
                continue
            if role.slot in ("in", "from", "with", "on", "to", "bought"):
                carried["payee"] = resolved
            elif not role.slot and role.mention.kind != "anaphor":
                carried["payer"] = resolved


def _draft_for(sentence, roles, figure: MoneyMention, clause, carried):
    deal_type = deal_type_at(sentence, clause, figure.start)
    if deal_type is None:
        return None
    here = [r for r in roles if r.clause == clause]
    clouds = [r.mention for r in here if r.mention.kind == "cloud"]
    clouds = clouds or [r.mention for r in roles if r.mention.kind == "cloud"]
    if deal_type == "generic":
        # "a deal to provide Meta with capacity": a seller of something, compute by default.
        providing = cues.PROVIDING.search(sentence.folded.text, *sentence.clauses[clause])
        deal_type = DealType.COMPUTE_COMMITMENT if clouds or providing else None
    subjects = [
        r
        for r in here
        if not r.slot and r.mention.kind not in _NOT_PAYERS.get(deal_type, {"anaphor"})
    ]
    payer = _nearest(subjects, figure)
    if deal_type == "raising":
        investors = [r for r in here if r.slot == "from" and r.mention.kind != "anaphor"]
        payer = payer or carried["payer"]  # "…، بعد أن جمعت 500 مليون دولار من X"
        if not (payer and investors):
            return None
        payee, payer, deal_type = payer, _nearest(investors, figure), DealType.INVESTMENT
    elif deal_type is None:
        # Only "deal"/"agreement": the direction must come from what the parties are.
        parties = [r.mention for r in here if r.mention.is_organisation]
        if len(parties) == 1 and sentence.implied_subject is not None:
            parties.insert(0, sentence.implied_subject)
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
            payee = resolve(_nearest(candidates, figure, as_role=True))
        if deal_type == DealType.COMPUTE_COMMITMENT and payee is None and clouds:
            payee = clouds[0]
        if payer is None and payee is None and len(between) >= 2:
            ordered = _by_kinds([r.mention for r in between], deal_type)
            payer, payee = ordered[0], ordered[1]
        if deal_type in (DealType.COMPUTE_COMMITMENT, DealType.CHIP_SUPPLY):
            sold = _buyer_and_seller(sentence, here, clause, carried["payer"])
            payer, payee = sold or (payer, payee)
        payer = payer or carried["payer"] or sentence.implied_subject
        if payee is None or (payer is not None and payee.key == payer.key):
            payee = carried["payee"] if carried["payee"] is not payer else None
        if payee is None and deal_type == DealType.CHIP_SUPPLY:
            chip = next((m for m in sentence.mentions if m.kind == "chip"), None)
            if chip is not None:
                payee = Mention("company", chip.start, chip.end, chip.chip.vendor.name,
                                company=chip.chip.vendor)  # fmt: skip
    if payer is None or payee is None or _related(payer, payee):
        return None
    deal_type = _chips_or_compute(sentence, deal_type, payee)
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


def _buyer_and_seller(sentence, here, clause, subject_before):
    """(payer, payee) when the clause has a verb of providing (before its figure or after it:
    "اتفاق بقيمة 1.5 مليار دولار لتزويد «بولارس»"): the seller is
    the subject before the verb ("AMD to supply", "قالت إنفيديا إنها ستزود"), else the first
    name after it (an Arabic verb comes first: "ستزود إيه إم دي أوبن إيه آي"), else the
    subject of an earlier clause; the buyer is the one served ("لـY", "supply Y"), else the
    next name after the verb, else the partner named before it ("مع Y لتزويدها"). None when
    the clause has no such verb or lacks a side."""
    a, b = sentence.clauses[clause]
    verb = cues.PROVIDING.search(sentence.folded.text[:b], a)
    if verb is None:
        return None
    orgs = [r for r in here if r.mention.is_organisation]
    served = [r.mention for r in orgs if r.slot in ("to", "served")]
    subjects_before = [r.mention for r in orgs if not r.slot and r.mention.end <= verb.start()]
    after = [r.mention for r in orgs if not r.slot and r.mention.start >= verb.end()]
    if subjects_before:
        seller = subjects_before[-1]
    elif after and (served or len(after) >= 2):
        seller = after.pop(0)
    else:
        seller = subject_before
    partners = [r.mention for r in orgs if r.slot == "with" and r.mention.end <= verb.start()]
    # "وقعت X عقداً مع Y لتزويدها بـ…", "a deal with Y to supply it": the partner is served.
    buyer = next(iter(served or after or partners), None)
    if seller is None or buyer is None or seller.key == buyer.key:
        return None
    return buyer, seller


def _chips_or_compute(sentence, deal_type, payee):
    """Chips sold by a company that does not make them, beside their maker's name ("Nscale
    will provide Microsoft with Nvidia GPUs"), are capacity rented out: compute."""
    if deal_type != DealType.CHIP_SUPPLY or _kind(payee) == Company.Kind.CHIPMAKER:
        return deal_type
    makers = [
        m
        for m in sentence.mentions
        if m.kind == "chip" or (m.company is not None and m.company.kind == Company.Kind.CHIPMAKER)
    ]
    return DealType.COMPUTE_COMMITMENT if makers else deal_type


def _sized_in_power(sentence, roles) -> list[DraftDeal]:
    """ "اتفقت أوبن إيه آي مع إنفيديا على نشر أنظمة بقدرة 10 غيغاواط": an agreement (or a
    supply) with one chipmaker, sized only in power, is a chip deal paid by the one other
    organisation."""
    agreement = (cues.GENERIC, cues.AGREEING, cues.SUPPLY, cues.PROVIDING)
    if not (find_power(sentence.folded) and any(c.search(sentence.folded.text) for c in agreement)):
        return []
    parties = list({r.mention.key: r.mention for r in roles if r.mention.is_organisation}.values())
    makers = [m for m in parties if _kind(m) == Company.Kind.CHIPMAKER]
    buyers = [m for m in parties if _kind(m) != Company.Kind.CHIPMAKER and m.kind != "cloud"]
    if len(makers) != 1 or len(buyers) != 1:
        return []
    draft = _draft(sentence, 0, None, buyers[0], makers[0], DealType.CHIP_SUPPLY, None)
    return [draft] if draft else []


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
        if deal_type == DealType.COMPUTE_COMMITMENT:
            # "أنظمة غريس بلاكويل من إنفيديا": the chips' maker, not who sells the compute.
            vendors = {m.chip.vendor_id for m in sentence.mentions if m.kind == "chip"}
            payees = [r for r in payees if _pk(r.mention) not in vendors]
            payees = payees or [r for r in here if r.mention.kind == "cloud" and r.slot]
        sold = None
        if deal_type != DealType.INVESTMENT:
            sold = _buyer_and_seller(sentence, here, clause, None)
        payer, payee = sold or (subject, payees[0].mention if payees else None)
        if payee is None:
            continue
        deal_type = _chips_or_compute(sentence, deal_type, payee)
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
