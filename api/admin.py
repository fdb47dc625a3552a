"""Admins issue and revoke API tokens; a new token is shown once, on the page after saving.

Whoever holds the token model's add permission issues tokens: superusers, and the Admins
role (deals/roles.py), never Editors or Readers. A token reads with its holder's access, so
an admin who is not a superuser issues tokens only for accounts they may manage
(deals/admin_users.py: their own, or a non-administrator's), and a token never changes hands.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _

from deals.admin_users import may_manage

from .models import ApiToken


def issuing_form(base: type[forms.ModelForm], request) -> type[forms.ModelForm]:
    """`base` refusing a holder the signed-in person may not act for."""

    class IssuingForm(base):
        def clean_user(self):
            holder = self.cleaned_data["user"]
            if not may_manage(request, holder):
                raise forms.ValidationError(
                    _("Only a superuser issues a token for an administrator's account.")
                )
            return holder

    return IssuingForm


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "user__username", "prefix"]
    autocomplete_fields = ["user"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name"]
        return ["user", "name", "prefix", "is_active", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["user", "prefix", "created_at"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return form if change else issuing_form(form, request)

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
