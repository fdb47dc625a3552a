"""The company pages' URLs, under /companies/ and the `companies:` namespace they always had.

The views live in `deals` (they read deals), while `companies` keeps only the directory of
entities; the namespace keeps every `{% url 'companies:detail' %}` working.
"""

from django.urls import path

from .views import companies

app_name = "companies"
urlpatterns = [
    path("", companies.company_list, name="list"),
    path("<slug:slug>/", companies.company_detail, name="detail"),
]
