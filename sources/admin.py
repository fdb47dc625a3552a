from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from deals.models import DealDraft

from .models import ArticleReview, InboxArticle, Source, SourceItem


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "language", "active", "checked_at", "failures", "last_error"]
    list_filter = ["active", "language"]
    search_fields = ["name", "feed_url", "page_url"]
    readonly_fields = ["checked_at", "failures", "last_error", "retry_after"]

    @admin.display(description=_("URL"))
    def url(self, source):
        return source.url


@admin.register(SourceItem)
class SourceItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "source", "status", "attempts", "article", "seen_at"]
    list_filter = ["status", "source"]
    search_fields = ["url", "title"]
    list_select_related = ["source", "article"]
    readonly_fields = [f.name for f in SourceItem._meta.fields]

    def has_add_permission(self, request):
        return False


class InboxStateFilter(admin.SimpleListFilter):
    """The inbox opens on the new articles; reviewed and ignored ones are a click away."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [*ArticleReview.State.choices, ("all", _("all"))]

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or ArticleReview.State.NEW) == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        state = self.value() or ArticleReview.State.NEW
        return queryset if state == "all" else queryset.filter(inbox__state=state)


class InboxSourceFilter(admin.SimpleListFilter):
    """By news source, or the articles editors pasted themselves. Shown even with one source
    (the admin's related-field filter hides itself then, and stops filtering)."""

    title = _("source")
    parameter_name = "source"

    def lookups(self, request, model_admin):
        sources = [(str(pk), name) for pk, name in Source.objects.values_list("pk", "name")]
        return [*sources, ("none", _("pasted by an editor"))]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(source_items__isnull=True)
        if self.value():
            return queryset.filter(source_items__source_id=self.value()).distinct()
        return queryset


@admin.register(InboxArticle)
class InboxAdmin(admin.ModelAdmin):
    """The editors' inbox: articles the assistant read (pasted or fetched), newest first, with
    their drafts to review; each opens on its review page. Read-only: reviewing happens there."""

    list_display = ["review_link", "sources", "language", "published_on", "to_review", "added_at"]
    list_filter = [
        InboxStateFilter,
        InboxSourceFilter,
        "language",
    ]
    list_display_links = None  # each title links to its review page, not a change form
    search_fields = ["title"]
    ordering = ["-added_at"]
    list_per_page = 50

    def get_queryset(self, request):
        proposed = Q(deal_drafts__status=DealDraft.Status.PROPOSED)
        return (
            super()
            .get_queryset(request)
            .filter(inbox__isnull=False)
            .annotate(
                proposed=Count("deal_drafts", filter=proposed, distinct=True),
                drafted=Count("deal_drafts", distinct=True),
            )
            .prefetch_related("source_items__source")
        )

    def _editor(self, request) -> bool:
        return request.user.has_perms(["deals.change_dealdraft", "deals.add_deal"])

    def has_module_permission(self, request):
        return self._editor(request)

    def has_view_permission(self, request, obj=None):
        return self._editor(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("article"), ordering="title")
    def review_link(self, article):
        url = reverse("admin:deals_article_review", args=[article.pk])
        return format_html('<a href="{}" dir="auto">{}</a>', url, article.title)

    @admin.display(description=_("source"))
    def sources(self, article):
        names = sorted({item.source.name for item in article.source_items.all()})
        return ", ".join(names) or _("pasted by an editor")

    @admin.display(description=_("drafts to review"), ordering="proposed")
    def to_review(self, article):
        return f"{article.proposed} / {article.drafted}"
