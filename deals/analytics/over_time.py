"""Deal flow over time: money and power per month or quarter, each figure at its own precision.

What reaches Python is a few GROUP BY rows (month × type × status × qualifier × date precision),
never the deals themselves, so a million deals cost what a thousand do. Three rules keep the
figures honest:

- **A date is as precise as its sources.** A deal known only to its quarter covers the whole
  quarter (a *slot* from its first to its last day), never the first day it is stored on; a
  deal known to the year covers the year. Slots coarser than the chart's step are drawn as
  spans, never split into invented monthly parts.
- **A deal paid in tranches is drawn at its tranches** (each at its own date, precision and
  qualifier), so the running total climbs when the money was paid, not when it was announced.
- **Sums are `deals.totals.Total`s**: qualifiers, standings and undisclosed amounts are kept,
  and investments, compute and chips are never added together (one dollar invested and then
  spent on compute would count twice). Undated deals are counted in a slot of their own.
  Cancelled deals are in no sum.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pandas as pd
from django.db.models import CharField, Count, Exists, F, Func, OuterRef, Prefetch, Sum

from deals.models import DatePrecision, Deal, DealCitation, DealTranche, DealType
from deals.totals import MONEY, POWER, Total

MONTH = "month"
QUARTER = "quarter"
# A span of dates up to two years is drawn month by month; a longer one quarter by quarter.
MONTHS_DRAWN_MONTHLY = 24
STEP_MONTHS = {MONTH: 1, QUARTER: 3}
PRECISION_MONTHS = {
    DatePrecision.DAY: 1,
    DatePrecision.MONTH: 1,
    DatePrecision.QUARTER: 3,
    DatePrecision.YEAR: 12,
}
# Deals drawn one by one on the visual timeline: the largest stated amounts first.
DRAWN_DEALS = 300
COLUMNS = ["month", "deal_type", "status", "qualifier", "precision", "amount", "count"]


@dataclass(frozen=True, order=True)
class Slot:
    """The stretch of time some figures cover: [start, end), or no date at all (None)."""

    start: datetime.date | None
    end: datetime.date | None

    @property
    def months(self) -> int:
        if self.start is None:
            return 0
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month


UNDATED = Slot(None, None)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def slot_of(day: datetime.date | None, precision: str, step: str) -> Slot:
    """The slot a figure dated `day` at `precision` covers on a chart of `step`: its own
    period, or the step's when that is coarser (a day falls in its month or quarter)."""
    if day is None or pd.isna(day):
        return UNDATED
    months = max(PRECISION_MONTHS.get(precision, 1), STEP_MONTHS[step])
    first = (day.month - 1) // months * months
    start = datetime.date(day.year, first + 1, 1)
    return Slot(start, add_months(start, months))


@dataclass
class Flow:
    """What the flow charts draw: per deal type and slot, the money; per slot, the power of the
    compute commitments; the step, and the starts of every step from the first to the last."""

    step: str
    money: dict[str, dict[Slot, Total]] = field(default_factory=dict)
    power: dict[Slot, Total] = field(default_factory=dict)
    steps: list[datetime.date] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.money and not self.power

    def type_total(self, deal_type: str, unit: str = MONEY) -> Total:
        """Everything of one type (power: the compute commitments), every slot added."""
        slots = self.power if unit == POWER else self.money.get(deal_type, {})
        return sum(slots.values(), Total(unit))


class MonthOf(Func):
    """A date's month as text, "2025-11": native on both databases. (Django's TruncMonth runs
    a Python function per row on SQLite: seconds at a hundred thousand deals.)"""

    function = "TO_CHAR"
    template = "%(function)s(%(expressions)s, 'YYYY-MM')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="substr(%(expressions)s, 1, 7)", **extra)


def _month(text) -> datetime.date | None:
    """ "2025-11" as 1 November 2025; no date (None, or pandas' NaN for it) as None."""
    if not isinstance(text, str):
        return None
    return datetime.date(int(text[:4]), int(text[5:7]), 1)


def _tranched() -> Exists:
    return Exists(DealTranche.objects.filter(deal=OuterRef("pk")))


def _rows(queryset, amount: str, **names) -> pd.DataFrame:
    """A GROUP BY of `queryset` into the COLUMNS, from the expressions `names` gives them
    (aliased apart from the model's own field names) and the sum of the field `amount`."""
    aliased = {f"group_{column}": names[column] for column in COLUMNS[:-2]}
    grouped = (
        queryset.order_by()
        .values(**aliased)
        .annotate(group_amount=Sum(amount), group_count=Count("pk"))
        .values_list(*aliased, "group_amount", "group_count")
    )
    frame = pd.DataFrame.from_records(list(grouped), columns=COLUMNS)
    frame["month"] = [_month(text) for text in frame["month"]]
    return frame


