"""The deal timeline (/deals/) and one deal's page (/deals/<id>/)."""

from django.shortcuts import render
from django_htmx.http import push_url

from deals.pages.deal import deal_page
from deals.pages.filters import deal_filter
from deals.pages.timeline import timeline_page


def deal_list(request):
    """The timeline; an htmx request gets only the list (or, for "older deals", the next page)."""
    filters = deal_filter(request.GET or None)
    context = timeline_page(filters, cursor=request.GET.get("cursor") or None)
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
    return render(request, "deals/deal_detail.html", deal_page(slug))
