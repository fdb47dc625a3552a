"""Why the rules proposed a draft, in words an editor can check against the sentence.

Kept with the draft (`DraftDeal.why`, in its stored shape) and shown on the review page: the
type and status cues read, the figure as written (and why a rate or a foreign currency gives
no dollar amount), who was taken for payer and payee (and which anaphor stood for whom), and
the date read.

A reason is stored as its English message and the words it quotes, not as a sentence, so that
the review page shows it in the editor's language (`render`): the same draft reads in English
or in Arabic. Reasons stored as plain text (written by an editor, or before reasons were
stored this way) are shown as they are.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext, gettext_noop

from deals.models import DatePrecision, DealStatus, DealType

from .cues import STATUS_CUES
from .entities import Mention
from .numbers import MoneyMention


@dataclass(frozen=True)
class Reason:
    """One reason: a message (a msgid with %(name)s places) and what fills its places.
    The places named `status`, `type` and `precision` hold choice values, shown translated."""

    message: str
    params: dict = field(default_factory=dict)


_CHOICES = {"status": DealStatus, "type": DealType, "precision": DatePrecision}


def stored_reason(reason: Reason | str) -> dict | str:
    if isinstance(reason, str):
        return reason
    return {"message": reason.message, "params": dict(reason.params)}


def read_reason(stored: dict | str) -> Reason | str:
    """A reason as `stored_reason` wrote it."""
    if isinstance(stored, str):
        return stored
    return Reason(stored["message"], dict(stored.get("params", {})))


def render(stored: dict | str) -> str:
    """A stored reason in the active language."""
    if isinstance(stored, str):
        return stored
    params = dict(stored.get("params", {}))
    for name, choices in _CHOICES.items():
        if name in params and params[name] in choices.values:
            params[name] = str(choices(params[name]).label)
    return gettext(stored["message"]) % params


def rendered(why: list) -> list[str]:
    return [render(reason) for reason in why]


def _status_reason(sentence) -> Reason:
    for status, pattern in STATUS_CUES:
        match = pattern.search(sentence.folded.text)
        if match:
            cue = sentence.folded.source(*match.span()).strip()
            return Reason(
                gettext_noop("Status “%(status)s”, from “%(cue)s”."),
                {"status": str(status), "cue": cue},
            )
    return Reason(
        gettext_noop("Status “%(status)s”: no other status word in the sentence."),
        {"status": str(DealStatus.ANNOUNCED)},
    )


def _figure_reason(sentence, figure: MoneyMention | None) -> Reason:
    if figure is None:
        return Reason(gettext_noop("No figure in the sentence: the amount is undisclosed."))
    written = sentence.folded.source(figure.start, figure.end).strip()
    if figure.currency:
        return Reason(
            gettext_noop(
                "“%(figure)s” is not in dollars and the article states no exchange rate: "
                "the amount is left undisclosed; enter it only at a stated rate."
            ),
            {"figure": written},
        )
    if figure.rate:
        return Reason(
            gettext_noop(
                "“%(figure)s” is a rate per year, not the deal's total: the total is "
                "left undisclosed unless the article gives it."
            ),
            {"figure": figure.rate.strip()},
        )
    if figure.written_range:
        return Reason(
            gettext_noop(
                "“%(figure)s” is a range: the amount is “up to” its high end; the editor "
                "can note the low end."
            ),
            {"figure": figure.written_range.strip()},
        )
    if figure.amount_usd is None:
        return Reason(
            gettext_noop("“%(figure)s” gives no exact figure: the amount is undisclosed."),
            {"figure": written},
        )
    return Reason(gettext_noop("Amount read from “%(figure)s”."), {"figure": written})


def _party_reasons(payer: Mention, payee: Mention, sentence) -> list[Reason]:
    reasons = [
        Reason(
            gettext_noop("Payer: %(payer)s; payee: %(payee)s."),
            {"payer": payer.text, "payee": payee.text},
        )
    ]
    for mention in (payer, payee):
        if mention.anaphor:
            reasons.append(
                Reason(
                    gettext_noop("“%(anaphor)s” read as %(name)s, named before it."),
                    {"anaphor": mention.anaphor, "name": mention.text},
                )
            )
        elif sentence.folded.source(mention.start, mention.end) != mention.text:
            reasons.append(
                Reason(
                    gettext_noop("%(name)s is named in an earlier clause or sentence."),
                    {"name": mention.text},
                )
            )
    return reasons


def explain(sentence, figure, payer: Mention, payee: Mention, deal_type: str) -> list[Reason]:
    return [
        Reason(
            gettext_noop("Sentence %(number)s; type “%(type)s” from its cue words."),
            {"number": sentence.index + 1, "type": str(deal_type)},
        ),
        _figure_reason(sentence, figure),
        _status_reason(sentence),
        *_party_reasons(payer, payee, sentence),
    ]


def date_reason(written: str, precision: str) -> Reason:
    return Reason(
        gettext_noop("Date read from “%(date)s” (to the %(precision)s)."),
        {"date": written, "precision": str(precision)},
    )
