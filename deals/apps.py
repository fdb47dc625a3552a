from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DealsConfig(AppConfig):
    name = "deals"
    verbose_name = _("Deals and sources")

    def ready(self):
        from .roles import ensure_roles_after_migrate
        from .signals import connect_signals

        connect_signals()

        post_migrate.connect(ensure_roles_after_migrate, dispatch_uid="deals.ensure_roles")
