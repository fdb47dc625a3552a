"""What the timeline shows: a page of deals, each with its card's HTML from the cache."""

from django.http import QueryDict
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from deals.filters import DealFilter
from deals.selectors import timeline as selectors
from dealwatch.language import reader_language, text_direction

from .cache import cached_many

CARD_TEMPLATE = "deals/_deal_card.html"


def timeline_page(filters: DealFilter, cursor: str | None) -> dict:
    """The timeline's context: the page of deals after `cursor`, with the filters' problems.

    A cursor that cannot be read shows the newest deals, and says so.
    """
    problems = filters.error_messages
    try:
        page = selectors.deal_timeline(deals=filters.split_by_side(), cursor=cursor)
    except selectors.InvalidCursor:
        problems.append(_("That “older deals” link is not valid; showing the newest deals."))
        page = selectors.deal_timeline(deals=filters.split_by_side())
    attach_cards(page)
    params = filters.active_params
    return {
        "filters": filters,
        "problems": problems,
        "page": page,
        "querystring": _querystring(params),
        "next_querystring": _querystring(params | {"cursor": page.next_cursor})
        if page.next_cursor
        else "",
    }


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
