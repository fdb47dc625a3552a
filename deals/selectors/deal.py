"""Reads for one deal's page: the deal with everything its page shows."""

from django.db.models import Prefetch

from deals.models import Deal, DealCitation, DealStatusChange

from .timeline import with_citation_facts


def deal_detail(*, slug: str) -> Deal:
    """A deal with its platforms, tranches, status history and citations; raises DoesNotExist."""
    deal = (
        Deal.objects.select_related("payer", "payee", "cloud", "data_center")
        .prefetch_related(
            "chip_platforms",
            "tranches",
            Prefetch(
                "status_history",
                queryset=DealStatusChange.objects.select_related("article"),
            ),
            Prefetch("citations", queryset=DealCitation.objects.select_related("article")),
        )
        .get(slug=slug)
    )
    return with_citation_facts(deal)
