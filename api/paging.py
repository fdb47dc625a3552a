"""Cursor paging: opaque `next` links that resume a stable walk where the last page ended.

Deals are walked newest first, undated last, with the id breaking ties
(`deals.selectors.keyset`, the timeline's own walk); the directories (companies, clouds, chips,
data centres, articles) in id order. A cursor names the last item shown, never an offset, so a
deal added while a client pages is neither repeated nor makes another one skipped.
"""

import base64
import binascii

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from deals.selectors.keyset import InvalidCursor, decode_cursor, encode_cursor, newest_first

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class BadPage(ValueError):
    """A cursor or a limit that cannot be read; the message says what to send instead."""


def _wrap(kind: str, position: str) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{position}".encode()).decode().rstrip("=")


def _unwrap(kind: str, cursor: str) -> str:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise BadPage(_bad_cursor()) from error
    found, _sep, position = text.partition(":")
    if found != kind or not position:
        raise BadPage(_bad_cursor())
    return position


def _bad_cursor() -> str:
    return _("This cursor is not valid here: follow the “next” link of the previous page.")


def page_size(limit: str | None) -> int:
    """The `limit` parameter as a number of items (DEFAULT_LIMIT when absent)."""
    if limit in (None, ""):
        return DEFAULT_LIMIT
    if not limit.isdigit() or not 1 <= int(limit) <= MAX_LIMIT:
        raise BadPage(_("“limit” must be a whole number from 1 to %(max)s.") % {"max": MAX_LIMIT})
    return int(limit)


def deal_page(parts: list[QuerySet], cursor: str | None, limit: int) -> tuple[list[str], str]:
    """The ids (slugs) of up to `limit` deals of `parts` after `cursor`, newest first, and the next
    page's cursor ("" on the last page). Two index-ordered queries per part."""
    position = _unwrap("deals", cursor) if cursor else None
    if position:
        try:
            decode_cursor(position)
        except InvalidCursor as error:
            raise BadPage(_bad_cursor()) from error
    rows = newest_first(parts, cursor=position, limit=limit + 1, fields=("slug",))
    shown = rows[:limit]
    following = _wrap("deals", encode_cursor(shown[-1])) if len(rows) > limit else ""
    return [deal.slug for deal in shown], following


def id_page(items: QuerySet, cursor: str | None, limit: int) -> tuple[list, str]:
    """Up to `limit` of `items` after `cursor`, in id (slug) order, and the next cursor."""
    after = _unwrap("ids", cursor) if cursor else None
    ordered = items.order_by("slug")
    if after is not None:
        ordered = ordered.filter(slug__gt=after)
    rows = list(ordered[: limit + 1])
    shown = rows[:limit]
    return shown, _wrap("ids", shown[-1].slug) if len(rows) > limit else ""


def next_link(request, cursor: str) -> str | None:
    """The request's own URL with the next `cursor`, every other parameter kept; None at the
    end."""
    if not cursor:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
