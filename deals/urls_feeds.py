"""The Atom feeds' URLs, in the `feeds:` namespace.

Included before the pages' URLs (dealwatch/urls.py): "/deals/feed/" would otherwise be read
as the page of a deal whose id is "feed".
"""

from django.urls import path

from .feeds import CompanyFeed, DataCentreFeed, TimelineFeed

app_name = "feeds"
urlpatterns = [
    path("deals/feed/", TimelineFeed(), name="deals"),
    path("companies/<slug:slug>/feed/", CompanyFeed(), name="company"),
    path("data-centres/<slug:slug>/feed/", DataCentreFeed(), name="data_centre"),
]
