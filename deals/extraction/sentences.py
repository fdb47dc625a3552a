"""One sentence as the rules read it: its clauses, the names in it and what governs each
(a preposition, a verb, or nothing for the subject), and its type and status cues.

Sentences end at . ! ? ؟ (not inside 2.2) and at line breaks; clauses at "،", ";", ":" and at
"بينما" / "while". Positions are in the sentence's folded text (see `folding`).
"""

import re
from dataclasses import dataclass

from deals.models import DealStatus, DealType

from . import cues
from .entities import FILLER_WORDS, Lexicon, Mention
from .folding import Folded, fold

# A comma between two adjectives of one noun ("a $10 billion, three-year contract") is no break.
_CLAUSE_BREAK = re.compile(
    r"[،;؛:]|,(?!\d)(?!\s*(?:[\w]+-year|multi-?year)\b)|(?<!\w)(?:بينما|فيما|while|whereas)(?!\w)"
)
WORD = re.compile(r"[^\W_]+")
SLOT_WORDS = {
    "in": {"في", "in", "into"},
    "from": {"من", "لدي", "from", "by"}
    | {fold(w) for w in ["بقيادة", "تقودها", "يقودها", "تقوده", "يقوده"]},
    "with": {"مع", "with"},
    "between": {"بين", "between"},
    "on": {fold("على"), "on"},
    "to": {fold("إلى"), "to", fold("لشركة"), fold("للشركة"), fold("لصالح")},
}
_PAYING = {"pay", "pays", "paying", "paid"}
_SLOT_OF = {word: slot for slot, words in SLOT_WORDS.items() for word in words}


@dataclass
class Sentence:
    index: int
    start: int
    end: int
    folded: Folded
    mentions: list[Mention]
    clauses: list[tuple[int, int]]
    # "وآخر هذه العقود اتفاق … مع أوراكل", "The newest is a contract with Cerebras": a sentence
    # that names no subject continues the subject of the sentence before (`references`).
    implied_subject: Mention | None = None

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


def read_sentences(text: str, lexicon: Lexicon) -> list[Sentence]:
    """Each sentence of `text` with the names the lexicon finds in it and its clauses."""
    sentences = []
    for index, (start, end) in enumerate(split_sentences(text)):
        folded = Folded.of(text[start:end])
        sentences.append(
            Sentence(index, start, end, folded, lexicon.find(folded), _clauses(folded.text))
        )
    return sentences


def _clauses(folded_text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for match in _CLAUSE_BREAK.finditer(folded_text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(folded_text)))
    return bounds


def clause_of(sentence: Sentence, position: int) -> int:
    for i, (a, b) in enumerate(sentence.clauses):
        if a <= position < b:
            return i
    return len(sentence.clauses) - 1


def _slot(sentence: Sentence, mention: Mention, clause_start: int) -> str:
    """What governs `mention`: a preposition ("in", "from", "to", ...), a verb whose object
    it is ("bought": "buy X", "استحوذت على X"; "served": "تزويد X", "provide X"), or
    nothing ("", the subject)."""
    before = sentence.folded.text[clause_start : mention.start]
    words = WORD.findall(before)
    while words and words[-1] in FILLER_WORDS:
        words.pop()
    if mention.prefix.endswith("ل") and (not words or words[-1] not in _SLOT_OF):
        return "to"  # "لـOpenAI", "لأوبن إيه آي": for, to
    if not words:
        return ""
    last = words[-1]
    if last == "by" and len(words) > 1 and words[-2] in ("led", "co-led"):
        return "from"
    if (
        cues.BUYING_WHAT.fullmatch(last)
        or (last in (fold("على"), "on") and cues.PURCHASE.search(" ".join(words[:-1])))
        or (last == "of" and len(words) > 1 and cues.BUYING_OF.fullmatch(words[-2]))
    ):
        return "bought"
    if cues.SERVING_WHOM.fullmatch(last):
        return "served"
    if last in _PAYING:
        return "to"  # "is paying Nebius": the one paid follows the English verb
    return _SLOT_OF.get(last, "")


@dataclass
class Role:
    mention: Mention
    slot: str
    clause: int


def roles_of(sentence: Sentence) -> list[Role]:
    """Every organisation or anaphor of the sentence with its slot; "X وY" share X's slot."""
    roles: list[Role] = []
    for mention in sentence.mentions:
        if mention.kind == "chip":
            continue
        clause = clause_of(sentence, mention.start)
        slot = _slot(sentence, mention, sentence.clauses[clause][0])
        if mention.coordinated and roles and roles[-1].clause == clause and not slot:
            slot = roles[-1].slot
        roles.append(Role(mention, slot, clause))
    return roles


def resolve(role: Role) -> Mention | None:
    """The organisation a role names; None for an anaphor `references` could not resolve."""
    return None if role.mention.kind == "anaphor" else role.mention


def deal_type_at(sentence: Sentence, clause: int, position: int) -> str | None:
    """The nearest type cue to `position`: in its clause first, else in the sentence; a bare
    "صفقة"/"deal" counts only when nothing more specific is said anywhere in the sentence."""
    a, b = sentence.clauses[clause]
    everywhere = cues_between(sentence, 0, len(sentence.folded.text))
    generic = False
    for lo, hi in ((a, b), (0, len(sentence.folded.text))):
        found = [(abs(p - position), kind) for p, kind in everywhere if lo <= p < hi]
        specific = [f for f in found if f[1] != "generic"]
        generic = generic or len(specific) < len(found)
        if specific:
            nearest = min(specific)[1]
            if nearest == "purchase":
                return _bought_what(sentence, everywhere)
            if nearest == DealType.INVESTMENT and any(k == "raising" for _, k in specific):
                return "raising"  # "حصلت على استثمار من", "raised ... in funding led by"
            return nearest
    return "generic" if generic else None


def _bought_what(sentence: Sentence, everywhere: list[tuple[int, str]]) -> str:
    """Buying is compute where compute or a cloud is named, unless what is bought is an
    organisation ("استحواذها على «رن إيه آي»", "its purchase of server maker ZT Systems"):
    then, as without compute, it is an investment (an acquisition)."""
    clouds = any(m.kind == "cloud" for m in sentence.mentions)
    bought = any(r.slot == "bought" and r.mention.is_organisation for r in roles_of(sentence))
    compute = any(k == DealType.COMPUTE_COMMITMENT for _, k in everywhere)
    return (
        DealType.COMPUTE_COMMITMENT if clouds or (compute and not bought) else DealType.INVESTMENT
    )


def status_of(sentence: Sentence, clause: int) -> str:
    a, b = sentence.clauses[clause]
    return (
        cues.status_in(sentence.folded.text[a:b])
        or cues.status_in(sentence.folded.text)
        or DealStatus.ANNOUNCED
    )


def cues_between(sentence: Sentence, lo: int, hi: int) -> list[tuple[int, str]]:
    """Type cues between folded positions lo and hi, leaving out words inside names
    ("Ampere Computing", "Google Cloud" are not about computing or clouds)."""
    names = [(m.start, m.end) for m in sentence.mentions if m.kind != "anaphor"]
    return [
        (p + lo, kind)
        for p, kind in cues.type_cues(sentence.folded.text[lo:hi])
        if not any(a <= p + lo < b for a, b in names)
    ]
