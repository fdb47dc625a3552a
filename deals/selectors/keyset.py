"""The newest-first walk every list of deals shares: dated deals newest first, then undated.

`Deal.objects.newest_first()` says the same order in one ORDER BY (announced_on DESC NULLS
LAST, id DESC), and is right for a whole list. To read one page of a long list, the walks
here split it in two index-friendly queries, dated then undated: PostgreSQL cannot walk the
(announced_on DESC, id DESC) index for "NULLS LAST", so one query sorts every matching row
(seconds at a million deals), while these read only the rows shown. A cursor,
"2025-10-01.42" or "undated.42", resumes a walk after the last deal shown.
"""

import datetime
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from deals.models import Deal


class InvalidCursor(ValueError):
    pass


def encode_cursor(deal: Deal) -> str:
    """Where the next page starts: the last shown deal's date and pk, e.g. "2025-10-01.42"."""
    day = deal.announced_on.isoformat() if deal.announced_on else "undated"
    return f"{day}.{deal.pk}"


def decode_cursor(cursor: str) -> tuple[datetime.date | None, int]:
    """The (date, pk) an `encode_cursor` cursor names; raises InvalidCursor if it names none."""
    try:
        day, pk = cursor.rsplit(".", 1)
        return (None if day == "undated" else datetime.date.fromisoformat(day)), int(pk)
    except ValueError as error:
        raise InvalidCursor(cursor) from error


def newest_key(deal: Deal) -> tuple:
    """Sorts like the timeline when reversed: dated before undated, newest first, then pk."""
    return (deal.announced_on is not None, deal.announced_on or datetime.date.min, deal.pk)


def _dated(deals: QuerySet, cursor: tuple | None) -> QuerySet:
    dated = deals.filter(announced_on__isnull=False).order_by("-announced_on", "-pk")
    if cursor is None:
        return dated
    day, pk = cursor
    if day is None:
        return dated.none()
    # The first condition gives the index a range; the second breaks ties by pk.
    return dated.filter(announced_on__lte=day).filter(Q(announced_on__lt=day) | Q(pk__lt=pk))


def _undated(deals: QuerySet, cursor: tuple | None) -> QuerySet:
    # Ordered like the index (all dates here are null) so PostgreSQL reads it, not the table.
    undated = deals.filter(announced_on__isnull=True).order_by("-announced_on", "-pk")
    if cursor is not None and cursor[0] is None:
        undated = undated.filter(pk__lt=cursor[1])
    return undated


def newest_first(
    parts: list[QuerySet],
    *,
    cursor: str | None = None,
    limit: int,
    fields: tuple[str, ...] = (),
    undated_together: bool = False,
) -> list[Deal]:
    """Up to `limit` deals of the union of `parts`, newest first and undated last, after
    `cursor` (raises InvalidCursor if it cannot be read).

    Each part is walked along its own index (a company's deals as payer and as payee, say):
    its dated deals, then its undated ones, at most `limit` of each, and the union's first
    `limit` are merged in Python, exactly, since each is among the first `limit` of its part.
    Every query always runs, so the count is two per part whatever the data; with
    `undated_together`, the undated deals of all parts are one query instead (they are few;
    worth it when the parts are many). A deal in two parts is listed once. Only the id, the
    date and `fields` are loaded.
    """
    position = decode_cursor(cursor) if cursor else None
    walks = []
    for deals in parts:
        deals = deals.only("id", "announced_on", *fields)
        walks.append(_dated(deals, position))
        if not undated_together:
            walks.append(_undated(deals, position))
    if undated_together and parts:
        union = reduce(or_, parts).only("id", "announced_on", *fields)
        walks.append(_undated(union, position))
    found: dict[int, Deal] = {}
    for walk in walks:
        for deal in walk[:limit]:
            found.setdefault(deal.pk, deal)
    return sorted(found.values(), key=newest_key, reverse=True)[:limit]


def newest_first_ids(deals: QuerySet, *, limit: int) -> list[int]:
    """The ids of the newest `limit` of `deals`, undated last: two queries along one index."""
    ids = list(_dated(deals, None).values_list("pk", flat=True)[:limit])
    ids += list(_undated(deals, None).values_list("pk", flat=True)[:limit])
    return ids[:limit]
