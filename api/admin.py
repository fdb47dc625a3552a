"""Admins issue and revoke API tokens; a new token is shown once, on the page after saving."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = ["prefix", "created_at"]
    autocomplete_fields = ["user"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name"]
        return ["user", "name", "prefix", "is_active", "created_at"]

    def save_model(self, request, obj, form, change):
        token = None if change else obj.issue()
        super().save_model(request, obj, form, change)
        if token:
            self.message_user(
                request,
                _(
                    "The new token for “%(name)s” is %(token)s. Copy it now: only its hash is "
                    "stored, and it will not be shown again."
                )
                % {"name": obj.name, "token": token},
                level=messages.WARNING,
            )
