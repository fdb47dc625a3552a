"""Reads for the deal pages, each in a fixed number of queries whatever the data.

The timeline reads its page of deals lightly (`deal_timeline`) and loads what the cards show
only for the cards its view has not cached (`timeline_cards`).

Other helpers may add selectors at the end of this module.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from companies.models import Company

from .models import DatePrecision, Deal, DealCitation, DealStatusChange, DealType

TIMELINE_PAGE_SIZE = 50


def date_words(day: datetime.date | None, precision: str) -> str:
    """A date as precisely as the sources give it: "1 October 2025", "October 2025", "Q4 2025"."""
    if day is None:
        return _("date unknown")
    if precision == DatePrecision.YEAR:
        return str(day.year)
    if precision == DatePrecision.QUARTER:
        return _("Q%(quarter)s %(year)s") % {"quarter": (day.month - 1) // 3 + 1, "year": day.year}
    if precision == DatePrecision.MONTH:
        return date_format(day, "YEAR_MONTH_FORMAT")
    return date_format(day, "DATE_FORMAT")


def _month_heading(deal: Deal) -> str:
    """The timeline group of a deal: its month, or its quarter/year when that is all we know."""
    if deal.announced_on is None:
        return _("Date unknown")
    if deal.date_precision in (DatePrecision.YEAR, DatePrecision.QUARTER):
        return date_words(deal.announced_on, deal.date_precision)
    return date_format(deal.announced_on, "YEAR_MONTH_FORMAT")


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


def party_roles(deal_type: str) -> tuple[str, str]:
    """What the payer and payee are called in a deal of this type."""
    if deal_type == DealType.INVESTMENT:
        return _("investor"), _("investee")
    if deal_type == DealType.COMPUTE_COMMITMENT:
        return _("buyer"), _("provider")
    return _("buyer"), _("supplier")


def _decorate(deal: Deal) -> Deal:
    """Attach what the templates show, computed from already-loaded citations (no queries)."""
    citations = list(deal.citations.all())
    deal.payer_role, deal.payee_role = party_roles(deal.deal_type)
    deal.when = date_words(deal.announced_on, deal.date_precision)
    deal.supporting_citation = citations[0] if citations else None
    deal.sources_disagree = sources_disagree(citations)
    deal.reporting_citations = [
        c for c in citations if c.reported_amount_usd is not None or c.reported_power_gw is not None
    ]
    return deal


# -- timeline ---------------------------------------------------------------------------------


class InvalidCursor(ValueError):
    pass


def encode_cursor(deal: Deal) -> str:
    """Where the next page starts: the last shown deal's date and pk, e.g. "2025-10-01.42"."""
    day = deal.announced_on.isoformat() if deal.announced_on else "undated"
    return f"{day}.{deal.pk}"


def _decode_cursor(cursor: str) -> tuple[datetime.date | None, int]:
    try:
        day, pk = cursor.rsplit(".", 1)
        return (None if day == "undated" else datetime.date.fromisoformat(day)), int(pk)
    except ValueError as error:
        raise InvalidCursor(cursor) from error


def _timeline_key(deal: Deal) -> tuple:
    """Sorts like the timeline: dated before undated, newest first, then by pk descending."""
    dated = deal.announced_on is not None
    return (dated, deal.announced_on or datetime.date.min, deal.pk)


# What the timeline needs to order, page and group deals. What a card shows is loaded apart
# (`timeline_cards`), and only for the cards the cache does not already hold.
TIMELINE_FIELDS = ("id", "slug", "announced_on", "date_precision")


def _timeline_rows(parts: list[QuerySet], cursor: str | None, limit: int) -> list[Deal]:
    """Up to `limit` deals in timeline order (newest first, undated last) after `cursor`.

    Same order as `Deal.objects.timeline()`, but fetched as index-friendly queries, dated
    then undated: PostgreSQL cannot walk the (announced_on DESC, id DESC) index for "NULLS
    LAST", so one query sorts every matching row (seconds at a million deals), while these
    read only the rows shown. `parts` are disjoint querysets whose union is shown (a company's
    deals as payer and as payee, each along its own index); each part costs two queries,
    which always run, so the query count never depends on the data. Only TIMELINE_FIELDS are
    loaded.
    """
    rows: list[Deal] = []
    for deals in parts:
        base = deals.only(*TIMELINE_FIELDS)
        dated = base.filter(announced_on__isnull=False).order_by("-announced_on", "-pk")
        # Ordered like the index (all dates here are null) so PostgreSQL reads it, not the table.
        undated = base.filter(announced_on__isnull=True).order_by("-announced_on", "-pk")
        if cursor:
            day, pk = _decode_cursor(cursor)
            if day is None:
                dated = dated.none()
                undated = undated.filter(pk__lt=pk)
            else:
                # The first condition gives the index a range; the second breaks ties by pk.
                dated = dated.filter(announced_on__lte=day).filter(
                    Q(announced_on__lt=day) | Q(pk__lt=pk)
                )
        rows += list(dated[:limit]) + list(undated[:limit])
    if len(parts) > 1:
        rows.sort(key=_timeline_key, reverse=True)
    return rows[:limit]


