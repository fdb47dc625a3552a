"""Forms of the article assistant: the article to read, and one review form per draft."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from companies.models import ChipPlatform, CloudPlatform, Company
from deals.extraction.reading import MAX_BYTES, UnreadableArticle, check_size, decode_article
from deals.models import Article, DatePrecision, Deal, DealStatus, DealType, Qualifier

from .services import NewCompany, ReportedFigures, ReviewedDeal, default_title, detect_language
from .services import name_fields as raw_name_fields

AUTO = {"dir": "auto"}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ShowsServiceErrors:
    """A service's refusal (`ValidationError`, with or without fields) shown on the form: next
    to the field it names, under the form's name for it, or above the form."""

    def form_field_for(self, name: str) -> str:
        return name

    def add_errors(self, error: ValidationError):
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, messages in error.error_dict.items():
            field = self.form_field_for(name)
            self.add_error(field if field in self.fields else None, messages)


class ArticleTextForm(ShowsServiceErrors, forms.Form):
    """Paste the text or upload a .txt file; title, language and date are filled in if left."""

    body = forms.CharField(
        label=_("Article text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 90, "dir": "auto"}),
        help_text=_("Paste the whole article, in Arabic or English, exactly as published."),
    )
    file = forms.FileField(
        label=_("…or a text file"),
        required=False,
        help_text=_("UTF-8 or Windows-1256 (Arabic), at most 1 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,text/plain"}),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"size": 80, **AUTO}),
        help_text=_("Left empty, the first line of the text is the title."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Detect from the text")), *Article.Language.choices],
    )
    published_on = forms.DateField(label=_("Published on"), required=False, widget=DATE)
    url = forms.URLField(
        label=_("URL"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"size": 80}),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        try:
            check_size(upload.size)
            text, encoding = decode_article(upload.read())
        except UnreadableArticle as error:
            raise ValidationError(
                _("“%(name)s”: %(problem)s") % {"name": upload.name, "problem": error}
            ) from error
        self.encoding = encoding
        return {"name": upload.name, "text": text}

    def clean(self):
        cleaned = super().clean()
        body = (cleaned.get("body") or "").replace("\r\n", "\n")  # browsers send CRLF
        upload = cleaned.get("file")
        if "file" in self.errors:
            return cleaned
        if body and upload:
            raise ValidationError(_("Paste the text or choose a file, not both."))
        if not body and not upload:
            raise ValidationError(_("Paste the article’s text or choose a text file."))
        if body and len(body.encode("utf-8", "surrogatepass")) > MAX_BYTES:
            self.add_error("body", _("The text is over 1 MB; articles that long are refused."))
            return cleaned
        text = upload["text"] if upload else body
        cleaned["text"] = text
        cleaned["source_file"] = upload["name"] if upload else ""
        cleaned["title"] = cleaned.get("title") or default_title(text)
        cleaned["language"] = cleaned.get("language") or detect_language(text)
        return cleaned

    def form_field_for(self, name: str) -> str:
        # The article's text and file name are the upload's when a file was chosen.
        if name in ("body", "source_file", NON_FIELD_ERRORS) and self.cleaned_data.get(
            "source_file"
        ):
            return "file"
        return name


def _autocomplete(field_name: str, multiple: bool = False):
    widget = AutocompleteSelectMultiple if multiple else AutocompleteSelect
    return widget(Deal._meta.get_field(field_name), admin.site, attrs={"data-width": "100%"})


