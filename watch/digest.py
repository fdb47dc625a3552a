"""What changed for one follow between two moments: new deals, status changes, corrections.

Read from the change history django-simple-history keeps: a deal is new when it was created
in the window; a status change is a status-history entry added in the window to a deal that
is not new; a correction is a deal whose figures (amount, power and their qualifiers) differ
between the end of the window and its start. Each kind costs a fixed number of queries,
whatever the number of deals the follow covers.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet

from deals.models import Deal, DealStatusChange

from .models import Follow
from .saved_filters import filter_of

# The fields whose change is a "corrected figure" (a status change has its own entry).
FIGURE_FIELDS = ("amount_usd", "amount_qualifier", "power_gw", "power_qualifier")


@dataclass
class Correction:
    deal: Deal
    before: object  # the deal's history record at the start of the window
    after: object  # ... and at its end


@dataclass
class FollowNews:
    """What one follow's digest section lists."""

    follow: Follow
    new_deals: list[Deal] = field(default_factory=list)
    status_changes: list = field(default_factory=list)  # DealStatusChange history records
    corrections: list[Correction] = field(default_factory=list)

    def __len__(self):
        return len(self.new_deals) + len(self.status_changes) + len(self.corrections)


def followed_deals(follow: Follow) -> QuerySet:
    """The deals a follow covers; none when its saved filter no longer reads (a company
    renamed away), rather than every deal."""
    if follow.company_id:
        return Deal.objects.involving(follow.company_id)
    filters = filter_of(follow.query)
    if filters.error_messages:
        return Deal.objects.none()
    return filters.qs


def _deals_by_pk(pks) -> dict[int, Deal]:
    deals = Deal.objects.filter(pk__in=set(pks)).select_related("payer", "payee")
    return {deal.pk: deal for deal in deals}


def follow_news(follow: Follow, until: datetime.datetime) -> FollowNews:
    """Everything the follow's reader has not been told, up to `until`."""
    since = follow.sent_until
    deals = followed_deals(follow).order_by()
    news = FollowNews(follow)
    news.new_deals = list(
        deals.filter(created_at__gt=since, created_at__lte=until)
        .select_related("payer", "payee")
        .prefetch_related("citations__article")
        .newest_first()
    )
    new = {deal.pk for deal in news.new_deals}
    news.status_changes = _status_changes(deals, since, until, new)
    news.corrections = _corrections(deals, since, until, new)
    loaded = _deals_by_pk(
        [change.deal_id for change in news.status_changes]
        + [correction.deal for correction in news.corrections]
    )
    for change in news.status_changes:
        change.followed_deal = loaded.get(change.deal_id)
    for correction in news.corrections:
        correction.deal = loaded.get(correction.deal)
    news.status_changes = [c for c in news.status_changes if c.followed_deal is not None]
    news.corrections = [c for c in news.corrections if c.deal is not None]
    return news


def _status_changes(deals: QuerySet, since, until, new: set[int]) -> list:
    """Status-history entries added in the window to deals that are not new."""
    added = (
        DealStatusChange.history.filter(
            history_type="+",
            history_date__gt=since,
            history_date__lte=until,
            deal_id__in=deals.values("pk"),
        )
        .exclude(deal_id__in=new)
        .select_related("article")
        .order_by("changed_on", "history_date")
    )
    return list(added)


def _corrections(deals: QuerySet, since, until, new: set[int]) -> list[Correction]:
    """Deals whose figures at `until` differ from those at `since` (their deal pk in
    `Correction.deal` until the caller loads it)."""
    edited = set(
        Deal.history.filter(
            history_type="~",
            history_date__gt=since,
            history_date__lte=until,
            id__in=deals.values("pk"),
        )
        .exclude(id__in=new)
        .values_list("id", flat=True)
    )
    if not edited:
        return []
    records = Deal.history.filter(id__in=edited, history_date__lte=until).order_by(
        "id", "history_date", "history_id"
    )
    before, after = {}, {}
    for record in records.only("id", "history_date", "history_id", *FIGURE_FIELDS):
        (before if record.history_date <= since else after)[record.id] = record
    corrections = []
    for pk in sorted(edited):
        old, current = before.get(pk), after.get(pk)
        if old is None or current is None:
            continue
        if any(getattr(old, name) != getattr(current, name) for name in FIGURE_FIELDS):
            corrections.append(Correction(deal=pk, before=old, after=current))
    return corrections
