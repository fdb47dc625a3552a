"""The deal timeline (/deals/) and one deal's page (/deals/<id>/)."""

from django.http import Http404, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_htmx.http import push_url

from deals import selectors
from deals.filters import DealFilter
from deals.models import Deal


def _querystring(params: dict[str, str]) -> str:
    query = QueryDict(mutable=True)
    query.update(params)
    return query.urlencode()


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
