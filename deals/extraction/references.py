"""Who "the company", "the startup", "the chipmaker", "الأولى" and "الأخيرة" stand for.

Real news names a party once, often only in the headline, and then refers to it: "وقعت
الشركة الأمريكية عقداً مع «نيبيوس»", "تستثمر الأولى 700 مليون دولار في الأخيرة", "The
chipmaker will deliver…". Each anaphor of a sentence is replaced, before the sentence is read
for deals, by the organisation it stands for, kept at the anaphor's place in the sentence and
remembering the anaphor's words (`Mention.anaphor`) so that the draft can say why.

What each kind of anaphor may stand for, among the organisations named before it (earlier
sentences, the headline first of all, and earlier in the same sentence), never one named in its
own clause, nor one already stood for in the same sentence:
- "company" (الشركة, the company, the Dutch company): the subject of the latest sentence that
  had one, else the latest organisation;
- "startup" (الشركة الناشئة, المختبر, the startup): the latest AI lab, else the latest
  organisation no company knows (one named as a subject first);
- "chipmaker" (صانعة الرقائق, the chipmaker) and "cloud" (مزود الخدمات السحابية): the latest
  company of that kind (a name no company knows may be either);
- "round" (الجولة, the round): the latest AI lab or unknown organisation (who raised it);
- "former" / "latter" (الأولى / الأخيرة، الثانية, the former / the latter): the first or the
  second of the latest two organisations named together.
"""

import re
from dataclasses import dataclass, replace

from companies.models import Company

from .entities import OWNER_SPELLINGS, Mention
from .folding import fold
from .sentences import Sentence, clause_of, roles_of


@dataclass(frozen=True)
class Named:
    """An organisation named in the article, with where and how it was named."""

    mention: Mention
    sentence: int
    subject: bool  # named with no preposition before it


_KINDS = {
    "startup": (Company.Kind.AI_LAB,),
    "round": (Company.Kind.AI_LAB,),
    "chipmaker": (Company.Kind.CHIPMAKER,),
    "cloud": (Company.Kind.CLOUD_PROVIDER,),
}


def resolve_references(sentence: Sentence, history: list[Named]) -> Sentence:
    """The sentence with each anaphor that can be resolved replaced by what it stands for."""
    mentions: list[Mention] = []
    taken: set[str] = set()  # what this sentence's anaphors already stand for
    for mention in sentence.mentions:
        if mention.kind != "anaphor":
            mentions.append(mention)
            continue
        clause = clause_of(sentence, mention.start)
        here = {
            m.key
            for m in sentence.mentions
            if m.is_organisation and clause_of(sentence, m.start) == clause
        }
        earlier = history + [
            Named(m, sentence.index, False)
            for m in mentions
            if m.is_organisation and m.start < mention.start and not m.anaphor
        ]
        candidates = [n for n in earlier if n.mention.key not in here | taken]
        found = _antecedent(mention.hint, candidates, earlier)
        if found is None:
            mentions.append(mention)
            continue
        taken.add(found.key)
        mentions.append(
            replace(
                found,
                start=mention.start,
                end=mention.end,
                prefix=mention.prefix,
                coordinated=mention.coordinated,
                anaphor=mention.text,
            )
        )
    return replace(sentence, mentions=mentions)


def implied_subject(sentence: Sentence, history: list[Named]) -> Mention | None:
    """The subject of the latest earlier sentence, for a sentence that names none of its own
    ("OpenAI keeps adding suppliers. The newest is a $10 billion contract with Cerebras")."""
    if any(not r.slot and r.mention.is_organisation for r in roles_of(sentence)):
        return None
    earlier = [n for n in history if n.subject and n.sentence < sentence.index]
    return _latest(earlier)


def _antecedent(hint: str, candidates: list[Named], earlier: list[Named]) -> Mention | None:
    if hint in ("former", "latter"):
        pair = _latest_pair(earlier)
        if pair is None:
            return _latest(candidates) if hint == "latter" else None
        return pair[0] if hint == "former" else pair[1]
    if hint.startswith("owner:"):
        spellings = OWNER_SPELLINGS[hint.removeprefix("owner:")]
        return _latest([n for n in candidates if _spelled(n.mention) & spellings])
    if hint == "company":
        subjects = [n for n in candidates if n.subject]
        return _main_subject(subjects) or _latest(candidates)
    of_kind = [n for n in candidates if _kind(n.mention) in _KINDS.get(hint, ())]
    unknown = [n for n in candidates if n.mention.company is None]
    return _latest(of_kind) or _latest([n for n in unknown if n.subject]) or _latest(unknown)


def _latest_pair(earlier: list[Named]) -> tuple[Mention, Mention] | None:
    """The latest two organisations named together ("X وY", "X and Y"), else the first two
    different ones of the latest sentence that named two."""
    for index in sorted({n.sentence for n in earlier}, reverse=True):
        named = [n.mention for n in earlier if n.sentence == index]
        pairs = [
            (a, b)
            for a, b in zip(named, named[1:], strict=False)
            if b.coordinated and a.key != b.key
        ]
        if pairs:
            return pairs[-1]
    for index in sorted({n.sentence for n in earlier}, reverse=True):
        named = list({n.mention.key: n.mention for n in earlier if n.sentence == index}.values())
        if len(named) >= 2:
            return named[0], named[1]
    return None


def _spelled(mention: Mention) -> set[str]:
    """A known company's slug, and the name as written, folded without spaces."""
    return {mention.key, re.sub(r"\s+", "", fold(mention.text))}


def _main_subject(subjects: list[Named]) -> Mention | None:
    """The first subject of the latest sentence that had one: a sentence names its main
    subject first ("عقود «كور ويف» مع ميتا وأوبن إيه آي")."""
    if not subjects:
        return None
    latest = subjects[-1].sentence
    return next(n.mention for n in subjects if n.sentence == latest)


def _latest(named: list[Named]) -> Mention | None:
    return named[-1].mention if named else None


def _kind(mention: Mention) -> str:
    if mention.company is None:
        return ""
    if mention.kind == "cloud":
        return Company.Kind.CLOUD_PROVIDER
    return mention.company.kind
