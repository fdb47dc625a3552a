"""Why the rules proposed a draft, in words an editor can check against the sentence.

Kept with the draft (`DraftDeal.why`, in its stored shape) and shown on the review page: the
type and status cues read, the figure as written (and why a rate or a foreign currency gives
no dollar amount), and who was taken for payer and payee.
"""

from .cues import STATUS_CUES
from .entities import Mention
from .numbers import MoneyMention


def _status_reason(sentence) -> str:
    for status, pattern in STATUS_CUES:
        match = pattern.search(sentence.folded.text)
        if match:
            cue = sentence.folded.source(*match.span()).strip()
            return f"Status “{status}”, from “{cue}”."
    return "Status “announced”: no other status word in the sentence."


def _figure_reason(sentence, figure: MoneyMention | None) -> str:
    if figure is None:
        return "No figure in the sentence: the amount is undisclosed."
    written = sentence.folded.source(figure.start, figure.end).strip()
    if figure.currency:
        return (
            f"“{written}” is not in dollars and the article states no exchange rate: "
            "the amount is left undisclosed; enter it only at a stated rate."
        )
    if figure.rate:
        return (
            f"“{figure.rate.strip()}” is a rate per year, not the deal's total: the total is "
            "left undisclosed unless the article gives it."
        )
    if figure.amount_usd is None:
        return f"“{written}” gives no exact figure: the amount is undisclosed."
    return f"Amount read from “{written}”."


def _party(mention: Mention, sentence) -> str:
    inside = sentence.folded.source(mention.start, mention.end) == mention.text
    named = mention.text if inside else f"{mention.text} (named in an earlier sentence)"
    return named


def explain(sentence, figure, payer: Mention, payee: Mention, deal_type: str) -> list[str]:
    return [
        f"Sentence {sentence.index + 1}; type “{deal_type}” from its cue words.",
        _figure_reason(sentence, figure),
        _status_reason(sentence),
        f"Payer: {_party(payer, sentence)}; payee: {_party(payee, sentence)}.",
    ]