class DraftReviewForm(ShowsServiceErrors, forms.Form):
    """One draft as the editor corrects it. `action` is accept, cite or reject."""

    deal_type = forms.ChoiceField(label=_("Type"), choices=DealType.choices)
    payer = forms.ModelChoiceField(
        label=_("From (investor or buyer)"),
        queryset=Company.objects.all(),
        required=False,
        widget=_autocomplete("payer"),
    )
    payer_new_name = forms.CharField(label=_("English name"), required=False, max_length=200)
    payer_new_name_ar = forms.CharField(label=_("Arabic name"), required=False, max_length=200)
    payer_new_kind = forms.ChoiceField(
        label=_("Kind"), choices=Company.Kind.choices, initial=Company.Kind.OTHER, required=False
    )
    payee = forms.ModelChoiceField(
        label=_("To (investee or provider)"),
        queryset=Company.objects.all(),
        required=False,
        widget=_autocomplete("payee"),
    )
    payee_new_name = forms.CharField(label=_("English name"), required=False, max_length=200)
    payee_new_name_ar = forms.CharField(label=_("Arabic name"), required=False, max_length=200)
    payee_new_kind = forms.ChoiceField(
        label=_("Kind"), choices=Company.Kind.choices, initial=Company.Kind.OTHER, required=False
    )
    amount_usd = forms.DecimalField(
        label=_("Amount (USD)"), required=False, max_digits=18, decimal_places=2
    )
    amount_qualifier = forms.ChoiceField(label=_("Amount qualifier"), choices=Qualifier.choices)
    power_gw = forms.DecimalField(
        label=_("Power (GW)"), required=False, max_digits=9, decimal_places=3
    )
    power_qualifier = forms.ChoiceField(label=_("Power qualifier"), choices=Qualifier.choices)
    term_years = forms.IntegerField(
        label=_("Term (years)"), required=False, min_value=0, max_value=100
    )
    status = forms.ChoiceField(label=_("Status"), choices=DealStatus.choices)
    cloud = forms.ModelChoiceField(
        label=_("Cloud"),
        queryset=CloudPlatform.objects.all(),
        required=False,
        widget=_autocomplete("cloud"),
    )
    chips = forms.ModelMultipleChoiceField(
        label=_("Chips"),
        queryset=ChipPlatform.objects.all(),
        required=False,
        widget=_autocomplete("chip_platforms", multiple=True),
    )
    announced_on = forms.DateField(label=_("Date"), required=False, widget=DATE)
    date_precision = forms.ChoiceField(label=_("Precision"), choices=DatePrecision.choices)
    quote = forms.CharField(
        label=_("Quote"),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("The sentence exactly as the article writes it."),
    )

    def __init__(self, *args, view=None, article=None, **kwargs):
        if view is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(view, article)
        super().__init__(*args, **kwargs)
        for name in ("payer_new_name", "payee_new_name"):
            self.fields[name].widget.attrs.update({"size": 24})
        for name in ("payer_new_name_ar", "payee_new_name_ar"):
            self.fields[name].widget.attrs.update({"size": 24, "dir": "rtl"})

    def _party(self, role: str) -> Company | NewCompany | None:
        chosen = self.cleaned_data.get(role)
        if chosen is not None:
            return chosen
        name = self.cleaned_data.get(f"{role}_new_name", "")
        name_ar = self.cleaned_data.get(f"{role}_new_name_ar", "")
        if not (name or name_ar):
            return None
        return NewCompany(
            name=name,
            name_ar=name_ar,
            kind=self.cleaned_data.get(f"{role}_new_kind") or Company.Kind.OTHER,
        )

    def reported(self) -> ReportedFigures:
        data = self.cleaned_data
        return ReportedFigures(
            quote=data["quote"],
            amount_usd=data.get("amount_usd"),
            amount_qualifier=data["amount_qualifier"],
            power_gw=data.get("power_gw"),
            power_qualifier=data["power_qualifier"],
        )

    def reviewed(self) -> ReviewedDeal:
        data = self.cleaned_data
        return ReviewedDeal(
            **vars(self.reported()),
            deal_type=data["deal_type"],
            payer=self._party("payer"),
            payee=self._party("payee"),
            term_years=data.get("term_years"),
            status=data["status"],
            cloud=data.get("cloud"),
            chips=list(data.get("chips") or []),
            announced_on=data.get("announced_on"),
            date_precision=data["date_precision"],
        )


def initial_for(view, article: Article) -> dict:
    """The review form as the extractor filled it: resolved companies preselected, unknown
    names as a new company's English or Arabic name, the date the article gives (else its
    own date)."""
    proposal = view.proposal
    initial = {
        "deal_type": proposal.get("type"),
        "payer": view.payer,
        "payee": view.payee,
        "amount_usd": proposal.get("amount_usd"),
        "amount_qualifier": proposal.get("amount_qualifier"),
        "power_gw": proposal.get("power_gw"),
        "power_qualifier": proposal.get("power_qualifier"),
        "term_years": proposal.get("term_years"),
        "status": proposal.get("status"),
        "cloud": view.cloud,
        "chips": view.chips,
        # The date the article gives for the deal, else the article's own (to the month).
        "announced_on": proposal.get("announced_on") or article.published_on,
        "date_precision": (
            proposal.get("date_precision", DatePrecision.DAY)
            if proposal.get("announced_on")
            else DatePrecision.MONTH
        ),
        "quote": view.draft.quote,
    }
    for role, company in (("payer", view.payer), ("payee", view.payee)):
        if company is None and proposal.get(f"{role}_name"):
            for key, value in raw_name_fields(proposal[f"{role}_name"]).items():
                initial[f"{role}_new_{key}"] = value
    return initial
