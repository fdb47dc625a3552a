"""The "Readers" role: people who follow companies and filters and get digests, and edit nothing.

Beside the Editors and Admins of deals/roles.py, and rebuilt the same way, after every
`migrate`. A reader is an account without staff status (so the admin stays closed to it) in
this group; an admin creates it in the admin's Users page and ticks the group. The group's
permissions are exactly those of a watchlist: add, remove and see one's follows, and change
one's digest settings.
"""

from django.contrib.auth.models import Group, Permission

READERS = "Readers"
READER_PERMISSIONS = ("add_follow", "delete_follow", "view_follow", "change_reader", "view_reader")
# What a view checks before it lets someone follow (superusers hold every permission).
FOLLOW_PERMISSION = "watch.add_follow"


def ensure_readers_role() -> Group:
    """Create or refresh the Readers group with exactly the watchlist's permissions."""
    readers, _ = Group.objects.get_or_create(name=READERS)
    readers.permissions.set(
        Permission.objects.filter(content_type__app_label="watch", codename__in=READER_PERMISSIONS)
    )
    return readers


def ensure_readers_after_migrate(sender, **kwargs):
    """post_migrate hook for the watch app: its permissions exist by now."""
    ensure_readers_role()
