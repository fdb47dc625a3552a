"""The export as text in pieces, so the web can send it while it is written.

`export_json`: the JSON document, one entry per line, its first piece sent before the
document is read. `csv_chunks`: the deals table of the CSV form, with the byte-order mark
spreadsheets need to read UTF-8; it has no size cap, as memory holds one chunk at a time.
`download_name`: the file name a download gets, after its filters.
"""

import csv
import io
import itertools
import json
import re
from collections.abc import Iterable, Iterator, Mapping

from django.db.models import QuerySet

from deals.export.document import SCHEMA_VERSION, export_document
from deals.export.tables import CSV_COLUMNS
from deals.models import Deal

JSON_ENTRIES_PER_PIECE = 500
# Rows per chunk of the streamed CSV: about 200 KB of text, so the server writes a few dozen
# chunks for ten megabytes rather than one per row.
CSV_ROWS_PER_CHUNK = 500
# The first chunk is smaller, so the download starts as soon as the first rows are read.
FIRST_CSV_ROWS = 100
# Excel reads a CSV file as the system's legacy code page unless it starts with this mark,
# which garbles every Arabic column; other programs skip it.
BYTE_ORDER_MARK = "\ufeff"
# Filters named by their value alone in a file name; the others by name and value.
_NAMED_BY_VALUE = ("company", "role", "type", "status", "cloud", "chip")
_NAME_MAX = 120


def document_json(document: Mapping | Iterable[tuple[str, object]]) -> Iterator[str]:
    """The document (or its (key, value) pairs, in order) as JSON text in pieces, each entry
    of a list on a line of its own.

    One entry per line reads and diffs well, and every entry goes through json's C encoder:
    an indented dump runs the pure-Python encoder, two thirds of the time of a 10,000-deal
    export. Pieces of JSON_ENTRIES_PER_PIECE entries, so the text is never held whole. Pairs
    are read one at a time: a key is sent before the next value is computed.
    """
    encode = json.JSONEncoder(ensure_ascii=False).encode
    pairs = document.items() if isinstance(document, Mapping) else document
    opening = "{"
    for key, value in pairs:
        yield f"{opening}\n{encode(key)}: "
        opening = ","
        if not isinstance(value, list) or not value:
            yield encode(value)
            continue
        for start in range(0, len(value), JSON_ENTRIES_PER_PIECE):
            entries = value[start : start + JSON_ENTRIES_PER_PIECE]
            yield ("," if start else "[") + ",".join("\n" + encode(entry) for entry in entries)
        yield "\n]"
    yield "\n}\n"


def export_json(deals: QuerySet[Deal]) -> Iterator[str]:
    """`document_json(export_document(deals))`, the same text, but its opening leaves before
    the document is read: a reader sees the download start at once, not after the seconds
    ten thousand deals and their articles take to gather."""
    return document_json(_export_pairs(deals))


def _export_pairs(deals: QuerySet[Deal]) -> Iterator[tuple[str, object]]:
    yield "schema_version", SCHEMA_VERSION
    document = export_document(deals)
    del document["schema_version"]
    yield from document.items()


def csv_chunks(rows: Iterable[tuple]) -> Iterator[str]:
    """The deals table of the CSV export from its rows of cells (`deal_csv_rows`,
    `walked_csv_rows`): the byte-order mark and the header with the first FIRST_CSV_ROWS rows,
    then CSV_ROWS_PER_CHUNK rows per chunk of text."""
    buffer = io.StringIO()
    buffer.write(BYTE_ORDER_MARK)
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS["deals"])
    rows, size = iter(rows), min(FIRST_CSV_ROWS, CSV_ROWS_PER_CHUNK)
    while chunk := list(itertools.islice(rows, size)):
        size = CSV_ROWS_PER_CHUNK
        writer.writerows(chunk)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():  # no deals: the header alone
        yield buffer.getvalue()


def download_name(filters: dict[str, str], extension: str) -> str:
    """The file name of a download with these filters, which says what it holds:
    "dealwatch-deals-anthropic-compute-commitment.json". Safe ASCII only (letters, digits,
    hyphens), at most about 120 characters; `filters` are the filter's valid values
    (`DealFilter.active_params`), in its order."""
    words = ["dealwatch", "deals"]
    for name, value in filters.items():
        words += [] if name in _NAMED_BY_VALUE else [name]
        words.append(value)
    stem = re.sub(r"[^a-z0-9]+", "-", "-".join(words).lower()).strip("-")
    return f"{stem[:_NAME_MAX].rstrip('-')}.{extension}"
