"""The company directory and each company's page."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from deals import analytics, charts
from deals.caching import cached
from deals.models import Deal
from deals.views.graph import graph_table

from .analytics import valuation_frame
from .charts import figure_json, valuation_history, valuation_table
from .forms import CompanyFilterForm
from .selectors import CompanyProfile, company_directory, company_profile, load_deals

# Above this many counterparties the neighbourhood is a hairball: the page links to /graph/.
MAX_NEIGHBOURS_DRAWN = 40


def company_list(request):
    form = CompanyFilterForm(request.GET)
    page = company_directory(**form.filters(), page=request.GET.get("page"))
    return render(request, "companies/company_list.html", {"form": form, "page": page})


def deal_sections(profile: CompanyProfile) -> dict[str, str]:
    """The HTML of the company's deal tables and of their sources.

    Rendered once per data generation and language (a hub's 150 rows are most of the page's
    time), so only a page whose rendering is out of date loads the deals.
    """

    def render_sections():
        load_deals(profile)
        context = {"profile": profile, "company": profile.company}
        return {
            "tables": render_to_string("companies/_deal_tables.html", context),
            "sources": render_to_string("companies/_sources.html", context),
        }

    sections = cached("company-deals", render_sections, profile.company.pk, get_language())
    # Our own templates' output, escaped when it was rendered.
    return {name: mark_safe(html) for name, html in sections.items()}  # noqa: S308


def company_detail(request, slug):
    profile = company_profile(slug)
    context = {
        "profile": profile,
        "company": profile.company,
        "deal_sections": deal_sections(profile),
    }
    frame = valuation_frame(profile.company)
    if not frame.empty:
        context["valuation_chart"] = {
            "chart_id": "valuation-history",
            "figure": figure_json(valuation_history(frame)),
            "table": valuation_table(frame),
        }
    neighbours = len(profile.paid_to) + len(profile.received_from)
    if 0 < neighbours <= MAX_NEIGHBOURS_DRAWN:
        context["graph_chart"] = neighbourhood_chart(profile.company)
    return render(request, "companies/company_detail.html", context)


def neighbourhood_chart(company) -> dict:
    """The company's own deals as a small network (only its deals: indexed, bounded)."""
    deals = Deal.objects.involving(company)
    nodes, edges = analytics.graph_frames(deals, company=company, top_n=MAX_NEIGHBOURS_DRAWN)
    sources = analytics.edge_sources(deals, [int(pk) for pk in nodes["id"]])
    return {
        "chart_id": "company-graph",
        "title": _("Who funds whom around %(company)s") % {"company": company.display_name},
        "figure": charts.figure_json(
            charts.investment_graph(nodes, edges, sources, centre=company.slug)
        ),
        "table": graph_table(nodes, edges),
        "description": _("%(company)s and the %(count)s companies it has deals with.")
        % {"company": company.display_name, "count": len(nodes) - 1},
    }
