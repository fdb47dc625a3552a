"""The filters of the data-centre list: `?operator=amazon&chip=trainium2&sort=power`.

Like the deal filters (deals/filters.py), a value that cannot be used is left out and said in
words, so a mistyped link still lists sites, together with what was wrong; nothing here
raises. What the form offers is read by the page (and cached there) and handed in.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from deals.models import DataCenterProject
from deals.selectors.datacentres import SiteFilters
from dealwatch.language import reader_is_arabic

SORTS = [
    ("power", _("Power, largest first")),
    ("-power", _("Power, smallest first")),
    ("name", pgettext_lazy("sort order", "Name")),
]
# Query parameter -> (label, the words for a value it cannot use).
_REFUSALS = {
    "operator": _("There is no data-centre operator with the id “%(value)s”."),
    "tenant": _("No data centre has a tenant with the id “%(value)s”."),
    "chip": _("No data centre runs a chip platform with the id “%(value)s”."),
    "status": _("“%(value)s” is not a status of a data centre."),
    "country": _("No data centre is in a country called “%(value)s”."),
    "state": _("No data centre is in a state or region called “%(value)s”."),
    "sort": _("The list cannot be sorted by “%(value)s”."),
}


class SiteFilterForm(forms.Form):
    operator = forms.ChoiceField(label=_("Operator"), required=False)
    tenant = forms.ChoiceField(label=_("Tenant"), required=False)
    chip = forms.ChoiceField(label=_("Chips"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    state = forms.ChoiceField(label=_("State or region"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORTS)

    def __init__(self, data=None, *, choices: dict, language: str | None = None):
        super().__init__(data)
        self.choices = choices
        arabic = reader_is_arabic(language)
        any_value = [("", _("Any"))]
        named = lambda items: [(item.slug, item.display_name) for item in items]  # noqa: E731
        placed = lambda pairs: [(en, (ar or en) if arabic else en) for en, ar in pairs]  # noqa: E731
        self.fields["operator"].choices = any_value + named(choices["operators"])
        self.fields["tenant"].choices = any_value + named(choices["tenants"])
        self.fields["chip"].choices = any_value + named(choices["chips"])
        self.fields["status"].choices = any_value + list(DataCenterProject.Status.choices)
        self.fields["country"].choices = any_value + placed(choices["countries"])
        self.fields["state"].choices = any_value + placed(choices["states"])
        for name, field in self.fields.items():
            field.error_messages["invalid_choice"] = _REFUSALS[name]
            field.widget.attrs["dir"] = "auto"

    @property
    def problems(self) -> list[str]:
        """Each refused value in words; the other filters still apply."""
        if not self.is_bound or self.is_valid():
            return []
        return [message for errors in self.errors.values() for message in errors]

    def site_filters(self) -> SiteFilters:
        """The usable values as the selector's filters; a refused one means "any"."""
        if not self.is_bound:
            return SiteFilters()
        self.is_valid()
        value = lambda name: self.cleaned_data.get(name) or ""  # noqa: E731
        by_slug = lambda items, slug: next((i for i in items if i.slug == slug), None)  # noqa: E731
        return SiteFilters(
            operator=by_slug(self.choices["operators"], value("operator")),
            tenant=by_slug(self.choices["tenants"], value("tenant")),
            chip=by_slug(self.choices["chips"], value("chip")),
            status=value("status"),
            country=value("country"),
            state=value("state"),
            order=value("sort") or "power",
        )

    def canonical(self) -> list[tuple[str, str]]:
        """The usable, non-empty values in field order: a cache key part."""
        if not self.is_bound:
            return []
        self.is_valid()
        return [
            (name, self.cleaned_data[name]) for name in self.fields if self.cleaned_data.get(name)
        ]
