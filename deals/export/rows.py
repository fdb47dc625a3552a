"""The deals of an export, read in a fixed number of queries: entries for the JSON, rows for CSV.

The deal's own fields come from the field map (`deals/fields.py`) in one query of plain tuples,
chips included; its nested lists (tranches, sources, status history) in one query each. Both
forms read `DEAL_CHUNK_SIZE` rows at a time. The web's CSV is read up to `WALK_CHUNK_SIZE` deals at
a time along the newest-first walk (`walked_csv_rows`), so its first rows leave before the
last are found.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

from django.db.models import Aggregate, CharField, OuterRef, QuerySet, Subquery, Value

from deals.export import entries
from deals.export.entries import LIST_SEPARATOR, iso, number, sorted_ids, spreadsheet_text
from deals.fields import DEAL_FIELDS, Kind
from deals.models import Deal, DealCitation, DealStatusChange, DealTranche
from deals.selectors.keyset import encode_cursor, newest_first

DEAL_CHUNK_SIZE = 2000
# Deals per step of the CSV's walk: each step costs two short index reads per part and one
# read of the rows. The first step is small, so the first bytes leave at once; each next step
# doubles, up to WALK_CHUNK_SIZE.
WALK_CHUNK_SIZE = 2000
FIRST_WALK_SIZE = 100


class _JoinedSlugs(Aggregate):
    """A group's slugs joined with LIST_SEPARATOR, in no set order (sorted in Python after).

    STRING_AGG on PostgreSQL, GROUP_CONCAT on SQLite: Django 5.2 has no portable one.
    """

    function = "STRING_AGG"

    def __init__(self, expression, **extra):
        super().__init__(expression, Value(LIST_SEPARATOR), output_field=CharField(), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


# The columns of `deal_rows`: the primary key, then each field of the map in its order (related
# records' and chip platforms' slugs rather than their ids).
DEAL_ROW_FIELDS = ("pk", *(field.row_field for field in DEAL_FIELDS))

# The one many-to-many field of a deal, read as its slugs joined in SQL.
(_CHIPS,) = (field for field in DEAL_FIELDS if field.kind is Kind.REFERENCES)


def deal_rows(deals: QuerySet[Deal]) -> QuerySet:
    """`deals` as named tuples of DEAL_ROW_FIELDS, in their order: one query, chips included.

    Plain tuples rather than model instances with select_related: building a Deal and four
    related objects per row cost more than the query itself on tens of thousands of deals.
    """
    links = (
        Deal.chip_platforms.through.objects.filter(deal_id=OuterRef("pk"))
        .order_by()
        .values("deal_id")
        .annotate(slugs=_JoinedSlugs("chipplatform__slug"))
        .values("slugs")
    )
    return (
        deals.prefetch_related(None)
        .annotate(**{_CHIPS.row_field: Subquery(links)})
        .values_list(*DEAL_ROW_FIELDS, named=True)
    )


def more_deals_than(deals: QuerySet[Deal], limit: int) -> bool:
    """True when `deals` holds more than `limit` deals (reads at most limit + 1 ids)."""
    return len(deals.order_by().values_list("pk", flat=True)[: limit + 1]) > limit


def _read(deals: QuerySet[Deal]) -> Iterator[tuple]:
    return deal_rows(deals).iterator(chunk_size=DEAL_CHUNK_SIZE)


# How each kind of field is written: in the JSON entry, and in a CSV cell (null is empty, text
# that looks like a formula is marked as text).
_JSON_VALUE: dict[Kind, Callable] = {
    Kind.MONEY: number,
    Kind.POWER: number,
    Kind.DATE: iso,
    Kind.REFERENCES: sorted_ids,
}
_CSV_CELL: dict[Kind, Callable] = {
    Kind.MONEY: lambda value: "" if value is None else number(value),
    Kind.POWER: lambda value: "" if value is None else number(value),
    Kind.DATE: lambda value: value.isoformat() if value else "",
    Kind.YEARS: lambda value: "" if value is None else value,
    Kind.TEXT: spreadsheet_text,
    Kind.CHOICE: spreadsheet_text,
    Kind.REFERENCE: lambda value: spreadsheet_text(value or ""),
    Kind.REFERENCES: lambda value: spreadsheet_text(LIST_SEPARATOR.join(sorted_ids(value))),
}
# Export names, in the order of a row of deal_rows after its primary key.
_NAMES = [field.name for field in DEAL_FIELDS]
# (position after the primary key, export name, how to write it) of the values that need more
# than copying: a row is copied whole (in C), then these few are rewritten.
_JSON_WRITTEN = [
    (at, field.name, _JSON_VALUE[field.kind])
    for at, field in enumerate(DEAL_FIELDS)
    if field.kind in _JSON_VALUE
]
_CSV_WRITTEN = [
    (at, _CSV_CELL[field.kind]) for at, field in enumerate(DEAL_FIELDS) if field.kind in _CSV_CELL
]


def deal_csv_rows(deals: QuerySet[Deal]) -> Iterator[tuple]:
    """The deals table of the CSV form, one tuple of cells (CSV_COLUMNS["deals"]) per deal.

    Streamed (`iterator`, a server-side cursor on PostgreSQL) in one query: memory stays
    bounded whatever the number of deals. The cells are those `csv_tables` gives for the
    document's deals.
    """
    for row in _read(deals):
        yield _csv_cells(row)


def walked_csv_rows(parts: list[QuerySet[Deal]]) -> Iterator[tuple]:
    """The rows `deal_csv_rows` gives for the union of `parts`, in the same order (newest
    first, undated last), read WALK_CHUNK_SIZE deals at a time.

    One ORDER BY over a filtered million (a hub company's quarter of a million deals, payer
    or payee) makes the database find and sort every match before the first row; even
    unfiltered, along an index, a server-side cursor outside a transaction is WITH HOLD, which
    PostgreSQL fills with every row before the first fetch (51 s at a million deals). Here
    each part walks its own index from a cursor (`selectors/keyset.py`), so each step reads
    only the deals it sends, in its own short query.
    """
    for ids in _newest_first_ids(parts):
        by_id = {row.pk: row for row in deal_rows(Deal.objects.filter(pk__in=ids).order_by())}
        for pk in ids:
            if pk in by_id:  # a deal deleted since the walk read its id is left out
                yield _csv_cells(by_id[pk])


def _newest_first_ids(parts: list[QuerySet[Deal]]) -> Iterator[list[int]]:
    cursor, step = None, min(FIRST_WALK_SIZE, WALK_CHUNK_SIZE)
    while True:
        deals = newest_first(parts, cursor=cursor, limit=step)
        if deals:
            yield [deal.pk for deal in deals]
        if len(deals) < step:
            return
        cursor, step = encode_cursor(deals[-1]), min(step * 2, WALK_CHUNK_SIZE)


def _csv_cells(row) -> tuple:
    cells = list(row[1:])
    for at, cell in _CSV_WRITTEN:
        cells[at] = cell(cells[at])
    return tuple(cells)


def _deal(row, parts: dict[str, dict[int, list]]) -> dict:
    """A deal's entry from its row of `deal_rows` and the nested lists of `_deal_parts`."""
    sources = [entries.deal_source(source) for source in parts["sources"].get(row.pk, [])]
    entry = dict(zip(_NAMES, row[1:], strict=True))
    for at, name, value in _JSON_WRITTEN:
        entry[name] = value(row[at + 1])
    entry["tranches"] = [entries.tranche(tranche) for tranche in parts["tranches"].get(row.pk, [])]
    entry["sources"] = sources
    entry["status_history"] = [
        entries.status_change(step) for step in parts["status_history"].get(row.pk, [])
    ]
    entry["reported_figures"] = entries.reported_figures(sources)
    return entry


