"""The public export: every deal with its companies, platforms, sources and history.

One JSON document (described by `docs/export.schema.json`, explained in `docs/export.md`) that
other tools read and that is complete enough to rebuild the database. The same document can be
flattened into one CSV table per list (`csv_tables`, `write_csv`).

- `document.py`: `export_document()`, the document as Python data, in a fixed number of queries;
- `rows.py`: the deals' part of it (and the web's streamed CSV rows, `deal_csv_rows`, and
  `walked_csv_rows` for a filter, newest first along the indexes);
- `entries.py`: one entry of each list, and how values are written (`number`, `iso`);
- `stream.py`: the export as text in pieces for the web (`export_json`, `csv_chunks`) and
  the download's file name (`download_name`);
- `tables.py`: the CSV form (`CSV_COLUMNS`, `csv_tables`, `write_csv`).
"""

from deals.export.document import SCHEMA_VERSION, export_document
from deals.export.entries import (
    LIST_SEPARATOR,
    iso,
    number,
    reported_figures,
    spreadsheet_text,
)
from deals.export.rows import (
    DEAL_ROW_FIELDS,
    deal_csv_rows,
    deal_rows,
    more_deals_than,
    walked_csv_rows,
)
from deals.export.stream import (
    BYTE_ORDER_MARK,
    csv_chunks,
    document_json,
    download_name,
    export_json,
)
from deals.export.tables import CSV_COLUMNS, TOP_LEVEL_LISTS, csv_tables, write_csv

__all__ = [
    "BYTE_ORDER_MARK",
    "CSV_COLUMNS",
    "DEAL_ROW_FIELDS",
    "LIST_SEPARATOR",
    "SCHEMA_VERSION",
    "TOP_LEVEL_LISTS",
    "csv_chunks",
    "csv_tables",
    "deal_csv_rows",
    "deal_rows",
    "document_json",
    "download_name",
    "export_document",
    "export_json",
    "iso",
    "more_deals_than",
    "number",
    "reported_figures",
    "spreadsheet_text",
    "walked_csv_rows",
    "write_csv",
]
