"""Admin for deals and their sources: an editor enters a deal from a news article.

Each figure is cited inline: pick the article, paste the sentence. Invalid input is refused
by the models' clean() methods, whose messages appear next to the field to fix.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from companies.admin import ArabicAwareAdminMixin, EditorAdmin, companies_matching
from dealwatch.editing import TOKEN_FIELD

from . import admin_users  # noqa: F401 - registers the guarded user admin
from .assistant.admin import ArticleAssistantAdminMixin  # article assistant (add from text)
from .formatting import format_money, format_power
from .models import (
    Article,
    DataCenterCitation,
    DataCenterProject,
    DataCenterStatusChange,
    Deal,
    DealCitation,
    DealStatusChange,
    DealTranche,
    Valuation,
    ValuationCitation,
)
from .selectors.admin_search import TEXT_FIELDS, deal_search, estimated_count
from .services import data_centre_sync_status, deal_sync_status

admin.site.site_header = _("DealWatch admin")
admin.site.site_title = _("DealWatch admin")
admin.site.index_title = _("Data entry")

# Wide where the quote has its own row (stacked), narrow in a table row (tabular).
QUOTE_WIDE = {"rows": 3, "cols": 80, "dir": "auto"}
QUOTE_NARROW = {"rows": 3, "cols": 36, "dir": "auto"}


class CitationInlineMixin(ArabicAwareAdminMixin):
    """Pick the article, paste the exact sentence; a quote not in the article is refused."""

    autocomplete_fields = ["article"]
    extra = 1

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "quote":
            narrow = isinstance(self, admin.TabularInline)
            kwargs["widget"] = forms.Textarea(attrs=QUOTE_NARROW if narrow else QUOTE_WIDE)
        elif isinstance(db_field, models.URLField) and isinstance(self, admin.TabularInline):
            # A plain input: the admin's URL widget repeats the link and overflows a table row.
            kwargs["widget"] = forms.URLInput(attrs={"size": 28})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class DealCitationInline(CitationInlineMixin, admin.StackedInline):
    # Stacked: the quote and what this source reports need more room than a table row.
    model = DealCitation
    fields = [
        "article",
        "quote",
        ("reported_amount_usd", "reported_amount_qualifier"),
        ("reported_power_gw", "reported_power_qualifier"),
    ]


class DealStatusChangeInline(CitationInlineMixin, admin.StackedInline):
    model = DealStatusChange
    fields = [("status", "changed_on", "date_precision"), "article", "quote", "reference_url"]
    extra = 0
    verbose_name_plural = _(
        "Status history (the deal’s status follows the latest entry; a new deal gets its first "
        "entry from its status, date and first citation)"
    )


class DealTrancheInline(CitationInlineMixin, admin.TabularInline):
    model = DealTranche
    fields = ["amount_usd", "amount_qualifier", "paid_on", "date_precision", "reference_url"]
    autocomplete_fields = []
    extra = 0


class PartySearchMixin:
    """Search that also finds rows by a party's name in any spelling (via CompanyAlias)."""

    party_fields: tuple[str, ...] = ()
    word_fields: tuple[str, ...] = ()

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        by_fields, _duplicates = super().get_search_results(
            request, self.model._default_manager.all(), search_term
        )
        condition = Q(pk__in=by_fields.values("pk")) | self._names(search_term)
        words = search_term.split()
        if len(words) > 1:
            # "anthropic amazon": every word names a party or appears in the text.
            every_word = Q()
            for word in words:
                in_text = Q()
                for field in self.word_fields:
                    in_text |= Q(**{f"{field}__icontains": word})
                every_word &= self._names(word) | in_text
            condition |= every_word
        return queryset.filter(condition), False

    def _names(self, term: str) -> Q:
        companies = companies_matching(term)
        condition = Q()
        for field in self.party_fields:
            condition |= Q(**{f"{field}__in": companies})
        return condition


class EstimatedCountPaginator(Paginator):
    """Page links from PostgreSQL's estimate when a result is large (`estimated_count`)."""

    @cached_property
    def count(self):
        return estimated_count(self.object_list)


