"""The sources: the list of articles, and one article as a reader with its quotes highlighted."""

from django.shortcuts import render

from deals.article_selectors import article_page, article_reading

ARTICLES_PER_PAGE = 50


def article_list(request):
    page = article_page(request.GET.get("page"), ARTICLES_PER_PAGE)
    return render(request, "deals/article_list.html", {"page": page})


def article_detail(request, slug):
    return render(request, "deals/article_detail.html", {"reading": article_reading(slug)})
