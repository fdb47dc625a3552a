from django.shortcuts import render

from ..search import clean_query, search


def search_page(request):
    """Full results at /search/?q=…; the same view feeds the as-you-type suggestions."""
    query = clean_query(request.GET.get("q"))
    if request.htmx and request.GET.get("suggest"):
        # The suggestions list no articles, so none are searched for them.
        suggestions = search(query, limit=5, articles=False) if len(query) >= 2 else None
        return render(
            request, "deals/search.html#suggestions", {"query": query, "results": suggestions}
        )
    return render(
        request,
        "deals/search.html",
        {"query": query, "results": search(query) if query else None},
    )
