"""The company directory and each company's page."""

from django.core.paginator import Paginator
from django.shortcuts import render

from .analytics import valuation_frame
from .charts import figure_json, valuation_history, valuation_table
from .forms import CompanyFilterForm
from .selectors import company_list as select_companies
from .selectors import company_profile

COMPANIES_PER_PAGE = 50


def company_list(request):
    form = CompanyFilterForm(request.GET)
    companies = select_companies(**form.filters())
    page = Paginator(companies, COMPANIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "companies/company_list.html", {"form": form, "page": page})


def company_detail(request, slug):
    profile = company_profile(slug)
    context = {"profile": profile, "company": profile.company}
    frame = valuation_frame(profile.company)
    if not frame.empty:
        context["valuation_chart"] = {
            "chart_id": "valuation-history",
            "figure": figure_json(valuation_history(frame)),
            "table": valuation_table(frame),
        }
    return render(request, "companies/company_detail.html", context)
