"""The data-centre pages' URLs, under /data-centres/ and the `datacentres:` namespace."""

from django.urls import path

from .views import datacentres

app_name = "datacentres"
urlpatterns = [
    path("", datacentres.site_list, name="list"),
    path("<slug:slug>/", datacentres.site_detail, name="detail"),
]
