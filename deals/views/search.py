"""Site search at /search/?q=…, and the as-you-type suggestions under the search box."""

from django.shortcuts import render

from deals.pages import search as page
from deals.selectors.search import clean_query


def search_page(request):
    query = clean_query(request.GET.get("q"))
    if request.htmx and request.GET.get("suggest"):
        context = {"query": query, "suggestions": page.suggestions(query)}
        return render(request, "deals/search.html#suggestions", context)
    return render(request, "deals/search.html", {"query": query, "results": page.results(query)})
