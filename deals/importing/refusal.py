"""Why an import is refused, and how a refusal names the record at fault."""


class ImportRefused(Exception):
    """The file cannot be imported; the message says why (and which record), nothing changed."""


def record_label(document: dict, path) -> tuple[str, str]:
    """("deals[3] (id 'x')", "sources[1].quote") for a JSON path like deals/3/sources/1/quote."""
    path = list(path)
    if len(path) < 2 or not isinstance(path[1], int):
        return "the document", ".".join(str(part) for part in path)
    name, index, rest = path[0], path[1], path[2:]
    label = f"{name}[{index}]"
    try:
        entry = document[name][index]
    except (KeyError, IndexError, TypeError):
        entry = None
    if isinstance(entry, dict) and isinstance(entry.get("id"), str):
        label += f" (id {entry['id']!r})"
    where = ""
    for part in rest:
        where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
    return label, where
