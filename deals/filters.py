"""The deal filters every page shares: the timeline, the graph, the overview and the export.

Query parameters use the export's ids: `?company=anthropic&role=investee&cloud=azure`.
A value that cannot be understood is left out of the filtering and reported as a form error,
so a mistyped link still shows deals (all of them) together with what was wrong.

What the form offers (the clouds, the chips, the companies suggested) is read by the page
that shows it, which caches it, and handed to `DealFilter`; nothing here reads the cache.
"""

import re
from decimal import Decimal, InvalidOperation

import django_filters
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from companies.models import ChipPlatform, CloudPlatform, Company

from .formatting import ROLE_WORDS
from .models import Deal, DealStatus, DealType
from .selectors.timeline import filter_choices, top_companies

# The roles (deals.models.PARTY_ROLES) a visitor can filter by: chip deals are found by type.
ROLE_CHOICES = [(role, ROLE_WORDS[role]) for role in ("investor", "investee", "buyer", "provider")]

_SCALES = {"": 1, "K": 10**3, "M": 10**6, "B": 10**9, "T": 10**12}
_AMOUNT = re.compile(r"^\$?\s*(?P<number>-?[0-9][0-9,]*(?:\.[0-9]+)?)\s*(?P<scale>[KMBT]?)$")


class AmountField(forms.CharField):
    """A USD amount typed the way people write it: "10000000000", "10B", "$500M", "1.5T"."""

    default_error_messages = {
        "invalid": _("Enter an amount in US dollars, such as 500M or 10B."),
        "negative": _("The amount cannot be negative."),
    }

    def to_python(self, value):
        text = super().to_python(value).strip().upper().replace(" ", "")
        if not text:
            return None
        match = _AMOUNT.match(text)
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            number = Decimal(match["number"].replace(",", ""))
        except InvalidOperation as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error
        if number < 0:
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        return number * _SCALES[match["scale"]]


class AmountFilter(django_filters.Filter):
    field_class = AmountField


class CompanyInput(forms.TextInput):
    """A text box for a company, with the most active companies offered as suggestions.

    A <select> of every company weighs 100 KB at a few thousand companies; this box accepts
    the company's id or any of its names, and its <datalist> lists only the top companies.
    """

    template_name = "deals/widgets/company_input.html"

    def __init__(self, attrs=None, suggestions=()):
        defaults = {"dir": "auto", "spellcheck": "false", "autocomplete": "off"}
        super().__init__(defaults | (attrs or {}))
        # Companies, given by the filter (`DealFilter(company_suggestions=...)`).
        self.suggestions = suggestions

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs']['id']}-suggestions"
        context["suggestions"] = self.suggestions
        return context


class CompanyField(forms.CharField):
    """A company given by its id (`anthropic`) or any spelling of its name (`أنثروبيك`)."""

    widget = CompanyInput
    default_error_messages = {
        "invalid_choice": _("There is no company with the id “%(value)s”."),
    }

    def __init__(self, *, queryset=None, to_field_name=None, empty_label=None, **kwargs):
        # Accepts ModelChoiceFilter's arguments so the filter below can pass them through.
        super().__init__(**kwargs)
        self.chosen = None

    def to_python(self, value):
        text = super().to_python(value).strip()
        if not text:
            return None
        # Checked before the lookup (a NUL would otherwise be folded away by the name search).
        ProhibitNullCharactersValidator()(text)
        company = Company.objects.filter(slug=text).first() or Company.objects.resolve(text)
        if company is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": text},
            )
        self.chosen = company
        return company

    def prepare_value(self, value):
        """The box shows the chosen company's name, whichever spelling or id was sent."""
        if self.chosen is not None and value is not None:
            return self.chosen.display_name
        if isinstance(value, Company):
            return value.display_name
        return value


class CompanyFilter(django_filters.Filter):
    field_class = CompanyField


class DealFilterForm(forms.Form):
    """Checks that need two fields, and repeated parameters, which a Select silently drops."""

    def clean(self):
        cleaned = super().clean()
        for name in self.fields:
            if hasattr(self.data, "getlist") and len(self.data.getlist(name)) > 1:
                self.add_error(
                    name,
                    _("Give one value for “%(name)s”, not several.") % {"name": name},
                )
        if cleaned.get("role") and not cleaned.get("company"):
            self.add_error(
                "role", _("A role only makes sense with a company: choose a company as well.")
            )
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error("to", _("The end date is before the start date."))
            cleaned.pop("from", None)
        return cleaned


def _date_filter(lookup_expr: str, label):
    return django_filters.DateFilter(
        field_name="announced_on",
        lookup_expr=lookup_expr,
        label=label,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD, for example 2025-10-01.")},
    )