class DealChangeList(ChangeList):
    """The deal list; while searching, without the date drill-down, whose first and last
    dates and list of years read every match (seconds for a hub company at a million)."""

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        if self.query.strip():
            self.date_hierarchy = None


@admin.register(Deal)
class DealAdmin(EditorAdmin):
    list_display = [
        "__str__",
        "amount",
        "power",
        "status",
        "announced_on",
        "runs_on",
        "citation_count",
    ]
    list_filter = [
        "deal_type",
        "status",
        "amount_qualifier",
        "cloud",
        "chip_platforms",
        "date_precision",
    ]
    list_select_related = ["payer", "payee", "cloud"]
    date_hierarchy = "announced_on"
    # What the search box reads besides the parties' names (see `get_search_results`).
    search_fields = list(TEXT_FIELDS)
    search_help_text = _(
        "A company in any spelling or script (e.g. انثروبيك), a deal’s number or id, or "
        "words of its summary (three letters or more)."
    )
    autocomplete_fields = ["payer", "payee", "cloud", "chip_platforms", "data_center"]
    inlines = [DealCitationInline, DealStatusChangeInline, DealTrancheInline]
    fieldsets = [
        (None, {"fields": ["deal_type", ("payer", "payee"), "slug", TOKEN_FIELD]}),
        (
            _("Figures"),
            {
                "fields": [
                    ("amount_usd", "amount_qualifier"),
                    ("power_gw", "power_qualifier"),
                    "term_years",
                ]
            },
        ),
        (
            _("Dates and status"),
            {"fields": [("announced_on", "date_precision"), ("starts_on", "ends_on"), "status"]},
        ),
        (_("Runs on"), {"fields": ["cloud", "chip_platforms", "data_center"]}),
        (_("Summary"), {"fields": ["summary", "summary_ar", "reference_url"]}),
    ]

    # At a million deals a second full COUNT(*) per filtered page costs more than it tells.
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def get_changelist(self, request, **kwargs):
        return DealChangeList

    def get_queryset(self, request):
        # A subquery per deal shown, not a JOIN and GROUP BY over every deal: the grouped
        # version made each change list, its count and its date drill-down read every deal and
        # citation (13 s at 1M deals on PostgreSQL).
        citations = (
            DealCitation.objects.filter(deal=OuterRef("pk"))
            .order_by()
            .values("deal")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(citation_total=Coalesce(Subquery(citations), 0))
            .prefetch_related("chip_platforms")
        )

    def get_search_results(self, request, queryset, search_term):
        # Companies resolved first, then one flat condition along indexes: Django's search
        # (a subquery per field and word) read every deal at a million (deals/selectors/
        # admin_search.py). No joins, so no duplicate rows to remove.
        if not search_term.strip():
            return queryset, False
        return queryset.filter(deal_search(search_term)), False

    def get_readonly_fields(self, request, obj=None):
        # Once a deal has a history, its status is the history's latest entry: edit that.
        if obj is not None and obj.status_history.exists():
            return [*super().get_readonly_fields(request, obj), "status"]
        return super().get_readonly_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            # The form's conflict check holds the row locked: no one saves in between. A
            # deleted deal, restored, continues from its last recorded version.
            saved = Deal.objects.filter(pk=obj.pk).values_list("version", flat=True).first()
            if saved is None:
                saved = Deal.history.filter(id=obj.pk).aggregate(last=Max("version"))["last"]
            obj.version = max(obj.version, saved or 0) + 1
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        deal_sync_status(deal=form.instance)

    @admin.display(description=_("amount"), ordering="amount_usd")
    def amount(self, deal):
        return format_money(deal.amount_usd, deal.amount_qualifier)

    @admin.display(description=_("power"), ordering="power_gw")
    def power(self, deal):
        return format_power(deal.power_gw, deal.power_qualifier) or "–"

    @admin.display(description=_("runs on"))
    def runs_on(self, deal):
        names = [str(deal.cloud)] if deal.cloud else []
        names += [str(chip) for chip in deal.chip_platforms.all()]
        return ", ".join(names) or "–"

    @admin.display(description=_("citations"), ordering="citation_total")
    def citation_count(self, deal):
        return deal.citation_total