def flow_rows(deals) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The money rows (deals without tranches, and the tranches of the others) and the power
    rows of the compute commitments, each grouped by month, type, status, qualifier and
    precision. Three queries."""
    live = Deal.objects.filter(pk__in=deals.live().values("pk"))
    month = MonthOf("announced_on")
    common = {"month": month, "deal_type": F("deal_type"), "status": F("status")}
    whole = _rows(
        live.exclude(_tranched()),
        "amount_usd",
        **common,
        qualifier=F("amount_qualifier"),
        precision=F("date_precision"),
    )
    parts = _rows(
        DealTranche.objects.filter(deal__in=live.values("pk")),
        "amount_usd",
        month=MonthOf("paid_on"),
        deal_type=F("deal__deal_type"),
        status=F("deal__status"),
        qualifier=F("amount_qualifier"),
        precision=F("date_precision"),
    )
    power = _rows(
        live.filter(deal_type=DealType.COMPUTE_COMMITMENT),
        "power_gw",
        **common,
        qualifier=F("power_qualifier"),
        precision=F("date_precision"),
    )
    return pd.concat([whole, parts], ignore_index=True), power


def choose_step(frames: list[pd.DataFrame]) -> str:
    """Months for a span up to two years, quarters beyond."""
    months = pd.concat([frame["month"] for frame in frames]).dropna()
    if months.empty:
        return QUARTER
    first, last = min(months), max(months)
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    return MONTH if span <= MONTHS_DRAWN_MONTHLY else QUARTER


def _totals(frame: pd.DataFrame, step: str, unit: str) -> dict[tuple[str, Slot], Total]:
    """The rows added up per deal type and slot: one `Total.from_rows` per group."""
    groups: dict[tuple[str, Slot], list[tuple]] = {}
    for month, deal_type, status, qualifier, precision, amount, count in frame.itertuples(
        index=False
    ):
        key = (deal_type, slot_of(month, precision, step))
        amount = None if pd.isna(amount) else amount
        groups.setdefault(key, []).append((qualifier, status, amount, count))
    totals = {key: Total.from_rows(rows, unit) for key, rows in groups.items()}
    return {key: total for key, total in totals.items() if not total.is_empty}


def flow_over_time(deals) -> Flow:
    """The `Flow` of these (filtered) deals: three queries, whatever their number."""
    money_rows, power_rows = flow_rows(deals)
    step = choose_step([money_rows, power_rows])
    flow = Flow(step)
    for (deal_type, slot), total in sorted(
        _totals(money_rows, step, MONEY).items(), key=lambda item: _slot_order(item[0][1])
    ):
        flow.money.setdefault(deal_type, {})[slot] = total
    for (_deal_type, slot), total in sorted(
        _totals(power_rows, step, POWER).items(), key=lambda item: _slot_order(item[0][1])
    ):
        flow.power[slot] = total
    flow.money = {t: flow.money[t] for t in DealType.values if t in flow.money}
    flow.steps = _steps(flow, step)
    return flow


def _slot_order(slot: Slot) -> tuple:
    """Dated slots in time order (a wider one after the narrower ones it starts with), then
    the undated."""
    return (slot.start is None, slot.start or datetime.date.min, slot.months)


def _steps(flow: Flow, step: str) -> list[datetime.date]:
    slots = [s for by_slot in (*flow.money.values(), flow.power) for s in by_slot if s.start]
    if not slots:
        return []
    first, last = min(s.start for s in slots), max(s.end for s in slots)
    steps, day = [], first
    while day < last:
        steps.append(day)
        day = add_months(day, STEP_MONTHS[step])
    return steps


# -- the deals drawn one by one -------------------------------------------------------------


def timeline_deals(deals, limit: int = DRAWN_DEALS) -> list[Deal]:
    """The dated live deals drawn as marks, the largest stated amounts first (undisclosed ones
    after them), with their parties and sources. Three queries."""
    live = Deal.objects.filter(pk__in=deals.live().values("pk"))
    return list(
        live.filter(announced_on__isnull=False)
        .select_related("payer", "payee")
        .prefetch_related(
            Prefetch(
                "citations",
                queryset=DealCitation.objects.select_related("article").defer("article__body"),
            )
        )
        .order_by(F("amount_usd").desc(nulls_last=True), "-announced_on", "pk")[:limit]
    )
