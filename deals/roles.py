"""Who may do what: anonymous visitors read, editors add and change, admins also delete.

Editors may also revert a record to an earlier version from its history: a revert is an edit
like any other, recorded in the history under their name. Only a superuser grants staff or
superuser rights, changes a role, or touches an administrator's account (deals/admin_users.py).

The two groups are (re)built after every `migrate` and by `manage.py setup_roles`, so their
permissions follow the models as they change. Give a person a role by adding them to a group
and ticking "staff status" (the admin is the editors' tool).
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission

EDITORS = "Editors"
ADMINS = "Admins"

# The content editors maintain; every other model (users, groups, sessions...) is the admins'.
EDITED_APPS = ("companies", "deals")
GROUP_WRITES = ("add_group", "change_group", "delete_group")
# People, sign-in lock-outs and API tokens: administered by Admins, never by Editors.
ADMINISTERED_APPS = ("auth", "axes", "api")


def content_models():
    return [
        model for app_label in EDITED_APPS for model in apps.get_app_config(app_label).get_models()
    ]


def ensure_roles() -> dict[str, Group]:
    """Create or refresh the Editors and Admins groups with exactly their permissions."""
    content = Permission.objects.filter(content_type__app_label__in=EDITED_APPS).select_related(
        "content_type"
    )
    editor_permissions = [
        permission
        for permission in content
        if permission.codename.split("_", 1)[0] in {"add", "change", "view"}
    ]
    # Admins also manage people (auth), unlock sign-ins locked after guessing (axes) and issue
    # and revoke API tokens (api). They only read the groups: a role's permissions, like
    # superuser and staff rights, are a superuser's to change (deals/admin_users.py), or an
    # admin could widen their own role.
    admin_permissions = list(content) + list(
        Permission.objects.filter(content_type__app_label__in=ADMINISTERED_APPS).exclude(
            content_type__model="group", codename__in=GROUP_WRITES
        )
    )
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.set(editor_permissions)
    admins, _ = Group.objects.get_or_create(name=ADMINS)
    admins.permissions.set(admin_permissions)
    return {EDITORS: editors, ADMINS: admins}


def ensure_roles_after_migrate(sender, **kwargs):
    """post_migrate hook: runs once the edited apps have their permissions, and again once the
    api app has its own (it migrates after deals)."""
    if sender.label in (EDITED_APPS[-1], "api"):
        ensure_roles()
