"""{% following company=company as is_following %}, {% following filters=filters as … %}; and
for the digest email, absolute links and each piece of news in words."""

from django import template
from django.utils.translation import gettext as _

from deals import feeds
from deals.formatting import format_money, format_power
from watch.emails import absolute as absolute_url
from watch.models import Follow
from watch.saved_filters import canonical_query

register = template.Library()


@register.simple_tag(takes_context=True)
def following(context, company=None, filters=None) -> bool:
    """Whether the signed-in reader follows the company, or the timeline's filter (one query;
    none for a visitor)."""
    user = context["request"].user
    if not user.is_authenticated:
        return False
    follows = Follow.objects.filter(user=user)
    if company is not None:
        return follows.filter(company=company).exists()
    return follows.filter(company=None, query=canonical_query(filters)).exists()


@register.filter
def absolute(path: str) -> str:
    return absolute_url(path)


@register.filter
def deal_headline(deal) -> str:
    return feeds.deal_headline(deal)


@register.filter
def status_headline(change) -> str:
    """A status-history record of the digest (its deal loaded as `followed_deal`)."""
    return feeds.status_headline(change.followed_deal, change)


@register.filter
def figure_changes(correction) -> list[tuple[str, str, str]]:
    """(what, before, after) in words for each figure a correction changed: the amount with
    its qualifier ("up to $10B"), the power with its."""
    before, after = correction.before, correction.after
    changes = []
    if (before.amount_usd, before.amount_qualifier) != (after.amount_usd, after.amount_qualifier):
        changes.append((_("Amount"), _money(before), _money(after)))
    if (before.power_gw, before.power_qualifier) != (after.power_gw, after.power_qualifier):
        changes.append((_("Power"), _power(before), _power(after)))
    return changes


def _money(record) -> str:
    return format_money(record.amount_usd, record.amount_qualifier)


def _power(record) -> str:
    return format_power(record.power_gw, record.power_qualifier) or format_money(None, "")
