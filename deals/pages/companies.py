"""What the company pages show: the directory, and one company's page.

The directory's totals cover every deal, and a hub's deal tables are most of its page's time,
so both are cached until the data change; so are a profile's counts and counterparties.
"""

from django.core.paginator import Page, Paginator
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies.models import Company
from deals import analytics, charts
from deals.models import Deal
from deals.selectors import company as selectors
from deals.selectors.company import CompanyProfile, CompanyTotals
from dealwatch.language import reader_is_arabic, reader_language

from .cache import cached
from .fragments import rendered, standing_chart_html

COMPANIES_PER_PAGE = 50
# Above this many counterparties the neighbourhood is a hairball: the page links to /graph/.
MAX_NEIGHBOURS_DRAWN = 40

# Each deal table's title, by role (deals.models.PARTY_ROLES).
ROLE_TITLES = {
    "investor": gettext_lazy("Investments made"),
    "investee": gettext_lazy("Investments received"),
    "buyer": gettext_lazy("Compute bought"),
    "provider": gettext_lazy("Compute sold"),
    "chip_buyer": gettext_lazy("Chips bought"),
    "chip_vendor": gettext_lazy("Chips sold"),
}

# Money sorts by what is certain: an "up to" ceiling is no money yet (forms.SORTS says so).
SORT_KEYS = {
    "deals": lambda totals: -totals.deal_count,
    "paid": lambda totals: -totals.paid.certain,
    "received": lambda totals: -totals.received.certain,
}


def company_totals() -> dict[int, CompanyTotals]:
    """`selectors.company_totals()`, until the data change."""
    # Named apart from the old bare sums, so that no entry of the old shape is ever served.
    return cached("companies:money-totals", selectors.company_totals)


def company_directory(*, kind: str = "", sort: str = "name", page: str | int | None = 1) -> Page:
    """One page of the directory: companies with their totals, filtered and sorted.

    The ids of every matching company are read in name order (one light query) and sorted by
    the cached totals; only the page's companies are then loaded in full.
    """
    ids = selectors.company_ids(kind=kind, arabic_names=reader_is_arabic())
    totals = company_totals()
    if sort in SORT_KEYS:
        ids.sort(key=lambda pk: SORT_KEYS[sort](totals.get(pk, CompanyTotals())))
    current = Paginator(ids, COMPANIES_PER_PAGE).get_page(page)
    loaded = selectors.companies_by_id(ids=list(current.object_list))
    rows = []
    for pk in current.object_list:
        company = loaded[pk]
        company.totals = totals.get(pk, CompanyTotals())
        rows.append(company)
    current.object_list = rows
    return current


def company_page(slug: str) -> dict:
    """The company page's context; Http404 when no company has the id `slug`."""
    profile = company_profile(slug)
    context = {
        "profile": profile,
        "company": profile.company,
        "deal_sections": deal_sections(profile),
    }
    frame = analytics.valuation_frame(profile.company)
    if not frame.empty:
        context["valuation_chart"] = {
            "chart_id": "valuation-history",
            "figure": charts.figure_json(charts.valuation_history(frame)),
            "table": charts.valuation_table(frame),
        }
    if profile.money_by_role:
        context["standing_html"] = standing_chart_html(
            "company-standing",
            [(str(ROLE_TITLES[role]), total) for role, total in profile.money_by_role.items()],
            _("Money of %(company)s by role and standing (US$ billions)")
            % {"company": profile.company.display_name},
            _("Deals"),
        )
    neighbours = len(profile.paid_to) + len(profile.received_from)
    if 0 < neighbours <= MAX_NEIGHBOURS_DRAWN:
        context["graph_chart"] = neighbourhood_chart(profile.company)
    return context


def company_profile(slug: str) -> CompanyProfile:
    """Everything the company page shows but its deal rows (`selectors.load_deals`), in a
    fixed number of queries, the counts and counterparties cached."""
    try:
        company = selectors.company_detail(slug=slug)
    except Company.DoesNotExist as error:
        raise Http404("No Company matches the given query.") from error
    key = f"companies:profile:{company.pk}"
    rows = cached(f"companies:role-rows:{company.pk}", lambda: selectors.role_rows(company=company))
    tables = selectors.deal_tables(counts=selectors.role_counts(rows=rows))
    for table in tables:
        table.title = ROLE_TITLES[table.role]
    return CompanyProfile(
        company=company,
        tables=tables,
        chips_used=cached(f"{key}:chips", lambda: selectors.chips_used(company=company)),
        valuations=selectors.valuations(company=company),
        paid_to=cached(
            f"{key}:paid-to-totals", lambda: selectors.counterparties(company=company, side="payer")
        ),
        received_from=cached(
            f"{key}:paid-by-totals", lambda: selectors.counterparties(company=company, side="payee")
        ),
        data_centers=selectors.data_centers(company=company),
        money_by_role=selectors.money_by_role(rows=rows),
    )


def deal_sections(profile: CompanyProfile) -> dict[str, str]:
    """The HTML of the company's deal tables, of their sources and of its counterparties.

    Rendered once per data generation and language (a hub's 150 rows and its hundreds of
    counterparties are most of the page's time), so only a page whose rendering is out of date
    loads the deals.
    """

    def render_sections():
        selectors.load_deals(profile=profile)
        context = {"profile": profile, "company": profile.company}
        return {
            "tables": rendered("companies/_deal_tables.html", context),
            "sources": rendered("companies/_sources.html", context),
            "counterparties": rendered("companies/_counterparties.html", context),
        }

    return cached("company-deals", render_sections, profile.company.pk, reader_language())


def neighbourhood_chart(company: Company) -> dict:
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
        "table": charts.graph_table(nodes, edges),
        "description": _("%(company)s and the %(count)s companies it has deals with.")
        % {"company": company.display_name, "count": len(nodes) - 1},
    }