@admin.register(Article)
class ArticleAdmin(ArticleAssistantAdminMixin, EditorAdmin):  # + "add from text" and review
    list_display = ["title", "language", "published_on", "slug", "citation_count"]
    list_filter = ["language"]
    date_hierarchy = "published_on"
    search_fields = ["title", "slug", "body", "source_file"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["added_at"]
    fields = ["title", "slug", "language", "published_on", "url", "source_file", "body", "added_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_total=Count("dealcitations"))

    @admin.display(description=_("deal citations"), ordering="citation_total")
    def citation_count(self, article):
        return article.citation_total


class DataCenterCitationInline(CitationInlineMixin, admin.TabularInline):
    model = DataCenterCitation
    fields = ["article", "quote"]


class DataCenterStatusChangeInline(CitationInlineMixin, admin.StackedInline):
    model = DataCenterStatusChange
    fields = [("status", "changed_on", "date_precision"), "article", "quote", "reference_url"]
    extra = 0
    verbose_name_plural = _(
        "Status history (the site’s status follows the latest entry; each entry is dated at the "
        "precision its source gives and cited)"
    )


@admin.register(DataCenterProject)
class DataCenterProjectAdmin(PartySearchMixin, EditorAdmin):
    list_display = ["name", "operator", "location", "power", "status", "online_on"]
    list_filter = ["status", "power_qualifier", "location_precision", "country"]
    list_select_related = ["operator"]
    search_fields = ["name", "name_ar", "slug", "location", "location_ar", "state", "state_ar"]
    party_fields = ("operator", "tenants")
    word_fields = ("name", "name_ar", "location", "location_ar", "state", "state_ar")
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["operator", "tenants", "chip_platforms", "location_article"]
    inlines = [DataCenterCitationInline, DataCenterStatusChangeInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("name", "name_ar"),
                    "aliases",
                    "slug",
                    "operator",
                    "tenants",
                    ("power_gw", "power_qualifier"),
                    "chip_platforms",
                    ("status", "online_on"),
                    "reference_url",
                ]
            },
        ),
        (
            _("Location"),
            {
                "description": _(
                    "Place the site only as precisely as a source says: a site known only to "
                    "its state gets the state’s coordinates and the precision “state or region”."
                ),
                "fields": [
                    ("location", "location_ar"),
                    ("state", "state_ar"),
                    ("country", "country_ar"),
                    ("latitude", "longitude", "location_precision"),
                    ("location_article", "location_quote"),
                    "location_reference_url",
                ],
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Once a site has a history, its status is the history's latest entry: edit that.
        if obj is not None and obj.status_history.exists():
            return [*super().get_readonly_fields(request, obj), "status"]
        return super().get_readonly_fields(request, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        data_centre_sync_status(site=form.instance)

    @admin.display(description=_("power"), ordering="power_gw")
    def power(self, project):
        return format_power(project.power_gw, project.power_qualifier) or "–"


class ValuationCitationInline(CitationInlineMixin, admin.TabularInline):
    model = ValuationCitation
    fields = ["article", "quote"]


@admin.register(Valuation)
class ValuationAdmin(PartySearchMixin, EditorAdmin):
    list_display = ["company", "amount", "as_of", "is_projection"]
    list_filter = ["amount_qualifier", "is_projection"]
    list_select_related = ["company"]
    date_hierarchy = "as_of"
    search_fields = ["company__slug"]
    party_fields = ("company",)
    autocomplete_fields = ["company"]
    inlines = [ValuationCitationInline]
    fields = [
        "company",
        ("amount_usd", "amount_qualifier"),
        ("as_of", "date_precision"),
        "is_projection",
        "reference_url",
    ]

    @admin.display(description=_("valuation"), ordering="amount_usd")
    def amount(self, valuation):
        return format_money(valuation.amount_usd, valuation.amount_qualifier)
