from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from dealwatch.favicon import favicon

urlpatterns = [
    path("favicon.ico", favicon),
    path("i18n/", include("django.conf.urls.i18n")),
    # One URL per resource whatever the reader's language: outside i18n_patterns.
    path("api/v1/", include("api.urls")),
]

urlpatterns += i18n_patterns(
    # First: "deals/feed/" and "companies/<id>/feed/" before the pages' "<id>/" patterns.
    path("", include("deals.urls_feeds")),
    path("", include("watch.urls")),
    path("admin/", admin.site.urls),
    path("companies/", include("deals.urls_companies")),
    path("data-centres/", include("deals.urls_datacentres")),
    path("", include("deals.urls")),
    prefix_default_language=False,
)
