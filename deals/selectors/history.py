"""A deal's change history: who changed which figure, from django-simple-history records.

Which fields it lists, in what order, under which label and in what words (the reader's
language) comes from the field map, `deals/fields.py`.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from deals.fields import HISTORY_FIELDS, Kind
from deals.models import Deal
from deals.roles import ADMINS, EDITORS

HISTORY_LIMIT = 50
_NAMES = [field.attribute for field in HISTORY_FIELDS]
_RELATED = [field.attribute for field in HISTORY_FIELDS if field.kind is Kind.REFERENCE]


@dataclass
class FieldChange:
    field: str
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    created: bool
    changes: list[FieldChange]


def _who(record) -> str:
    """Who made a change, as the public may read it: a display name, else a role.

    Never the user name: it is half of a sign-in, and printing it on public pages hands out
    the names to guess passwords for.
    """
    user = record.history_user
    if user is None:
        return _("system")
    if user.get_full_name():
        return user.get_full_name()
    if user.is_superuser or record.by_admin:
        return _("an administrator")
    if record.by_editor:
        return _("an editor")
    return _("a staff member")


def _in_group(name: str) -> Exists:
    """Whether a record's user is in the group `name`, as a column of the history's query."""
    return Exists(Group.objects.filter(name=name, user=OuterRef("history_user")))


def deal_change_history(deal: Deal, *, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The deal's recorded edits, newest first: who changed which field from what to what.

    One query whatever the length of the history (the parties, cloud, data centre and user
    of every record are joined in). Saves that changed none of HISTORY_FIELDS (e.g. only the
    chips or the edit counter) are left out; at most `limit` entries.
    """
    records = list(
        deal.history.select_related("history_user", *_RELATED)
        .annotate(by_admin=_in_group(ADMINS), by_editor=_in_group(EDITORS))
        .order_by("-history_date", "-history_id")[: limit + 1]
    )
    entries = []
    for newer, older in zip(records, [*records[1:], None][: len(records)], strict=True):
        if older is None:
            if newer.history_type == "+":
                entries.append(HistoryEntry(newer.history_date, _who(newer), True, []))
            continue
        delta = newer.diff_against(older, included_fields=_NAMES)
        changed = {change.field for change in delta.changes}
        changes = [
            FieldChange(
                field=field.attribute,
                label=field.label,
                before=field.worded(getattr(older, field.attribute)),
                after=field.worded(getattr(newer, field.attribute)),
            )
            for field in HISTORY_FIELDS
            if field.attribute in changed
        ]
        if changes:
            entries.append(HistoryEntry(newer.history_date, _who(newer), False, changes))
    return entries[:limit]
