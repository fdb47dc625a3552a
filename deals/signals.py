"""Signal receivers: any saved or deleted row the pages read moves the cache's generation,
once its transaction has committed; a migration does too, and server processes then warm
their cache off the request path (`deals.pages.warm`)."""

from django.apps import apps
from django.core.signals import request_finished, request_started
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from deals.pages import warm
from deals.pages.cache import (
    after_commit,
    bump_generation,
    defer_refreshes,
    start_deferred_refreshes,
)

# Every model a cached page part reads.
WATCHED = (
    "deals.Deal",
    "deals.DealCitation",
    "deals.DealTranche",
    "deals.DealStatusChange",
    "deals.Article",
    "deals.Valuation",
    "deals.ValuationCitation",
    "deals.DataCenterProject",
    "deals.DataCenterStatusChange",
    "companies.Company",
    "companies.CompanyAlias",
    "companies.CloudPlatform",
    "companies.ChipPlatform",
)


def data_committed() -> None:
    """What follows a committed change: a new generation, and this process's big pages
    rebuilt in the background if it serves requests."""
    bump_generation()
    warm.after_change()


def data_changed(sender=None, using=None, **_kwargs) -> None:
    """Bump the generation once the write's transaction commits (once per transaction).

    Bumped earlier, a reader between the bump and the commit would read the old rows and
    store them as the new generation's figures; rolled back, nothing changed.
    """
    after_commit(data_committed, using=using)


def migrated(sender, **_kwargs) -> None:
    """After `migrate`: a new generation (migrations may change rows) and, with a shared
    cache, the big pages built now, so no reader pays for the deploy."""
    bump_generation()
    warm.warm_shared_cache()


def connect_signals() -> None:
    """Connect the receivers; called from `DealsConfig.ready`, once the models are loaded."""
    for label in WATCHED:
        model = apps.get_model(label)
        uid = f"dealwatch-generation-{model._meta.label_lower}"
        post_save.connect(data_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(data_changed, sender=model, dispatch_uid=f"{uid}-delete")
    chips = apps.get_model("deals.Deal").chip_platforms.through
    m2m_changed.connect(data_changed, sender=chips, dispatch_uid="dealwatch-generation-chips")
    # Once per migrate run (post_migrate is sent for every app): the deals app is the last
    # of ours to be migrated.
    post_migrate.connect(
        migrated, sender=apps.get_app_config("deals"), dispatch_uid="dealwatch-generation-migrate"
    )
    request_started.connect(warm.request_started, dispatch_uid="dealwatch-warm-on-request")
    # A reader served the previous figures gets its response before their rebuild starts.
    request_started.connect(defer_refreshes, dispatch_uid="dealwatch-defer-refreshes")
    request_finished.connect(start_deferred_refreshes, dispatch_uid="dealwatch-start-refreshes")
