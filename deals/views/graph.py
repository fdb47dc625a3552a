"""The investment graph: who funds whom, where the money goes, and the loops it makes."""

from django.shortcuts import render

from deals.pages.filters import deal_filter
from deals.pages.graph import graph_page


def graph(request):
    filters = deal_filter(request.GET or None)
    return render(request, "deals/graph.html", graph_page(filters))
