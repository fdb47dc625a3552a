"""Admin for companies, clouds and chips: found by any spelling, in either script."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models, router, transaction
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from dealwatch.editing import TOKEN_FIELD, ConflictCheckForm

from .models import ChipPlatform, CloudPlatform, Company, CompanyAlias
from .text import compact_name


class ArabicAwareAdminMixin:
    """Text inputs take `dir="auto"`, so Arabic names and quotes read right to left."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            # A pasted "example.com/article" is read as https, as Django 6 will.
            kwargs.setdefault("assume_scheme", "https")
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(field.widget, forms.TextInput | forms.Textarea):
            field.widget.attrs.setdefault("dir", "auto")
        return field


class EditorAdmin(ArabicAwareAdminMixin, SimpleHistoryAdmin):
    """The base of every DealWatch admin page: Arabic-aware inputs, a change history, and a
    change form that refuses to overwrite a save made after it was opened."""

    form = ConflictCheckForm

    def get_fieldsets(self, request, obj=None):
        # The conflict token must be sent back with the form: an admin that lists its own
        # fields or fieldsets gets it appended to the first (it is a hidden input).
        fieldsets = super().get_fieldsets(request, obj)
        if TOKEN_FIELD in admin.utils.flatten_fieldsets(fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], TOKEN_FIELD]}), *rest]

    def _may_not_restore(self, request, object_id) -> bool:
        # Restoring a deleted record undoes a deletion: only for those who may delete.
        stored = self.model._default_manager.using(router.db_for_write(self.model))
        deleted = not stored.filter(pk=object_id).exists()
        return deleted and not self.has_delete_permission(request)

    def revert_disabled(self, request, obj=None):
        if obj is not None and self._may_not_restore(request, obj.pk):
            return True
        return super().revert_disabled(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # One transaction, as for the change form: the conflict check's row lock must last
        # until the revert is written.
        with transaction.atomic(using=router.db_for_write(self.model)):
            if request.method == "POST" and self._may_not_restore(
                request, admin.utils.unquote(object_id)
            ):
                raise PermissionDenied
            return super().history_form_view(request, object_id, version_id, extra_context)


def companies_matching(term: str) -> models.QuerySet:
    """Primary keys of companies any of whose spellings contains `term` once folded."""
    key = compact_name(term)
    if not key:
        return Company.objects.none().values("pk")
    return CompanyAlias.objects.filter(compact__contains=key).values("company_id")


class CompanyAliasFormSet(forms.BaseInlineFormSet):
    """Refuses two spellings that fold to the same key, which the database would reject."""

    def clean(self):
        super().clean()
        company = self.instance
        official = {
            compact_name(spelling): spelling
            for spelling in (company.name, company.name_ar)
            if spelling and compact_name(spelling)
        }
        seen = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            spelling = form.cleaned_data.get("name")
            if not spelling:
                continue
            key = compact_name(spelling)
            # An unchanged alias of this company is already stored under its key.
            if form.instance.pk and not form.has_changed():
                seen.setdefault(key, spelling)
                continue
            if key in official:
                form.add_error(
                    "name",
                    _("“%(alias)s” is the company’s own name “%(name)s”, which is always found.")
                    % {"alias": spelling, "name": official[key]},
                )
            elif key in seen:
                form.add_error(
                    "name",
                    _("“%(alias)s” is the same spelling as “%(other)s” once folded; keep one.")
                    % {"alias": spelling, "other": seen[key]},
                )
            else:
                seen[key] = spelling


class CompanyAliasInline(ArabicAwareAdminMixin, admin.TabularInline):
    model = CompanyAlias
    formset = CompanyAliasFormSet
    fields = ["name"]
    extra = 1
    verbose_name = _("other spelling")
    verbose_name_plural = _(
        "Other spellings (the official names are added automatically; "
        "hamza, taa marbuta, diacritics, case and spaces need no separate entry)"
    )


class CompanySearchMixin:
    """Search that folds spelling variants: "انثروبيك" and "ANTHROPIC" both find Anthropic."""

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        # Django's word-by-word search over search_fields, on the plain table so the
        # changelist's annotations stay out of the subquery...
        by_fields, _duplicates = super().get_search_results(
            request, self.model._default_manager.all(), search_term
        )
        # ...or any alias containing the folded term.
        return (
            queryset.filter(
                Q(pk__in=by_fields.values("pk")) | Q(pk__in=companies_matching(search_term))
            ),
            False,
        )


def deal_count_of(relation: str):
    """The number of deals the outer company is on one side of: `relation` is the reverse
    relation of that side ("deals_paid" or "deals_received"), so this app need not know the
    deals app."""
    rel = Company._meta.get_field(relation)
    side = rel.field.name
    counted = (
        rel.related_model._default_manager.filter(**{side: OuterRef("pk")})
        .order_by()
        .values(side)
        .annotate(total=Count("*"))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@admin.register(Company)
class CompanyAdmin(CompanySearchMixin, EditorAdmin):
    list_display = ["name", "name_ar", "kind", "parent", "slug", "deal_count"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    ordering = ["name"]
    search_fields = ["name", "name_ar", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [CompanyAliasInline]
    fields = ["name", "name_ar", "slug", "kind", "parent", "website"]

    def get_queryset(self, request):
        # One counted subquery per side, each read along its (payer|payee, date) index. Joining
        # both relations and counting distinct rows multiplies a hub's paid × received deals.
        return (
            super()
            .get_queryset(request)
            .annotate(paid=deal_count_of("deals_paid"), received=deal_count_of("deals_received"))
        )

    @admin.display(description=_("deals"))
    def deal_count(self, company):
        return company.paid + company.received


class PlatformAdmin(EditorAdmin):
    search_fields = ["name", "name_ar", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_search_results(self, request, queryset, search_term):
        by_fields, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not search_term.strip():
            return by_fields, may_have_duplicates
        # Platforms are few and keep their spellings in a JSON list: fold them in Python.
        by_alias = [p.pk for p in queryset.model.objects.all().matching(search_term)]
        return queryset.filter(Q(pk__in=by_fields.values("pk")) | Q(pk__in=by_alias)), False


@admin.register(CloudPlatform)
class CloudPlatformAdmin(PlatformAdmin):
    list_display = ["name", "name_ar", "operator", "slug"]
    list_select_related = ["operator"]
    autocomplete_fields = ["operator"]
    fields = ["name", "name_ar", "slug", "operator", "aliases"]


@admin.register(ChipPlatform)
class ChipPlatformAdmin(PlatformAdmin):
    list_display = ["name", "name_ar", "kind", "vendor", "slug"]
    list_filter = ["kind"]
    list_select_related = ["vendor"]
    autocomplete_fields = ["vendor"]
    fields = ["name", "name_ar", "slug", "kind", "vendor", "aliases"]
