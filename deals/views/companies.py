"""The company directory (/companies/) and each company's page (/companies/<id>/)."""

from django.shortcuts import render

from deals.forms import CompanyFilterForm
from deals.pages.companies import company_directory, company_page


def company_list(request):
    form = CompanyFilterForm(request.GET)
    page = company_directory(**form.filters(), page=request.GET.get("page"))
    return render(request, "companies/company_list.html", {"form": form, "page": page})


def company_detail(request, slug):
    return render(request, "companies/company_detail.html", company_page(slug))
