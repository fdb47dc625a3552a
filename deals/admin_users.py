"""People in the admin: Admins manage editors, but only a superuser makes or touches an admin.

The Admins group may add and change users (roles.py). Without limits an admin could tick
"superuser" on their own account, give staff rights to anyone, or set the superuser's password
and sign in as them. Here, for anyone who is not a superuser:
- the "superuser status" and "staff status" boxes, groups and permissions are read-only;
- the accounts of superusers and of other members of the Admins group are read-only, and their
  passwords cannot be changed; nor can they be deleted (one by one or from the list).
An admin still creates accounts, resets an editor's password and deactivates an editor; a
superuser makes an account staff and gives it its role. Groups themselves are read-only to
admins (roles.py).
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied

from .roles import ADMINS

User = get_user_model()

RIGHTS_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


def is_administrator(user) -> bool:
    """A superuser, a member of the Admins group, or anyone granted rights over accounts."""
    return (
        user.is_superuser
        or user.groups.filter(name=ADMINS).exists()
        or user.user_permissions.filter(content_type__app_label="auth").exists()
    )


def may_manage(request, target) -> bool:
    """May the signed-in person change `target`'s account (or password)?"""
    if request.user.is_superuser:
        return True
    if target is None or target.pk == request.user.pk:
        return True
    return not is_administrator(target)


class GuardedUserAdmin(UserAdmin):
    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += [name for name in RIGHTS_FIELDS if name not in readonly]
        return readonly

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_manage(request, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or may_manage(request, obj))

    def user_change_password(self, request, id, form_url=""):  # noqa: A002 - Django's signature
        target = self.get_object(request, admin.utils.unquote(id))
        if target is not None and not may_manage(request, target):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, GuardedUserAdmin)
