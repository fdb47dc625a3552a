"""The deal timeline (/deals/) and one deal's page (/deals/<id>/)."""

from django.http import Http404, QueryDict
from django.shortcuts import render
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django_htmx.http import push_url

from deals import selectors
from deals.caching import cached_many
from deals.filters import DealFilter
from deals.models import Deal

CARD_TEMPLATE = "deals/_deal_card.html"


def _querystring(params: dict[str, str]) -> str:
    query = QueryDict(mutable=True)
    query.update(params)
    return query.urlencode()


def _render_cards(pks) -> dict[int, str]:
    template = get_template(CARD_TEMPLATE)
    direction = "rtl" if get_language_bidi() else "ltr"
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
        "deal-card", [deal.pk for deal in page.deals], _render_cards, get_language()
    )
    for month in page.months:
        month.deals = [deal for deal in month.deals if deal.pk in cards]  # unless just deleted
        for deal in month.deals:
            # Our own template's output, escaped when it was rendered.
            deal.card = mark_safe(cards[deal.pk])  # noqa: S308
    page.months = [month for month in page.months if month.deals]


def deal_list(request):
    """The timeline; an htmx request gets only the list (or, for "older deals", the next page)."""
    filters = DealFilter(request.GET or None, queryset=Deal.objects.all())
    messages = filters.error_messages
    cursor = request.GET.get("cursor") or None
    try:
        page = selectors.deal_timeline(deals=filters.split_by_side(), cursor=cursor)
    except selectors.InvalidCursor:
        messages.append(_("That “older deals” link is not valid; showing the newest deals."))
        page = selectors.deal_timeline(deals=filters.split_by_side())
    attach_cards(page)
    params = filters.active_params
    context = {
        "filters": filters,
        "problems": messages,
        "page": page,
        "querystring": _querystring(params),
        "next_querystring": _querystring(params | {"cursor": page.next_cursor})
        if page.next_cursor
        else "",
    }
    partial = request.htmx and not request.htmx.history_restore_request
    if partial and request.htmx.target == "older-deals":
        return render(request, "deals/deal_list.html#deal-page", context)
    if partial:
        response = render(request, "deals/deal_list.html#deal-list", context)
        # The form sends every field, empty or not; the address bar gets the tidy version.
        query = context["querystring"]
        return push_url(response, f"{request.path}?{query}" if query else request.path)
    return render(request, "deals/deal_list.html", context)


def deal_detail(request, slug: str):
    try:
        deal = selectors.deal_detail(slug=slug)
    except Deal.DoesNotExist as error:
        raise Http404(_("No deal has the id “%(id)s”.") % {"id": slug}) from error
    context = {"deal": deal, "change_history": selectors.deal_change_history(deal)}
    return render(request, "deals/deal_detail.html", context)
