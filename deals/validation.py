"""What the production database (PostgreSQL) refuses, refused first by model validation, so that
SQLite (the default database) never accepts a value that PostgreSQL would not.

Every write validates with the models' `full_clean()`: the admin's forms, the services, the
article assistant and `import_deals`. These validators sit on the model fields, so each of those
writers refuses the same values with a message that names the field:

- NUL characters and lone surrogates in any text, JSON included: `storable_text` (defined in
  `companies.models`, the app every other one builds on, and used by both apps' models);
- integers beyond what the column holds: SQLite keeps 64 bits in any integer column, PostgreSQL
  refuses more than a smallint's 32,767 in `term_years`, so the term has a sane maximum;
- amounts of 16 digits or more: SQLite keeps a decimal as a floating-point number, exact to 15
  significant digits, and reading a larger one back fails (PostgreSQL's numeric holds it);
- article bodies over `MAX_ARTICLE_BYTES`: the one size limit of an article, whether pasted or
  uploaded to the assistant, imported or typed into the admin.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from companies.models import storable_text

__all__ = [
    "MAX_AMOUNT_USD",
    "MAX_ARTICLE_BYTES",
    "MAX_TERM_YEARS",
    "amount_not_negative",
    "amount_range",
    "article_body_size",
    "power_not_negative",
    "storable_text",
    "term_years_range",
]

# 1 MB of UTF-8: ten times the longest article of the seed and the synthetic data; a 49 MB body
# took 860 MB of memory to import and made a 51 MB article page.
MAX_ARTICLE_BYTES = 1_000_000

# Under $10 trillion, with cents: 15 significant digits, what both databases give back exactly
# (the largest deal recorded is a few hundred billion).
MAX_AMOUNT_USD = Decimal("9999999999999.99")
amount_range = MaxValueValidator(MAX_AMOUNT_USD)


# A negative figure gets one message that names it, not Django's "Ensure this value is greater
# than or equal to 0." beside the model's own words. Each deconstructs as the plain
# MinValueValidator(0) it replaces, so the migrations see no change.
@deconstructible(path="django.core.validators.MinValueValidator")
class AmountNotNegative(MinValueValidator):
    message = _("The amount cannot be negative.")


@deconstructible(path="django.core.validators.MinValueValidator")
class PowerNotNegative(MinValueValidator):
    message = _("The power cannot be negative.")


amount_not_negative = AmountNotNegative(Decimal(0))
power_not_negative = PowerNotNegative(Decimal(0))

# A compute commitment runs for years, not centuries; the review form offers the same range.
MAX_TERM_YEARS = 100
term_years_range = MaxValueValidator(MAX_TERM_YEARS)


def article_body_size(value: str) -> None:
    """An article's text is at most MAX_ARTICLE_BYTES once written as UTF-8."""
    size = len(value.encode("utf-8", "surrogatepass"))
    if size > MAX_ARTICLE_BYTES:
        raise ValidationError(
            _("The text is %(size)s bytes; articles over %(limit)s bytes (1 MB) are refused."),
            code="article_too_large",
            params={"size": f"{size:,}", "limit": f"{MAX_ARTICLE_BYTES:,}"},
        )
