"""The overview: headline figures, what deals run on, the latest deals, and circular money."""

from django.shortcuts import render

from deals.pages.overview import overview_page


def overview(request):
    return render(request, "deals/overview.html", overview_page())
