"""No lost edits: a change form refuses to save over a change someone made after it was opened.

Every admin change form carries a hidden token of the record as it was stored when the form
was opened: a digest of the row's stored values and of its latest history record, so that any
save counts, even one that changed only the record's inline rows (the admin saves the parent
and simple_history records it each time). When the form is sent, the row is read again
*locked* (`SELECT ... FOR UPDATE` inside the admin's save transaction on PostgreSQL; SQLite
takes its write lock when the transaction begins, see `transaction_mode` in settings) and
compared with the token: of two editors saving at the same moment, the second waits for the
first to commit, then is refused with one clear message and loses nothing but the click. A
row that no longer exists (restoring a deleted record from its history) has nothing to
overwrite, so it is never a conflict.
"""

import hashlib

from django import forms
from django.db import router
from django.utils.translation import gettext_lazy as _

TOKEN_FIELD = "opened_token"  # noqa: S105 - a form field's name, not a secret

CONFLICT_MESSAGE = _(
    "%(who)s saved this record (%(what)s) at %(when)s, after you opened it. Open it again to "
    "see their changes, then make yours; nothing was saved."
)


def _latest_history_id(model, pk, database: str):
    attribute = getattr(model._meta, "simple_history_manager_attribute", None)
    if attribute is None:
        return None
    records = getattr(model, attribute).using(database).filter(**{model._meta.pk.attname: pk})
    return records.order_by("-history_id").values_list("history_id", flat=True).first()


def row_token(model, pk, *, lock: bool = False) -> str | None:
    """The token of the stored row `pk`, or None when there is no such row.

    With `lock`, the row stays locked until the surrounding transaction ends; the history is
    read after the lock is granted, so it includes the save that held it.
    """
    # Always the database that is written (never a replica, which may lag behind it), and the
    # same connection as the save's transaction.
    database = router.db_for_write(model)
    rows = model._default_manager.using(database).filter(pk=pk)
    if lock:
        rows = rows.select_for_update()
    names = [field.attname for field in model._meta.concrete_fields]
    stored = rows.values_list(*names).first()
    if stored is None:
        return None
    state = repr((stored, _latest_history_id(model, pk, database)))
    return hashlib.sha256(state.encode()).hexdigest()[:32]


def last_change(model, pk) -> tuple[str, str]:
    """Who saved the record last and when, from its history (if it keeps one)."""
    history = getattr(model(pk=pk), "history", None)
    if history is not None:
        history = history.using(router.db_for_write(model)).select_related("history_user")
    latest = history.first() if history is not None else None
    if latest is None:
        return str(_("Someone")), "?"
    user = latest.history_user
    who = (user.get_full_name() or user.get_username()) if user else str(_("Someone"))
    return who, latest.history_date.strftime("%Y-%m-%d %H:%M UTC")


def conflict_message(model, pk) -> str:
    """The one message every change form gives when it would overwrite a later save."""
    who, when = last_change(model, pk)
    return CONFLICT_MESSAGE % {"who": who, "what": model._meta.verbose_name, "when": when}


class ConflictCheckForm(forms.ModelForm):
    """A ModelForm that refuses to overwrite a change made after it was opened.

    Its `clean()` must run inside the transaction that saves (the admin's change view does;
    EditorAdmin wraps the history page's revert view too), or the lock ends before the write.
    """

    opened_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # The stored row's token, not the instance's: on the history page's revert form the
            # instance is an old copy of the record.
            self.fields[TOKEN_FIELD].initial = row_token(self._meta.model, self.instance.pk)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        current = row_token(self._meta.model, self.instance.pk, lock=True)
        if current is not None and cleaned.get(TOKEN_FIELD) != current:
            raise forms.ValidationError(
                conflict_message(self._meta.model, self.instance.pk), code="conflict"
            )
        return cleaned
