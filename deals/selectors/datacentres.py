"""Reads for the data-centre pages and for site search.

Sites are found by their own words (names, other spellings, place, state, country, in both
scripts, folded by companies.text into `DataCenterProject.search_key`) or by the names of the
companies that run or rent them. Every read here is a fixed number of queries, whatever the
number of sites, deals or companies.
"""

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from companies.models import ChipPlatform, Company
from companies.text import compact_name
from deals.models import NEWEST_FIRST, DataCenterProject, DataCenterStatusChange, Deal

# How a list of sites can be ordered: by power (undisclosed last either way) or by name.
ORDERINGS = {
    "power": (F("power_gw").desc(nulls_last=True), "name", "pk"),
    "-power": (F("power_gw").asc(nulls_last=True), "name", "pk"),
    "name": ("name", "pk"),
}
DEALS_PER_SITE = 50


def find_data_centres(query: str, limit: int = 20) -> list[DataCenterProject]:
    """Sites whose names or place, or whose operator's or tenant's names, contain `query`.

    Two queries at most (the sites, then their operators), e.g. "Rainier", "رينير",
    "Indiana", "Abilene", "Texas" or "أمازون" all find the seed's sites.
    """
    key = compact_name(query)
    if not key:
        return []
    companies = Company.objects.matching(query).values("pk")
    rents = DataCenterProject.tenants.through.objects.filter(
        datacenterproject_id=OuterRef("pk"), company_id__in=companies
    )
    found = DataCenterProject.objects.filter(
        Q(search_key__contains=key) | Q(operator_id__in=companies) | Q(Exists(rents))
    )
    return list(found.select_related("operator").order_by("name", "pk")[:limit])


@dataclass(frozen=True)
class SiteFilters:
    """What a list of sites is narrowed to; every field None or "" means "any"."""

    operator: Company | None = None
    tenant: Company | None = None
    chip: ChipPlatform | None = None
    status: str = ""
    country: str = ""
    state: str = ""
    order: str = "power"


def filtered_sites(*, filters: SiteFilters) -> QuerySet:
    """The sites matching `filters`, unordered and unread (a page reads them or counts them)."""
    sites = DataCenterProject.objects.all()
    if filters.operator is not None:
        sites = sites.filter(operator=filters.operator)
    if filters.tenant is not None:
        sites = sites.filter(
            Exists(
                DataCenterProject.tenants.through.objects.filter(
                    datacenterproject_id=OuterRef("pk"), company=filters.tenant
                )
            )
        )
    if filters.chip is not None:
        sites = sites.filter(
            Exists(
                DataCenterProject.chip_platforms.through.objects.filter(
                    datacenterproject_id=OuterRef("pk"), chipplatform=filters.chip
                )
            )
        )
    for name in ("status", "country", "state"):
        if value := getattr(filters, name):
            sites = sites.filter(**{name: value})
    return sites


def site_list(*, filters: SiteFilters) -> list[DataCenterProject]:
    """The sites matching `filters` in the asked order, with operator, tenants and chips:
    three queries, however many sites."""
    return list(
        filtered_sites(filters=filters)
        .select_related("operator")
        .prefetch_related("tenants", "chip_platforms")
        .order_by(*ORDERINGS[filters.order])
    )


def _newest_status_first():
    """A site's status history as its page lists it: newest first, each with its article's
    id and title (a link to the highlighted sentence), not its text."""
    return (
        DataCenterStatusChange.objects.select_related("article")
        .defer("article__body")
        .order_by("-changed_on", "-pk")
    )


def site_detail(*, slug: str) -> DataCenterProject:
    """One site with everything its page shows but its deals: one query per list, however
    long its lists and history.

    Raises DataCenterProject.DoesNotExist when there is no such site.
    """
    return (
        DataCenterProject.objects.select_related("operator", "location_article")
        .prefetch_related(
            "tenants",
            "chip_platforms__vendor",
            "citations__article",
            Prefetch("status_history", queryset=_newest_status_first()),
        )
        .get(slug=slug)
    )


def site_deals(*, site: DataCenterProject, limit: int = DEALS_PER_SITE) -> list[Deal]:
    """The newest deals that run at `site`, with their parties and cloud: one query."""
    return list(
        Deal.objects.filter(data_center=site)
        .select_related("payer", "payee", "cloud")
        .order_by(*NEWEST_FIRST)[:limit]
    )


def filter_choices() -> dict:
    """What the list's filters offer: only companies, chips and places that some site has.

    Five queries, each over the sites (few) or their link tables.
    """
    sites = DataCenterProject.objects.all()
    return {
        "operators": list(Company.objects.filter(operated_data_centers__isnull=False).distinct()),
        "tenants": list(Company.objects.filter(tenant_data_centers__isnull=False).distinct()),
        "chips": list(ChipPlatform.objects.filter(data_centers__isnull=False).distinct()),
        "countries": list(
            sites.exclude(country="").values_list("country", "country_ar").distinct()
        ),
        "states": list(sites.exclude(state="").values_list("state", "state_ar").distinct()),
    }
