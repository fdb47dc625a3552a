from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WatchConfig(AppConfig):
    """Readers follow companies and saved filters and get email digests of what changed."""

    name = "watch"
    verbose_name = _("Watchlists")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from .roles import ensure_readers_after_migrate
        from .signals import new_account_reads

        post_migrate.connect(ensure_readers_after_migrate, sender=self)
        post_save.connect(new_account_reads, sender=get_user_model())