def timeline_cards(pks) -> dict[int, Deal]:
    """The deals with `pks` and everything their timeline cards show, by pk. Three queries.

    A deal deleted since its pk was read is simply absent.
    """
    deals = (
        Deal.objects.filter(pk__in=pks)
        .select_related("payer", "payee", "cloud", "data_center")
        .prefetch_related(
            "chip_platforms",
            # A card links to its source: the article's text is not needed (kilobytes per deal).
            Prefetch(
                "citations",
                queryset=DealCitation.objects.select_related("article").defer("article__body"),
            ),
        )
    )
    return {deal.pk: _decorate(deal) for deal in deals}


def _same_month(previous_day: datetime.date | None, deal: Deal) -> bool:
    if previous_day is None or deal.announced_on is None:
        return previous_day is None and deal.announced_on is None
    return deal.date_precision in (DatePrecision.DAY, DatePrecision.MONTH) and (
        (deal.announced_on.year, deal.announced_on.month) == (previous_day.year, previous_day.month)
    )


@dataclass
class MonthGroup:
    heading: str
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
    previous_day = _decode_cursor(cursor)[0] if cursor else None
    rows = _timeline_rows(parts, cursor, size + 1)
    shown = rows[:size]
    months: list[MonthGroup] = []
    for deal in shown:
        heading = _month_heading(deal)
        if not months or months[-1].heading != heading:
            months.append(MonthGroup(heading))
        months[-1].deals.append(deal)
    if months and cursor:
        months[0].continued = _same_month(previous_day, months[0].deals[0])
    return TimelinePage(
        months=months,
        next_cursor=encode_cursor(shown[-1]) if len(rows) > size else None,
        is_first=not cursor,
    )


# -- one deal ----------------------------------------------------------------------------------


def deal_detail(*, slug: str) -> Deal:
    """A deal with its platforms, tranches, status history and citations; raises DoesNotExist."""
    deal = (
        Deal.objects.select_related("payer", "payee", "cloud", "data_center")
        .prefetch_related(
            "chip_platforms",
            "tranches",
            Prefetch(
                "status_history",
                queryset=DealStatusChange.objects.select_related("article"),
            ),
            Prefetch("citations", queryset=DealCitation.objects.select_related("article")),
        )
        .get(slug=slug)
    )
    for change in deal.status_history.all():
        change.when = date_words(change.changed_on, change.date_precision)
    for tranche in deal.tranches.all():
        tranche.when = date_words(tranche.paid_on, tranche.date_precision)
    return _decorate(deal)


# -- change history (who changed which figure, from the deal's django-simple-history records) --

# The deal's own fields a reader cares about, in the order the page lists them.
HISTORY_FIELDS = (
    "amount_usd",
    "amount_qualifier",
    "power_gw",
    "power_qualifier",
    "term_years",
    "status",
    "announced_on",
    "date_precision",
    "starts_on",
    "ends_on",
    "deal_type",
    "payer",
    "payee",
    "cloud",
    "data_center",
    "summary",
    "summary_ar",
    "reference_url",
    "slug",
)
HISTORY_LIMIT = 50


@dataclass
class FieldChange:
    field: str
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    created: bool
    changes: list[FieldChange]


def _history_value(record, name: str) -> str:
    field_ = record._meta.get_field(name)
    if field_.is_relation:
        related = getattr(record, name)
        return getattr(related, "display_name", None) or str(related) if related else "—"
    value = getattr(record, name)
    if value is None or value == "":
        return "—"
    if field_.choices:
        return str(dict(field_.flatchoices).get(value, value))
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    if name == "amount_usd":
        return f"${value:,.0f}" if value == value.to_integral_value() else f"${value:,}"
    if name == "power_gw":
        return _("%(gw)s GW") % {"gw": value.normalize()}
    return str(value)


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return _("system")
    return user.get_full_name() or user.get_username()


def deal_change_history(deal: Deal, *, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The deal's recorded edits, newest first: who changed which field from what to what.

    One query whatever the length of the history (the parties, cloud, data centre and user
    of every record are joined in). Saves that changed none of HISTORY_FIELDS (e.g. only the
    chips or the edit counter) are left out; at most `limit` entries.
    """
    records = list(
        deal.history.select_related(
            "history_user", "payer", "payee", "cloud", "data_center"
        ).order_by("-history_date", "-history_id")[: limit + 1]
    )
    entries = []
    for newer, older in zip(records, [*records[1:], None][: len(records)], strict=True):
        if older is None:
            if newer.history_type == "+":
                entries.append(HistoryEntry(newer.history_date, _who(newer), True, []))
            continue
        delta = newer.diff_against(older, included_fields=HISTORY_FIELDS)
        changes = [
            FieldChange(
                field=change.field,
                label=str(newer._meta.get_field(change.field).verbose_name),
                before=_history_value(older, change.field),
                after=_history_value(newer, change.field),
            )
            for change in sorted(delta.changes, key=lambda c: HISTORY_FIELDS.index(c.field))
        ]
        if changes:
            entries.append(HistoryEntry(newer.history_date, _who(newer), False, changes))
    return entries[:limit]


# -- the company filter's suggestions -----------------------------------------------------------

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


def top_companies(limit: int = 30) -> list[Company]:
    """The companies in the most of the latest deals: the company filter's suggestions.

    One query, read from the latest few thousand deals through the timeline index, so it
    stays cheap at any size (an all-time count would read every deal); the filter form caches
    it until the data change all the same.
    """
    return list(Company.objects.raw(_TOP_COMPANIES_SQL, [RECENT_DEALS_FOR_SUGGESTIONS, limit]))
