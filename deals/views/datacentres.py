"""The data-centre list (/data-centres/) and one site's page (/data-centres/<id>/)."""

from django.shortcuts import render

from deals.pages.datacentres import site_filter_form, site_list_page, site_page


def site_list(request):
    form = site_filter_form(request.GET or None)
    return render(request, "datacentres/site_list.html", site_list_page(form))


def site_detail(request, slug: str):
    return render(request, "datacentres/site_detail.html", site_page(slug))
