"""The deal timeline (/deals/) and one deal's page (/deals/<id>/)."""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django_htmx.http import push_url

from deals.pages.deal import deal_page
from deals.pages.filters import deal_filter
from deals.pages.timeline import timeline_page


def deal_list(request):
    """The timeline; an htmx request gets only what changed: for a filter change the results
    (`#timeline-results`, with the page's new title), for "older deals" the next page."""
    filters = deal_filter(request.GET or None)
    partial = request.htmx and not request.htmx.history_restore_request
    older = partial and request.htmx.target == "older-deals"
    context = timeline_page(filters, cursor=request.GET.get("cursor") or None, with_count=not older)
    if older:
        response = render(request, "deals/deal_list.html#deal-page", context)
    elif partial:
        response = render(request, "deals/deal_list.html#timeline-swap", context)
        # The form sends every field, empty or not; the address bar gets the tidy version.
        query = context["querystring"]
        push_url(response, f"{request.path}?{query}" if query else request.path)
    else:
        response = render(request, "deals/deal_list.html", context)
    # One address, two answers: a cache must not give the part for the whole page.
    patch_vary_headers(response, ("HX-Request", "HX-History-Restore-Request"))
    return response


def deal_detail(request, slug: str):
    return render(request, "deals/deal_detail.html", deal_page(slug))
