"""Readers' digest settings and follows in the admin, for the admins who create reader
accounts (README, "Following and digests")."""

from django.contrib import admin

from .models import Follow, Reader


@admin.register(Reader)
class ReaderAdmin(admin.ModelAdmin):
    list_display = ["user", "language", "receives_digests"]
    list_filter = ["language", "receives_digests"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["user", "company", "query", "created_at", "sent_until"]
    search_fields = ["user__username", "company__name", "query"]
    autocomplete_fields = ["user", "company"]
    readonly_fields = ["created_at", "sent_until"]
