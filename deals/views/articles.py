"""The sources: the list of articles, and one article as a reader with its quotes highlighted."""

from django.http import Http404
from django.shortcuts import render

from deals.models import Article
from deals.pages import articles as page


def article_list(request):
    return render(
        request, "deals/article_list.html", {"page": page.article_list(request.GET.get("page"))}
    )


def article_detail(request, slug):
    try:
        reading = page.article_reading(slug)
    except Article.DoesNotExist as error:
        # The words get_object_or_404 used.
        raise Http404("No Article matches the given query.") from error
    return render(request, "deals/article_detail.html", {"reading": reading})
