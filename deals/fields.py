"""A deal's fields as the outside world sees them, declared once.

Each `DealField` names a `Deal` attribute, the name the export and import use for it (the keys
of docs/export.schema.json, e.g. `payer` is `from`, holding the company's id), what kind of
value it holds (which says how the export writes it and how the change history words it), and
its place in the change history. The export's deal entry and CSV columns, the import of a deal
entry and the history's list of fields all derive from `DEAL_FIELDS`, so a field added here
reaches all three.

Only the deal's own fields are here: its nested lists (tranches, sources, status history) are
records of other models, exported as lists of their own.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cached_property

from django.db import models
from django.utils.formats import date_format

from deals.formatting import format_power, full_amount, money_words
from deals.models import Deal, Qualifier
from dealwatch.language import reader_is_arabic


class Kind(StrEnum):
    TEXT = "text"  # a string, "" when empty
    CHOICE = "choice"  # one of the model field's choices
    MONEY = "money"  # Decimal US dollars, or None
    POWER = "power"  # Decimal gigawatts, or None
    YEARS = "years"  # a whole number, or None
    DATE = "date"  # datetime.date, or None
    REFERENCE = "reference"  # another record, known outside by its slug
    REFERENCES = "references"  # several records (many-to-many), known by their sorted slugs


@dataclass(frozen=True)
class DealField:
    attribute: str
    """The `Deal` attribute (`payer`, `chip_platforms`)."""
    name: str
    """Its name in the export and the import: JSON key and CSV column (`from`)."""
    kind: Kind
    history: int | None = None
    """Its position in the change history's list (figures first), or None: not listed."""

    @cached_property
    def model_field(self) -> models.Field:
        return Deal._meta.get_field(self.attribute)

    @property
    def column(self) -> str:
        """The database column's attribute (`payer_id` for `payer`), for bulk writers."""
        return self.model_field.attname

    @property
    def related_model(self) -> type[models.Model] | None:
        return self.model_field.related_model

    @property
    def row_field(self) -> str:
        """The name the export reads this field under from `values_list` rows."""
        if self.kind is Kind.REFERENCE:
            return f"{self.attribute}__slug"
        if self.kind is Kind.REFERENCES:
            return f"{self.attribute}_slugs"  # an annotation: the slugs joined in SQL
        return self.attribute

    @property
    def label(self) -> str:
        """What the change history calls it: the model field's verbose name."""
        return str(self.model_field.verbose_name)

    def worded(self, value) -> str:
        """The value as the change history shows it, in the reader's language; "—" if empty.

        `value` is what the attribute holds: the related record for a reference.
        """
        if value is None or value == "":
            return "—"
        if self.kind is Kind.REFERENCE:
            return getattr(value, "display_name", None) or str(value)
        if self.kind is Kind.CHOICE:
            return str(dict(self.model_field.flatchoices).get(value, value))
        if self.kind is Kind.DATE:
            return date_format(value, "DATE_FORMAT")
        if self.kind is Kind.MONEY:
            return _exact_money(value)
        if self.kind is Kind.POWER:
            return format_power(value, Qualifier.EXACT)
        return str(value)


def _exact_money(amount: Decimal) -> str:
    # The history is an audit trail, so English keeps every digit ("$8,000,000,000"); Arabic
    # reads the amount in words ("8 مليارات دولار"), as the rest of the Arabic deal page does.
    return money_words(amount) if reader_is_arabic() else full_amount(amount)


# In the export's order (docs/export.md, "deal"); `history` orders the change history.
DEAL_FIELDS: tuple[DealField, ...] = (
    DealField("slug", "id", Kind.TEXT, history=18),
    DealField("deal_type", "type", Kind.CHOICE, history=10),
    DealField("payer", "from", Kind.REFERENCE, history=11),
    DealField("payee", "to", Kind.REFERENCE, history=12),
    DealField("cloud", "cloud", Kind.REFERENCE, history=13),
    DealField("amount_usd", "amount_usd", Kind.MONEY, history=0),
    DealField("amount_qualifier", "amount_qualifier", Kind.CHOICE, history=1),
    DealField("status", "status", Kind.CHOICE, history=5),
    DealField("announced_on", "announced_on", Kind.DATE, history=6),
    DealField("date_precision", "date_precision", Kind.CHOICE, history=7),
    DealField("starts_on", "starts_on", Kind.DATE, history=8),
    DealField("ends_on", "ends_on", Kind.DATE, history=9),
    DealField("term_years", "term_years", Kind.YEARS, history=4),
    DealField("power_gw", "power_gw", Kind.POWER, history=2),
    DealField("power_qualifier", "power_qualifier", Kind.CHOICE, history=3),
    DealField("chip_platforms", "chip_platforms", Kind.REFERENCES),
    DealField("data_center", "data_center", Kind.REFERENCE, history=14),
    DealField("summary", "summary", Kind.TEXT, history=15),
    DealField("summary_ar", "summary_ar", Kind.TEXT, history=16),
    DealField("reference_url", "reference_url", Kind.TEXT, history=17),
)

# The fields the change history lists, in its order.
HISTORY_FIELDS: tuple[DealField, ...] = tuple(
    sorted((f for f in DEAL_FIELDS if f.history is not None), key=lambda f: f.history)
)

# Fields stored on the deal's own row (every field but the many-to-many ones).
ROW_FIELDS: tuple[DealField, ...] = tuple(f for f in DEAL_FIELDS if f.kind is not Kind.REFERENCES)


def field_named(name: str) -> DealField:
    """The field whose export name is `name` ("from" → the `payer` field)."""
    return _BY_NAME[name]


_BY_NAME = {f.name: f for f in DEAL_FIELDS}

__all__ = [
    "DEAL_FIELDS",
    "HISTORY_FIELDS",
    "ROW_FIELDS",
    "DealField",
    "Kind",
    "field_named",
]
