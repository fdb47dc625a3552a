"""The sources: the list of articles, and one article as a reader with its quotes highlighted."""

from django.core.paginator import Paginator
from django.shortcuts import render

from deals.article_selectors import article_list as select_articles
from deals.article_selectors import article_reading

ARTICLES_PER_PAGE = 50


def article_list(request):
    page = Paginator(select_articles(), ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "deals/article_list.html", {"page": page})


def article_detail(request, slug):
    return render(request, "deals/article_detail.html", {"reading": article_reading(slug)})
