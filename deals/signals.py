"""Signal receivers: any saved or deleted row the pages read moves the cache's generation."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from deals.pages.cache import bump_generation

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
    "companies.Company",
    "companies.CompanyAlias",
    "companies.CloudPlatform",
    "companies.ChipPlatform",
)


def connect_signals() -> None:
    """Bump the generation whenever a model the cached parts read is saved or deleted.

    Called from `DealsConfig.ready`, once the models are loaded.
    """
    for label in WATCHED:
        model = apps.get_model(label)
        uid = f"dealwatch-generation-{model._meta.label_lower}"
        post_save.connect(bump_generation, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(bump_generation, sender=model, dispatch_uid=f"{uid}-delete")
    chips = apps.get_model("deals.Deal").chip_platforms.through
    m2m_changed.connect(bump_generation, sender=chips, dispatch_uid="dealwatch-generation-chips")
