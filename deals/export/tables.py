"""The export as CSV: one flat table per list of the document, nested lists keyed by parent id.

`csv_tables` flattens a document; `write_csv` writes the tables into a directory. The web's CSV
of the deals alone streams from the database instead (`rows.deal_csv_rows`), with the same
cells as the `deals` table here.
"""

import csv
from pathlib import Path

from deals.export.entries import LIST_SEPARATOR, spreadsheet_text
from deals.fields import DEAL_FIELDS

TOP_LEVEL_LISTS = (
    "companies",
    "clouds",
    "chip_platforms",
    "data_centers",
    "articles",
    "deals",
    "valuations",
)

# Columns of every table, in order; nested lists become tables of their own keyed by parent id.
CSV_COLUMNS: dict[str, list[str]] = {
    "companies": ["id", "name", "name_ar", "aliases", "kind", "parent", "website"],
    "clouds": ["id", "name", "name_ar", "aliases", "operator"],
    "chip_platforms": ["id", "name", "name_ar", "aliases", "vendor", "kind"],
    "data_centers": [
        "id",
        "name",
        "name_ar",
        "operator",
        "tenants",
        "location",
        "location_ar",
        "power_gw",
        "power_qualifier",
        "chip_platforms",
        "status",
        "online_on",
        "reference_url",
        "aliases",
        "country",
        "country_ar",
        "state",
        "state_ar",
        "latitude",
        "longitude",
        "location_precision",
        "location_article",
        "location_quote",
        "location_reference_url",
    ],
    "data_center_sources": ["data_center", "position", "article", "quote"],
    "data_center_status_history": [
        "data_center",
        "position",
        "status",
        "changed_on",
        "date_precision",
        "article",
        "quote",
        "reference_url",
    ],
    "articles": ["id", "title", "language", "published_on", "source_file", "url", "body"],
    "deals": [field.name for field in DEAL_FIELDS],
    "deal_tranches": [
        "deal",
        "position",
        "amount_usd",
        "amount_qualifier",
        "paid_on",
        "date_precision",
        "reference_url",
    ],
    "deal_sources": [
        "deal",
        "position",
        "article",
        "quote",
        "reported_amount_usd",
        "reported_amount_qualifier",
        "reported_power_gw",
        "reported_power_qualifier",
    ],
    "deal_status_history": [
        "deal",
        "position",
        "status",
        "changed_on",
        "date_precision",
        "article",
        "quote",
        "reference_url",
    ],
    "deal_reported_figures": [
        "deal",
        "position",
        "figure",
        "value",
        "qualifier",
        "article",
        "quote",
    ],
    "valuations": [
        "id",
        "company",
        "amount_usd",
        "amount_qualifier",
        "as_of",
        "date_precision",
        "is_projection",
        "reference_url",
    ],
    "valuation_sources": ["valuation", "position", "article", "quote"],
}

# (top-level list, nested list key, child table, name of the column holding the parent's id)
_NESTED = [
    ("data_centers", "sources", "data_center_sources", "data_center"),
    ("data_centers", "status_history", "data_center_status_history", "data_center"),
    ("deals", "tranches", "deal_tranches", "deal"),
    ("deals", "sources", "deal_sources", "deal"),
    ("deals", "status_history", "deal_status_history", "deal"),
    ("deals", "reported_figures", "deal_reported_figures", "deal"),
    ("valuations", "sources", "valuation_sources", "valuation"),
]


def _cell(value) -> str | int | float:
    """A CSV cell: lists joined with "|", null as empty, booleans as true/false, text that
    looks like a formula marked as text (`spreadsheet_text`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return spreadsheet_text(LIST_SEPARATOR.join(value))
    if isinstance(value, str):
        return spreadsheet_text(value)
    return value


def csv_tables(document: dict) -> dict[str, list[dict]]:
    """The document as flat tables: one per top-level list, one per nested list.

    Rows hold exactly the columns of `CSV_COLUMNS[table]`; nested rows carry their parent's id
    and their 1-based position in the parent's list, so order survives the flattening.
    """
    tables: dict[str, list[dict]] = {name: [] for name in CSV_COLUMNS}
    for name in TOP_LEVEL_LISTS:
        columns = CSV_COLUMNS[name]
        for entry in document[name]:
            tables[name].append({column: _cell(entry[column]) for column in columns})
    for parent_table, key, table, parent_column in _NESTED:
        columns = CSV_COLUMNS[table][2:]
        for entry in document[parent_table]:
            for position, child in enumerate(entry[key], start=1):
                row = {parent_column: entry["id"], "position": position}
                row |= {column: _cell(child[column]) for column in columns}
                tables[table].append(row)
    return tables


def write_csv(document: dict, directory: str | Path) -> list[Path]:
    """Write one `<table>.csv` per table (UTF-8, header row first) into `directory`.

    Creates the directory if needed; raises OSError (e.g. NotADirectoryError) if it cannot.
    Returns the paths written.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in csv_tables(document).items():
        path = directory / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS[name])
            writer.writeheader()
            writer.writerows(rows)
        written.append(path)
    return written
