"""What the extractor proposes, and its one stored shape.

A `DraftDeal` is written to JSON by `to_stored()` and read back by `from_stored()`: the
article assistant keeps that dict as `DealDraft.proposal` and its review page reads it back,
so a draft keeps one shape from the rules to the editor's form. `Extraction.as_json()` is
what `manage.py extract_deals` prints (docs/extraction.md), derived from the stored shape.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from companies.models import Company
from deals.models import DatePrecision, Qualifier

from .why import read_reason, stored_reason


@dataclass
class Quote:
    """A sentence exactly as the article writes it: article[start:end] == text."""

    text: str
    start: int
    end: int

    def to_stored(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end}

    @classmethod
    def from_stored(cls, stored: dict | str) -> "Quote":
        if isinstance(stored, str):  # proposals stored before quotes kept their offsets
            return cls(stored, -1, -1)
        return cls(stored["text"], stored["start"], stored["end"])


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
    # Why the rules proposed it: each cue read and each reference resolved, for the editor
    # (`why.Reason`s; a plain string where a person or an older proposal wrote it).
    why: list = field(default_factory=list)
    # The date the article gives for the deal (the first of the month for a month).
    announced_on: date | None = None
    date_precision: str = DatePrecision.DAY

    @property
    def payer_key(self) -> str:
        return self.payer.slug if self.payer else self.payer_name

    @property
    def payee_key(self) -> str:
        return self.payee.slug if self.payee else self.payee_name

    def to_stored(self) -> dict:
        """JSON: companies by slug (None when unknown) beside the article's spelling, figures
        as strings so that no digit is lost to a float."""
        return {
            "type": str(self.type),
            "payer": self.payer.slug if self.payer else None,
            "payer_name": self.payer_name,
            "payee": self.payee.slug if self.payee else None,
            "payee_name": self.payee_name,
            "amount_usd": _text(self.amount_usd),
            "amount_qualifier": str(self.amount_qualifier),
            "power_gw": _text(self.power_gw),
            "power_qualifier": str(self.power_qualifier),
            "term_years": self.term_years,
            "status": str(self.status),
            "chips": list(self.chips),
            "cloud": self.cloud,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "supporting": [quote.to_stored() for quote in self.supporting],
            "is_new": self.is_new,
            "sentence_index": self.sentence_index,
            "why": [stored_reason(reason) for reason in self.why],
            "announced_on": self.announced_on.isoformat() if self.announced_on else None,
            "date_precision": str(self.date_precision),
        }

    @classmethod
    def from_stored(cls, stored: dict, *, companies: Mapping[str, Company]) -> "DraftDeal":
        """The draft `to_stored()` wrote, its parties looked up by slug in `companies` (a
        party no longer there keeps only its spelling)."""
        return cls(
            type=stored["type"],
            payer=companies.get(stored.get("payer")),
            payer_name=stored.get("payer_name", ""),
            payee=companies.get(stored.get("payee")),
            payee_name=stored.get("payee_name", ""),
            amount_usd=_decimal(stored.get("amount_usd")),
            amount_qualifier=stored.get("amount_qualifier", Qualifier.UNDISCLOSED),
            status=stored.get("status", "announced"),
            quote=stored.get("quote", ""),
            start=stored.get("start", -1),
            end=stored.get("end", -1),
            power_gw=_decimal(stored.get("power_gw")),
            power_qualifier=stored.get("power_qualifier", Qualifier.UNDISCLOSED),
            term_years=stored.get("term_years"),
            chips=list(stored.get("chips", [])),
            cloud=stored.get("cloud"),
            supporting=[Quote.from_stored(q) for q in stored.get("supporting", [])],
            is_new=stored.get("is_new", False),
            sentence_index=stored.get("sentence_index", -1),
            why=[read_reason(reason) for reason in stored.get("why", [])],
            announced_on=_date(stored.get("announced_on")),
            date_precision=stored.get("date_precision", DatePrecision.DAY),
        )


@dataclass
class DraftCompany:
    """An organisation the article names that no company or alias knows yet."""

    name: str
    quote: str
    start: int
    end: int

    def to_stored(self) -> dict:
        return {"name": self.name, "quote": self.quote, "start": self.start, "end": self.end}

    @classmethod
    def from_stored(cls, stored: dict) -> "DraftCompany":
        return cls(stored["name"], stored["quote"], stored["start"], stored["end"])


@dataclass
class Extraction:
    text: str
    drafts: list[DraftDeal]
    new_companies: list[DraftCompany]
    companies: list[Company]  # known companies the article names, in order of first mention
    # What the editor should know about how these drafts were made (the model-backed
    # extractor's fallbacks and the drafts it dropped).
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        """What `extract_deals` prints: each stored draft with its parties as one id-or-name
        and its figures as JSON numbers; unknown names by themselves."""
        return {
            "drafts": [_printed(d.to_stored()) for d in self.drafts],
            "new_companies": [c.name for c in self.new_companies],
        }


def _printed(stored: dict) -> dict:
    amount = _number(stored["amount_usd"])
    return {
        "type": stored["type"],
        "from": stored["payer"] or stored["payer_name"],
        "to": stored["payee"] or stored["payee_name"],
        "amount_usd": amount,
        "amount_qualifier": (
            stored["amount_qualifier"] if amount is not None else str(Qualifier.UNDISCLOSED)
        ),
        "power_gw": _number(stored["power_gw"]),
        "term_years": stored["term_years"],
        "status": stored["status"],
        "chips": stored["chips"],
        "cloud": stored["cloud"],
        "quote": stored["quote"],
        "announced_on": stored["announced_on"],
        "date_precision": stored["date_precision"] if stored["announced_on"] else None,
    }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _decimal(value: str | None) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


def _number(value: str | None) -> int | float | None:
    amount = _decimal(value)
    if amount is None:
        return None
    return int(amount) if amount == amount.to_integral_value() else float(amount)
