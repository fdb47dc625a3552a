"""The company directory's filter form: which kind of company, in which order."""

from django import forms
from django.utils.translation import gettext_lazy as _

from companies.models import Company

SORTS = {
    "name": _("Name"),
    "deals": _("Most deals"),
    # By the certain amount: an "up to" ceiling is not money yet (pages.companies.SORT_KEYS).
    "paid": _("Most paid out (certain amount)"),
    "received": _("Most received (certain amount)"),
}


class CompanyFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *Company.Kind.choices],
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=list(SORTS.items()))

    def filters(self) -> dict[str, str]:
        """The valid choices, falling back to "all kinds, by name" for anything invalid."""
        if self.is_valid():
            return {"kind": self.cleaned_data["kind"], "sort": self.cleaned_data["sort"] or "name"}
        return {
            "kind": self.cleaned_data.get("kind", ""),
            "sort": self.cleaned_data.get("sort") or "name",
        }
