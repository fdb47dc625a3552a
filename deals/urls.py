from django.urls import path

from .views import articles, deal_pages, export, graph, overview, search, summary

app_name = "deals"
urlpatterns = [
    path("", overview.overview, name="overview"),
    path("deals/", deal_pages.deal_list, name="timeline"),
    path("deals/<slug:slug>/", deal_pages.deal_detail, name="detail"),
    path("graph/", graph.graph, name="graph"),
    path("articles/", articles.article_list, name="articles"),
    path("articles/<slug:slug>/", articles.article_detail, name="article"),
    path("search/", search.search_page, name="search"),
    path("export/deals.json", export.deals_json, name="export_json"),
    path("export/deals.csv", export.deals_csv, name="export_csv"),
    path("export/summary.json", summary.summary_json, name="export_summary"),
]
