"""Pass 2 of an import: the document against `docs/export.schema.json`."""

import json
from pathlib import Path

import jsonschema
from django.conf import settings

from deals.importing.refusal import ImportRefused, record_label

SCHEMA_PATH = Path(settings.BASE_DIR) / "docs" / "export.schema.json"


def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def check_schema(document: dict) -> None:
    """Raises ImportRefused naming the first records that break the schema (up to five)."""
    errors = sorted(_validator().iter_errors(document), key=lambda e: list(map(str, e.path)))
    if not errors:
        return
    lines = []
    for error in errors[:5]:
        label, where = record_label(document, error.absolute_path)
        fields, message = _explain(error)
        where = ".".join(filter(None, [where, fields]))
        lines.append(f"{label}: {where + ': ' if where else ''}{_short(message)}")
    more = f"\n(and {len(errors) - 5} more problems)" if len(errors) > 5 else ""
    raise ImportRefused(
        "The file does not follow docs/export.schema.json:\n" + "\n".join(lines) + more
    )


def _explain(error) -> tuple[str, str]:
    """(extra field names, message) for a schema error, readable for "any of" rules too."""
    if error.validator in ("anyOf", "oneOf"):
        if isinstance(error.instance, dict):
            # A rule tying fields together, e.g. an undisclosed amount has no number.
            keys = sorted(
                {key for option in error.validator_value for key in option.get("properties", {})}
            )
            return " and ".join(keys), error.schema.get("description", error.message)
        specific = [e for e in error.context if e.validator not in ("type", "const", "enum")]
        if specific:
            return "", specific[0].message
    return "", error.message


def _short(message: str, limit: int = 300) -> str:
    return message if len(message) <= limit else message[: limit - 1] + "…"
