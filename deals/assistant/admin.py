"""The article assistant's place in the admin: its pages under ArticleAdmin's URLs, and each
article's drafts listed (read-only) on its change page."""

from django.contrib import admin
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from deals.models import DealDraft

from . import views


class DealDraftInline(admin.TabularInline):
    """What the assistant proposed for this article and what became of it. Reviewing happens
    on the review page, so nothing here is editable."""

    model = DealDraft
    extra = 0
    can_delete = False
    fields = ["draft", "status", "deal", "reviewed_by", "reviewed_at"]
    readonly_fields = fields
    verbose_name_plural = _("Deals proposed by the article assistant")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("deal", "reviewed_by")

    @admin.display(description=_("draft"))
    def draft(self, draft):
        url = reverse("admin:deals_article_review", args=[draft.article_id])
        return format_html('<a href="{}#draft-{}" dir="auto">{}</a>', url, draft.pk, draft)


class ArticleAssistantAdminMixin:
    """Adds the assistant's pages to ArticleAdmin's URLs and its drafts to the article page."""

    inlines = [DealDraftInline]

    def get_urls(self):
        site = self.admin_site

        def view(function):
            def wrapped(request, *args, **kwargs):
                return function(request, self, *args, **kwargs)

            # A view that checks CSRF itself (after reading the body) says so, as Django's own
            # decorator does, for admin_view and the CSRF middleware to see.
            wrapped.csrf_exempt = getattr(function, "csrf_exempt", False)
            return site.admin_view(wrapped)

        return [
            path("from-text/", view(views.article_from_text), name="deals_article_from_text"),
            path(
                "<int:article_id>/review/", view(views.article_review), name="deals_article_review"
            ),
            path(
                "<int:article_id>/review/add/",
                view(views.draft_add),
                name="deals_article_add_draft",
            ),
            path(
                "<int:article_id>/review/mark/",
                view(views.article_mark),
                name="deals_article_mark",
            ),
            path(
                "<int:article_id>/review/<int:draft_id>/",
                view(views.draft_review),
                name="deals_article_review_draft",
            ),
            *super().get_urls(),
        ]