class DealFilter(django_filters.FilterSet):
    company = CompanyFilter(
        label=_("Company"),
        method="filter_company",
        widget=CompanyInput(attrs={"placeholder": _("Any company: name or id")}),
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"),
        choices=ROLE_CHOICES,
        method="filter_role",
        empty_label=_("Any role"),
        error_messages={"invalid_choice": _("“%(value)s” is not a role.")},
    )
    type = django_filters.ChoiceFilter(
        label=_("Type"),
        field_name="deal_type",
        method="filter_type",
        choices=DealType.choices,
        empty_label=_("Any type"),
        error_messages={"invalid_choice": _("“%(value)s” is not a deal type.")},
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=DealStatus.choices,
        empty_label=_("Any status"),
        error_messages={"invalid_choice": _("“%(value)s” is not a status.")},
    )
    cloud = django_filters.ModelChoiceFilter(
        label=_("Cloud"),
        queryset=CloudPlatform.objects.all(),
        method="filter_cloud",
        to_field_name="slug",
        empty_label=_("Any cloud"),
        error_messages={"invalid_choice": _("There is no cloud with the id “%(value)s”.")},
    )
    chip = django_filters.ModelChoiceFilter(
        label=_("Chips"),
        field_name="chip_platforms",
        queryset=ChipPlatform.objects.all(),
        method="filter_chip",
        to_field_name="slug",
        empty_label=_("Any chips"),
        error_messages={"invalid_choice": _("There are no chips with the id “%(value)s”.")},
    )
    # "from" is a Python keyword, so the two date filters go into the class namespace by name.
    locals()["from"] = _date_filter("gte", _("From"))
    locals()["to"] = _date_filter("lte", _("To"))
    min_amount = AmountFilter(
        label=_("Minimum amount (USD)"),
        field_name="amount_usd",
        lookup_expr="gte",
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 1B"), "inputmode": "decimal"}),
    )

    class Meta:
        model = Deal
        fields = []
        form = DealFilterForm

    def __init__(
        self,
        data=None,
        queryset=None,
        *,
        model_choices: dict[str, list[tuple[str, str]]] | None = None,
        company_suggestions: list[Company] | None = None,
        **kwargs,
    ):
        """`model_choices` (`selectors.timeline.filter_choices()`) and `company_suggestions`
        (`top_companies()`) are what the form offers; a page passes them cached. Left out, the
        form reads them itself when it is first used (three queries)."""
        super().__init__(data, queryset, **kwargs)
        self._model_choices = model_choices
        self._company_suggestions = company_suggestions

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            model_choices = self._model_choices
            if model_choices is None:
                model_choices = filter_choices()
            for name, choices in model_choices.items():
                # Only what the <select> lists: a value sent is still looked up by its field.
                field = form.fields[name]
                field.widget.choices = [("", str(field.empty_label)), *choices]
            suggestions = self._company_suggestions
            form.fields["company"].widget.suggestions = (
                top_companies() if suggestions is None else suggestions
            )
        return self._form

    def filter_company(self, queryset, name, company):
        return queryset.involving(company, self.form.cleaned_data.get("role") or None)

    def filter_type(self, queryset, name, deal_type):
        return queryset.of_type(deal_type)

    def filter_cloud(self, queryset, name, cloud):
        return queryset.runs_on(cloud=cloud)

    def filter_chip(self, queryset, name, chip):
        return queryset.runs_on(chip=chip)

    def split_by_side(self) -> list:
        """`qs` as disjoint querysets that each read one index range, for the timeline.

        "Deals of Anthropic" is `payer = anthropic OR payee = anthropic`; sorted by date, an OR
        makes the database collect and sort every deal of the company (a hub has a hundred
        thousand), while each side alone walks the (payer, date) or (payee, date) index.
        """
        if not self.is_bound or not self.form.is_valid() and "company" in self.form.errors:
            return [self.qs]
        cleaned = self.form.cleaned_data
        company = cleaned.get("company")
        if company is None or cleaned.get("role"):
            return [self.qs]
        rest = self.queryset.all()
        for name, value in cleaned.items():
            if name not in ("company", "role") and name in self.filters:
                rest = self.filters[name].filter(rest, value)
        return [rest.filter(payer=company), rest.filter(payee=company)]

    def filter_role(self, queryset, name, role):
        # Applied together with the company in `filter_company`.
        return queryset

    @property
    def error_messages(self) -> list[str]:
        """Each problem as one sentence naming the filter: "Company: There is no company …"."""
        if not self.is_bound or self.form.is_valid():
            return []
        messages = []
        for name, errors in self.form.errors.items():
            label = self.form.fields[name].label if name in self.form.fields else ""
            value = self.data.get(name, "")
            if label and value and len(value) <= 40:
                # A date input cannot show an impossible date, so the message repeats it.
                label = f"{label} (“{value}”)"
            for error in errors:
                messages.append(f"{label}: {error}" if label else str(error))
        return messages

    @property
    def active_params(self) -> dict[str, str]:
        """The valid, non-empty filters as query parameters (for links and the pushed URL)."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        params = {}
        for name in self.filters:
            value = self.form.cleaned_data.get(name)
            if value in (None, ""):
                continue
            # A company typed by name is linked by its id.
            params[name] = value.slug if isinstance(value, Company) else self.data.get(name)
        return params
