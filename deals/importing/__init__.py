"""Load an export document (`manage.py export_deals`) back into the database.

    python manage.py import_deals deals.json

The file is checked in three passes and nothing is written unless all of them pass:

1. the bytes (`files.py`): at most `max_bytes()` (50 MB unless settings say otherwise), text
   (no NUL bytes), UTF-8, one JSON document (numbers read as exact decimals);
2. the shape (`schema.py`): `docs/export.schema.json`;
3. every record (`records.py`): its references resolve, its id is new, and the model's
   `full_clean()` passes (check constraints: through the models' clean() rules and the
   database itself).

Everything is written in one transaction: a wrong record anywhere leaves the database exactly
as it was, and the error (`ImportRefused`, `refusal.py`) names the record.

An import only ADDS records. If an id of the file already names a record in the database,
the import is refused and lists the ids (see docs/export.md, "Importing"). References may
point to records of the file or to records already in the database.
"""

from deals.importing.files import DEFAULT_MAX_BYTES, max_bytes, parse_bytes, read_file
from deals.importing.records import CHANGE_REASON, ID_MODELS, ImportResult, import_document
from deals.importing.refusal import ImportRefused, record_label
from deals.importing.schema import SCHEMA_PATH, check_schema

__all__ = [
    "CHANGE_REASON",
    "DEFAULT_MAX_BYTES",
    "ID_MODELS",
    "SCHEMA_PATH",
    "ImportRefused",
    "ImportResult",
    "check_schema",
    "import_document",
    "max_bytes",
    "parse_bytes",
    "read_file",
    "record_label",
]
