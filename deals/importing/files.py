"""Pass 1 of an import: the file's bytes to a JSON document, or a refusal saying why.

At most `max_bytes()` (50 MB unless settings say otherwise), text (no NUL bytes), UTF-8 (a
byte-order mark is accepted), one JSON object; numbers are read as exact decimals.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from deals.importing.refusal import ImportRefused

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def max_bytes() -> int:
    return int(getattr(settings, "DEALWATCH_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def parse_bytes(data: bytes, *, name: str = "the file") -> dict:
    """The JSON document in `data`; raises ImportRefused if it is not UTF-8 JSON text."""
    if b"\x00" in data:
        raise ImportRefused(f"{name} is not a text file (it contains NUL bytes).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            f"{name} is not UTF-8 text: byte {error.start} ({data[error.start]:#04x}) cannot be "
            "decoded. Export files are UTF-8."
        ) from error
    if not text.strip():
        raise ImportRefused(f"{name} is empty.")
    try:
        document = json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise ImportRefused(
            f"{name} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from error
    except ValueError as error:
        raise ImportRefused(f"{name} is not valid JSON: {error}.") from error
    except RecursionError as error:
        raise ImportRefused(f"{name} is nested too deeply to be an export document.") from error
    if not isinstance(document, dict):
        raise ImportRefused(
            f"{name} holds a JSON {type(document).__name__}, not an export document (an object "
            "with schema_version, companies, deals, ...)."
        )
    return document


def read_file(path: str | Path, *, limit: int | None = None) -> dict:
    """The document in the file at `path`, refusing files too large to be an export."""
    path = Path(path)
    limit = max_bytes() if limit is None else limit
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise ImportRefused(f"{path} is not a file.")
        if size > limit:
            raise ImportRefused(
                f"{path} is {size:,} bytes, more than the {limit:,} bytes an import accepts "
                "(raise it with --max-size)."
            )
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise ImportRefused(f"Cannot read {path}: {error.strerror or error}.") from error
    if len(data) > limit:  # it grew while we read it
        raise ImportRefused(f"{path} is more than the {limit:,} bytes an import accepts.")
    return parse_bytes(data, name=str(path))