def _grouped(rows: Iterable[dict]) -> dict[int, list[dict]]:
    groups: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        groups[row["deal_id"]].append(row)
    return groups


def _deal_parts(deal_ids: QuerySet | None) -> dict[str, dict[int, list]]:
    """The nested lists of the deals whose ids `deal_ids` selects (None: every deal), by deal.

    Three queries whatever the number of deals, each in its list's order; plain rows rather
    than prefetch_related, which clones a queryset per deal and relation.
    """

    def of_deals(model):
        rows = model.objects.all()
        return rows if deal_ids is None else rows.filter(deal_id__in=deal_ids)

    return {
        "tranches": _grouped(
            of_deals(DealTranche)
            .order_by("paid_on", "pk")
            .values(
                "deal_id",
                "amount_usd",
                "amount_qualifier",
                "paid_on",
                "date_precision",
                "reference_url",
            )
        ),
        "sources": _grouped(
            of_deals(DealCitation)
            .order_by("article__published_on", "pk")
            .values(
                "deal_id",
                "article__slug",
                "quote",
                "reported_amount_usd",
                "reported_amount_qualifier",
                "reported_power_gw",
                "reported_power_qualifier",
            )
        ),
        "status_history": _grouped(
            of_deals(DealStatusChange)
            .order_by("changed_on", "pk")
            .values(
                "deal_id",
                "status",
                "changed_on",
                "date_precision",
                "article__slug",
                "quote",
                "reference_url",
            )
        ),
    }


def deal_entries(deals: QuerySet[Deal], *, everything: bool) -> list[dict]:
    """The deals' entries in four queries: the deals (chips included), then each nested list.

    `everything` says `deals` is every deal, so the nested lists are read unfiltered.
    """
    parts = _deal_parts(None if everything else deals.values("pk"))
    return [_deal(row, parts) for row in _read(deals)]
