"""What the synthetic data look like: sizes, proportions and the draws that produce them.

Every proportion the generator uses lives here, so a reader can compare the data set with the
real deals in one place.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

import numpy as np

from companies.models import ChipPlatform
from deals.models import DatePrecision, DealStatus, DealType, Qualifier

PREFIX = "syn-"
COMPANY_SLUG = "syn-co-{:05d}"
DEAL_SLUG = "syn-deal-{:07d}"
ARTICLE_SLUG = "syn-art-{:06d}"
CLOUD_SLUG = "syn-cloud-{:03d}"
CHIP_SLUG = "syn-chip-{:03d}"

# Deals are generated in chunks of this many, each from its own seed. It is fixed (not the
# write batch size) so that the data never depend on how they are written.
CHUNK = 10_000
MIN_COMPANIES = 10
MAX_COMPANIES = 200_000
MAX_DEALS = 50_000_000
DEFAULT_UNTIL = datetime.date(2025, 12, 31)
YEARS = 10

DEAL_TYPES = [DealType.INVESTMENT, DealType.COMPUTE_COMMITMENT, DealType.CHIP_SUPPLY]
DEAL_TYPE_P = [0.60, 0.35, 0.05]
STATUSES = [
    DealStatus.RUMORED,
    DealStatus.IN_TALKS,
    DealStatus.ANNOUNCED,
    DealStatus.SIGNED,
    DealStatus.COMPLETED,
    DealStatus.CANCELLED,
]
STATUS_P = [0.07, 0.08, 0.35, 0.20, 0.25, 0.05]
FIGURE_QUALIFIERS = [Qualifier.EXACT, Qualifier.ABOUT, Qualifier.UP_TO, Qualifier.MORE_THAN]
FIGURE_QUALIFIER_P = [0.55, 0.25, 0.12, 0.08]
UNDISCLOSED_SHARE = 0.10
PRECISIONS = [DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.QUARTER]
PRECISION_P = [0.85, 0.10, 0.05]
MIN_AMOUNT, MAX_AMOUNT = 1e6, 1e11
# Pareto tail index per deal type: smaller = heavier tail (compute deals are the big ones).
PARETO_ALPHA = {0: 0.45, 1: 0.30, 2: 0.40}
ZIPF_EXPONENT = 1.1
ARTICLE_DEALS = (10, 30)  # deals reported per generated article; 20 on average
ARABIC_ARTICLE_SHARE = 0.35
SECOND_SOURCE_SHARE = 0.10

CHIP_KINDS = [
    ChipPlatform.Kind.GPU,
    ChipPlatform.Kind.CUSTOM_ACCELERATOR,
    ChipPlatform.Kind.TPU,
    ChipPlatform.Kind.CPU,
]
CHIP_KIND_P = [0.6, 0.2, 0.1, 0.1]


def zipf_weights(n: int, exponent: float = ZIPF_EXPONENT) -> np.ndarray:
    return 1.0 / np.arange(1, n + 1, dtype=float) ** exponent


def truncated_pareto(rng: np.random.Generator, alpha: np.ndarray, size: int) -> np.ndarray:
    """Amounts in [MIN_AMOUNT, MAX_AMOUNT] whose tail falls as x^-alpha (inverse CDF)."""
    u = rng.random(size)
    ratio = (MIN_AMOUNT / MAX_AMOUNT) ** alpha
    return MIN_AMOUNT / (1.0 - u * (1.0 - ratio)) ** (1.0 / alpha)


def round_amount(x: float, mode: int) -> Decimal:
    """Press-style figures: mostly two or three significant digits, sometimes to the cent."""
    if mode == 2:
        return Decimal(f"{x:.2f}")
    digits = 2 if mode == 0 else 3
    exponent = int(np.floor(np.log10(x))) - digits + 1
    rounded = round(x / 10**exponent) * 10**exponent
    return Decimal(int(rounded)).quantize(Decimal("0.01"))


def first_of_period(day: datetime.date, precision: str) -> datetime.date:
    if precision == DatePrecision.MONTH:
        return day.replace(day=1)
    if precision == DatePrecision.QUARTER:
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day


def add_years(day: datetime.date, years: int) -> datetime.date:
    return day.replace(year=day.year + years, day=min(day.day, 28))


def pick(rng_value: float, cumulative: np.ndarray) -> int:
    return int(np.searchsorted(cumulative, rng_value, side="right"))


class Pool:
    """Companies eligible for a role: the k-th most prominent is chosen with weight 1/k^s."""

    def __init__(self, indexes: Iterable[int], rank: np.ndarray, damp: Iterable[int] = ()):
        self.indexes = np.array(sorted(indexes, key=lambda i: rank[i]), dtype=np.int64)
        w = zipf_weights(len(self.indexes))
        w[np.isin(self.indexes, list(damp))] *= 0.2  # e.g. subsidiaries sell less than parents
        self.p = w / w.sum()

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.choice(self.indexes, size=size, p=self.p)
