"""The export as text in pieces, so the web can send it while it is written.

`document_json`: the JSON document, one entry per line. `csv_chunks`: the deals table of the
CSV form, straight from the database; it has no size cap, as memory holds one chunk at a time.
"""

import csv
import io
import itertools
import json
from collections.abc import Iterator

from django.db.models import QuerySet

from deals.export.rows import deal_csv_rows
from deals.export.tables import CSV_COLUMNS
from deals.models import Deal

JSON_ENTRIES_PER_PIECE = 500
# Rows per chunk of the streamed CSV: about 200 KB of text, so the server writes a few dozen
# chunks for ten megabytes rather than one per row.
CSV_ROWS_PER_CHUNK = 500


def document_json(document: dict) -> Iterator[str]:
    """The document as JSON text in pieces, each entry of a list on a line of its own.

    One entry per line reads and diffs well, and every entry goes through json's C encoder:
    an indented dump runs the pure-Python encoder, two thirds of the time of a 10,000-deal
    export. Pieces of JSON_ENTRIES_PER_PIECE entries, so the text is never held whole.
    """
    encode = json.JSONEncoder(ensure_ascii=False).encode
    opening = "{"
    for key, value in document.items():
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


def csv_chunks(deals: QuerySet[Deal]) -> Iterator[str]:
    """The deals table of the CSV export, CSV_ROWS_PER_CHUNK rows per chunk of text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS["deals"])
    rows = deal_csv_rows(deals)
    while chunk := list(itertools.islice(rows, CSV_ROWS_PER_CHUNK)):
        writer.writerows(chunk)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():  # no deals: the header alone
        yield buffer.getvalue()
