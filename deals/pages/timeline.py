"""What the timeline shows: a page of deals, each with its card's HTML from the cache."""

import datetime
from decimal import Decimal

from django.http import QueryDict
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deals.filters import DealFilter
from deals.formatting import day_words, money_words
from deals.selectors import timeline as selectors
from dealwatch.language import reader_language, text_direction

from .cache import cached_many

CARD_TEMPLATE = "deals/_deal_card.html"
# Beyond this many deals the count says "more than": counting stops there, so a count costs
# the same at a hundred deals as at a million.
COUNT_LIMIT = 1000


def timeline_page(filters: DealFilter, cursor: str | None, *, with_count: bool = True) -> dict:
    """The timeline's context: the page of deals after `cursor`, with the filters' problems.

    A filter that cannot be used shows no deals at all (every deal under an error reads as
    results of the filter); a cursor that cannot be read shows the newest deals, and says so.
    `with_count` adds how many deals match (left out for an "older deals" page).
    """
    problems = filters.error_messages
    refused = bool(problems)
    if refused:
        page = selectors.TimelinePage(months=[], next_cursor=None, is_first=True)
    else:
        page = _page(filters, cursor, problems)
    attach_cards(page)
    params = filters.active_params
    return {
        "filters": filters,
        "problems": problems,
        "filters_refused": refused,
        "page": page,
        "filter_summary": filter_summary(filters),
        "active_filter_count": len(shown_params(filters)),
        "result_count_words": _count_words(filters, page) if with_count and not refused else "",
        "querystring": _querystring(shown_params(filters)),
        "next_querystring": _querystring(params | {"cursor": page.next_cursor})
        if page.next_cursor
        else "",
    }


def _page(filters: DealFilter, cursor: str | None, problems: list) -> selectors.TimelinePage:
    try:
        return selectors.deal_timeline(deals=filters.split_by_side(), cursor=cursor)
    except selectors.InvalidCursor:
        problems.append(_("That “older deals” link is not valid; showing the newest deals."))
        return selectors.deal_timeline(deals=filters.split_by_side())


def _count_words(filters: DealFilter, page: selectors.TimelinePage) -> str:
    """ "8 deals", or "More than 1,000 deals"; a first page with no older one needs no query."""
    if page.is_first and not page.next_cursor:
        count = len(page.deals)
    else:
        count = selectors.count_deals(deals=filters.split_by_side(), limit=COUNT_LIMIT)
    if count > COUNT_LIMIT:
        return _("More than %(count)s deals") % {"count": f"{COUNT_LIMIT:,}"}
    return ngettext("%(count)s deal", "%(count)s deals", count) % {"count": f"{count:,}"}


def shown_params(filters: DealFilter) -> dict[str, str]:
    """The filters as the address bar shows them: each valid one by its id, and each refused
    one as it was sent, so that reloading or going Back shows the same message again."""
    if not filters.is_bound:
        return {}
    valid = filters.active_params
    return {
        name: valid.get(name) or filters.data.get(name)
        for name in filters.filters
        if valid.get(name) or (filters.data.get(name) or "").strip()
    }


def filter_summary(filters: DealFilter) -> str:
    """The usable filters in words, for the page title: "Company: Anthropic; Type: Investment"."""
    if not filters.is_bound:
        return ""
    form = filters.form
    form.is_valid()  # fills cleaned_data; a refused value is not in it
    return "; ".join(
        f"{form.fields[name].label}: {_value_words(form.fields[name], value)}"
        for name in filters.filters
        if (value := form.cleaned_data.get(name)) not in (None, "")
    )


def _value_words(field, value) -> str:
    if hasattr(value, "display_name"):
        return value.display_name
    if isinstance(value, Decimal):
        return money_words(value)
    if isinstance(value, datetime.date):
        return day_words(value)
    return str(dict(getattr(field, "choices", ())).get(value, value))


def _querystring(params: dict[str, str]) -> str:
    query = QueryDict(mutable=True)
    query.update(params)
    return query.urlencode()


def _render_cards(pks) -> dict[int, str]:
    template = get_template(CARD_TEMPLATE)
    direction = text_direction()
    return {
        pk: template.render({"deal": deal, "text_direction": direction})
        for pk, deal in selectors.timeline_cards(pks).items()
    }


def attach_cards(page: selectors.TimelinePage) -> None:
    """Give each deal of the page its card's HTML (`deal.card`).

    A card is rendered once per data generation and language, then served from the cache:
    rendering fifty cards is most of a timeline request, and any change to the data moves
    every card to a fresh key. Only the cards not cached load their deals (three queries).
    """
    cards = cached_many(
        "deal-card", [deal.pk for deal in page.deals], _render_cards, reader_language()
    )
    for month in page.months:
        month.deals = [deal for deal in month.deals if deal.pk in cards]  # unless just deleted
        for deal in month.deals:
            # Our own template's output, escaped when it was rendered.
            deal.card = mark_safe(cards[deal.pk])  # noqa: S308
    page.months = [month for month in page.months if month.deals]
