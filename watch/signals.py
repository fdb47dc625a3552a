"""A new account without staff status is a reader: it joins the Readers group when created.

Admins create accounts in the admin but may not change anyone's groups (deals/admin_users.py),
so an account they make could otherwise never follow anything. Staff accounts (editors,
admins, superusers) are left alone; a superuser may still take the role away.
"""

from django.contrib.auth.models import Group

from .roles import READERS


def new_account_reads(sender, instance, created, raw=False, **kwargs):
    if not created or raw or instance.is_staff or instance.is_superuser:
        return
    readers = Group.objects.filter(name=READERS).first()
    if readers is not None:
        instance.groups.add(readers)
