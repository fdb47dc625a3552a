"""Writes that keep a deal or a site consistent across its rows. Keyword-only, validated,
atomic."""

from django.db import transaction

from .models import DataCenterProject, DataCenterStatusChange, Deal, DealStatusChange


@transaction.atomic
def deal_sync_status(*, deal: Deal) -> DealStatusChange | None:
    """Make `deal.status` follow its status history; start the history if it has none.

    The history is the record; `Deal.status` is a copy of its latest entry (latest
    `changed_on`, then latest added), kept so lists can filter on it cheaply.

    A deal with no history yet gets one entry saying it reached its current status on its
    date (`announced_on` and `date_precision`), sourced from its first citation (article and
    quote) or, failing that, its reference URL. When the deal has no date or no source yet,
    nothing is created: a history entry must be dated and sourced, and the next save after
    the editor adds them starts it. Returns the latest entry, or None.
    """
    latest = deal.status_history.order_by("-changed_on", "-pk").first()
    if latest is None:
        return deal_start_status_history(deal=deal)
    if deal.status != latest.status:
        deal.status = latest.status
        deal.full_clean()
        deal.save(update_fields=["status", "updated_at"])
    return latest


@transaction.atomic
def deal_start_status_history(*, deal: Deal) -> DealStatusChange | None:
    """The first history entry, taken from the deal's own status, date and first source."""
    if deal.announced_on is None:
        return None
    citation = deal.citations.select_related("article").first()
    if citation is None and not deal.reference_url:
        return None
    entry = DealStatusChange(
        deal=deal,
        status=deal.status,
        changed_on=deal.announced_on,
        date_precision=deal.date_precision,
        article=citation.article if citation else None,
        quote=citation.quote if citation else "",
        reference_url="" if citation else deal.reference_url,
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def data_centre_sync_status(*, site: DataCenterProject) -> DataCenterStatusChange | None:
    """Make `site.status` follow its status history, as a deal's does; returns the latest
    entry, or None when the site has no history yet (its status is then as entered)."""
    latest = site.status_history.order_by("-changed_on", "-pk").first()
    if latest is not None and site.status != latest.status:
        site.status = latest.status
        site.full_clean()
        site.save(update_fields=["status"])
    return latest
