"""Reads for the timeline, each in a fixed number of queries whatever the data.

The timeline reads its page of deals lightly (`deal_timeline`) and loads what the cards show
only for the cards its page has not cached (`timeline_cards`). No words here: the templates
put dates, headings and roles into words (deals.templatetags.figures).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet

from companies.models import ChipPlatform, CloudPlatform, Company
from deals.models import DatePrecision, Deal

from .keyset import InvalidCursor, decode_cursor, encode_cursor, newest_first

__all__ = [
    "InvalidCursor",
    "MonthGroup",
    "count_deals",
    "TimelinePage",
    "deal_timeline",
    "encode_cursor",
    "filter_choices",
    "sources_disagree",
    "timeline_cards",
    "top_companies",
    "with_citation_facts",
]

TIMELINE_PAGE_SIZE = 50


def _figure(amount, qualifier) -> tuple:
    return (amount, qualifier) if amount is not None else None


def sources_disagree(citations) -> bool:
    """True when two citations report a different amount or power for the same deal."""
    amounts = {
        _figure(c.reported_amount_usd, c.reported_amount_qualifier)
        for c in citations
        if c.reported_amount_usd is not None
    }
    powers = {
        _figure(c.reported_power_gw, c.reported_power_qualifier)
        for c in citations
        if c.reported_power_gw is not None
    }
    return len(amounts) > 1 or len(powers) > 1


def _same_period(published: datetime.date | None, day: datetime.date, precision: str) -> bool:
    if published is None:
        return False
    if precision == DatePrecision.YEAR:
        return published.year == day.year
    if precision == DatePrecision.QUARTER:
        return (published.year, (published.month - 1) // 3) == (day.year, (day.month - 1) // 3)
    if precision == DatePrecision.MONTH:
        return (published.year, published.month) == (day.year, day.month)
    return published == day


def with_citation_facts(deal: Deal) -> Deal:
    """Attach what its sources say, from the already-loaded citations (no queries): the first
    (`supporting_citation`), whether they disagree, and those that report a figure.

    Also where a fact comes from an outside reference rather than a cited article, so that
    the page can say "per the reference": `date_reference` (the deal's reference URL when no
    cited article was published on its date) and, when the status history is loaded,
    `status_reference` (the reference of the latest status change when no article backs it).
    """
    citations = list(deal.citations.all())
    deal.supporting_citation = citations[0] if citations else None
    deal.sources_disagree = sources_disagree(citations)
    deal.reporting_citations = [
        c for c in citations if c.reported_amount_usd is not None or c.reported_power_gw is not None
    ]
    deal.date_reference = ""
    if deal.reference_url and deal.announced_on is not None:
        on_the_day = any(
            _same_period(c.article.published_on, deal.announced_on, deal.date_precision)
            for c in citations
        )
        deal.date_reference = "" if on_the_day else deal.reference_url
    deal.status_reference = ""
    if "status_history" in getattr(deal, "_prefetched_objects_cache", {}):
        changes = [change for change in deal.status_history.all() if change.status == deal.status]
        latest = changes[-1] if changes else None
        if latest is not None and latest.article_id is None and latest.reference_url:
            deal.status_reference = latest.reference_url
    return deal


# -- timeline ---------------------------------------------------------------------------------

# What the timeline needs to order, page and group deals. What a card shows is loaded apart
# (`timeline_cards`), and only for the cards the cache does not already hold.
TIMELINE_FIELDS = ("id", "slug", "announced_on", "date_precision")


def timeline_cards(pks) -> dict[int, Deal]:
    """The deals with `pks` and everything their timeline cards show, by pk. Five queries
    (with the tranches: a deal paid in parts is dated by their span and lists them; and the
    status history: a status that only a reference backs says so).

    A deal deleted since its pk was read is simply absent.
    """
    deals = (
        Deal.objects.filter(pk__in=pks).timeline().prefetch_related("tranches", "status_history")
    )
    return {deal.pk: with_citation_facts(deal) for deal in deals}


def _period(deal: Deal) -> tuple | None:
    """The timeline group of a deal: its month, or its quarter or year when that is all the
    sources give; None when undated."""
    day = deal.announced_on
    if day is None:
        return None
    if deal.date_precision == DatePrecision.YEAR:
        return (DatePrecision.YEAR, day.year)
    if deal.date_precision == DatePrecision.QUARTER:
        return (DatePrecision.QUARTER, day.year, (day.month - 1) // 3)
    return (DatePrecision.MONTH, day.year, day.month)


def _same_month(previous_day: datetime.date | None, deal: Deal) -> bool:
    if previous_day is None or deal.announced_on is None:
        return previous_day is None and deal.announced_on is None
    return deal.date_precision in (DatePrecision.DAY, DatePrecision.MONTH) and (
        (deal.announced_on.year, deal.announced_on.month) == (previous_day.year, previous_day.month)
    )


@dataclass
class MonthGroup:
    """Deals of one month (or quarter, or year, or of no known date), newest first.

    `day` and `precision` are its first deal's: the template heads the group with
    `{{ month.day|month_heading:month.precision }}`.
    """

    day: datetime.date | None
    precision: str
    deals: list[Deal] = field(default_factory=list)
    # True when the previous page ended in this month, so "load older" need not repeat it.
    continued: bool = False


@dataclass
class TimelinePage:
    months: list[MonthGroup]
    next_cursor: str | None
    is_first: bool

    @property
    def deals(self) -> list[Deal]:
        return [deal for month in self.months for deal in month.deals]


def deal_timeline(
    *,
    deals: QuerySet | list[QuerySet] | None = None,
    cursor: str | None = None,
    size: int = TIMELINE_PAGE_SIZE,
) -> TimelinePage:
    """One page of the timeline, newest first, grouped by month; keyset-paginated, no COUNT.

    `deals` is the (filtered) queryset to show, or a list of disjoint querysets to show
    together (`DealFilter.split_by_side()`); `cursor` comes from the previous page's
    `next_cursor`. Raises InvalidCursor for a cursor that cannot be read. The deals carry
    only TIMELINE_FIELDS: `timeline_cards` loads what their cards show.
    """
    deals = Deal.objects.all() if deals is None else deals
    parts = deals if isinstance(deals, list) else [deals]
    previous_day = decode_cursor(cursor)[0] if cursor else None
    rows = newest_first(parts, cursor=cursor, limit=size + 1, fields=TIMELINE_FIELDS)
    shown = rows[:size]
    months: list[MonthGroup] = []
    for deal in shown:
        if not months or _period(months[-1].deals[0]) != _period(deal):
            months.append(MonthGroup(deal.announced_on, deal.date_precision))
        months[-1].deals.append(deal)
    if months and cursor:
        months[0].continued = _same_month(previous_day, months[0].deals[0])
    return TimelinePage(
        months=months,
        next_cursor=encode_cursor(shown[-1]) if len(rows) > size else None,
        is_first=not cursor,
    )


def count_deals(*, deals: QuerySet | list[QuerySet], limit: int) -> int:
    """How many deals `deals` (one queryset, or disjoint ones) holds, counting no further than
    `limit` + 1: one bounded COUNT per queryset, which reads at most that many index entries."""
    parts = deals if isinstance(deals, list) else [deals]
    return min(sum(part.order_by()[: limit + 1].count() for part in parts), limit + 1)


# -- the filter form's choices ----------------------------------------------------------------

RECENT_DEALS_FOR_SUGGESTIONS = 3000

_TOP_COMPANIES_SQL = """
WITH recent AS (
    SELECT payer_id, payee_id FROM deals_deal
    WHERE announced_on IS NOT NULL ORDER BY announced_on DESC, id DESC LIMIT %s
), sides AS (
    SELECT payer_id AS company_id FROM recent UNION ALL SELECT payee_id FROM recent
), ranked AS (
    SELECT company_id, COUNT(*) AS deals FROM sides
    GROUP BY company_id ORDER BY deals DESC, company_id LIMIT %s
)
SELECT companies_company.* FROM companies_company
JOIN ranked ON ranked.company_id = companies_company.id
ORDER BY ranked.deals DESC, companies_company.id
"""


def top_companies(*, limit: int = 30) -> list[Company]:
    """The companies in the most of the latest deals: the company filter's suggestions.

    One query, read from the latest few thousand deals through the timeline index, so it
    stays cheap at any size (an all-time count would read every deal).
    """
    return list(Company.objects.raw(_TOP_COMPANIES_SQL, [RECENT_DEALS_FOR_SUGGESTIONS, limit]))


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The clouds and chips the filter form offers, as (id, name in the active language):
    one query each."""
    return {
        "cloud": [(p.slug, str(p)) for p in CloudPlatform.objects.all()],
        "chip": [(p.slug, str(p)) for p in ChipPlatform.objects.all()],
    }
