"""The export document: every deal with what it refers to, as JSON-ready Python data.

Described by `docs/export.schema.json` and explained in `docs/export.md`; complete enough to
rebuild the database. `export_document()` runs a fixed number of queries whatever the number
of deals: the deals and their nested lists (`rows.py`), then one or two per other list.
"""

from django.db.models import Prefetch, QuerySet

from companies.models import ChipPlatform, CloudPlatform, Company
from deals.export import entries
from deals.export.rows import deal_entries as read_deal_entries
from deals.models import (
    Article,
    DataCenterCitation,
    DataCenterProject,
    DataCenterStatusChange,
    Deal,
    Valuation,
    ValuationCitation,
)

SCHEMA_VERSION = 1


def export_citations(model):
    """Citations (or cited status changes) with only their article's id loaded (article
    bodies are exported once)."""
    citations = model.objects.select_related("article").only(
        *[f.attname for f in model._meta.concrete_fields], "article__slug"
    )
    # Citations without a Meta ordering are listed in the order they were entered, so the
    # same data always exports the same way (PostgreSQL returns unordered rows in any order).
    return citations if model._meta.ordering else citations.order_by("pk")


def export_document(deals: QuerySet[Deal] | None = None) -> dict:
    """The export as JSON-ready Python data (dicts, lists, str, int, float, bool, None).

    With no argument, everything in the database. Given a deal queryset (e.g. the timeline's
    filtered one), its deals in its order, plus only what they reference: their companies
    (and those companies' parent companies), clouds, chip platforms, data centres (and those
    centres' chips and companies), the valuations of the included companies, and every
    article any included deal, status change, data centre or valuation cites.
    """
    everything = deals is None
    if everything:
        deals = Deal.objects.all()
    deal_entries = read_deal_entries(deals, everything=everything)

    data_centers = DataCenterProject.objects.select_related(
        "operator", "location_article"
    ).prefetch_related(
        "tenants",
        "chip_platforms",
        Prefetch("citations", queryset=export_citations(DataCenterCitation)),
        Prefetch("status_history", queryset=export_citations(DataCenterStatusChange)),
    )
    if not everything:
        data_centers = data_centers.filter(
            slug__in={deal["data_center"] for deal in deal_entries} - {None}
        )
    data_center_entries = [entries.data_center(center) for center in data_centers.order_by("slug")]

    chips = ChipPlatform.objects.select_related("vendor")
    clouds = CloudPlatform.objects.select_related("operator")
    if not everything:
        chips = chips.filter(
            slug__in={
                slug
                for entry in [*deal_entries, *data_center_entries]
                for slug in entry["chip_platforms"]
            }
        )
        clouds = clouds.filter(slug__in={deal["cloud"] for deal in deal_entries} - {None})
    chip_entries = [entries.chip(chip) for chip in chips.order_by("slug")]
    cloud_entries = [entries.cloud(cloud) for cloud in clouds.order_by("slug")]

    companies = Company.objects.select_related("parent").prefetch_related("aliases")
    if not everything:
        wanted = {deal[side] for deal in deal_entries for side in ("from", "to")}
        wanted |= {cloud["operator"] for cloud in cloud_entries}
        wanted |= {chip["vendor"] for chip in chip_entries}
        for center in data_center_entries:
            wanted |= {center["operator"], *center["tenants"]}
        # Only the (few) companies that have a parent: loading every company with its aliases
        # to keep a handful cost more than the rest of a small export.
        parents = dict(
            Company.objects.filter(parent__isnull=False).values_list("slug", "parent__slug")
        )
        for slug in list(wanted):
            while slug in parents and parents[slug] not in wanted:
                slug = parents[slug]
                wanted.add(slug)
        companies = companies.filter(slug__in=wanted)
    company_entries = [entries.company(company) for company in companies.order_by("slug")]

    valuations = (
        Valuation.objects.select_related("company")
        .prefetch_related(Prefetch("citations", queryset=export_citations(ValuationCitation)))
        .order_by("company__slug", "as_of", "pk")
    )
    if not everything:
        valuations = valuations.filter(company__slug__in=[c["id"] for c in company_entries])
    valuation_entries = entries.valuations(valuations)

    articles = Article.objects.order_by("slug")
    if not everything:
        cited = {s["article"] for d in deal_entries for s in d["sources"]}
        cited |= {c["article"] for d in deal_entries for c in d["status_history"]} - {None}
        cited |= {s["article"] for c in data_center_entries for s in c["sources"]}
        cited |= {h["article"] for c in data_center_entries for h in c["status_history"]} - {None}
        cited |= {s["article"] for v in valuation_entries for s in v["sources"]}
        articles = articles.filter(slug__in=cited)
    article_entries = [entries.article(article) for article in articles]

    return {
        "schema_version": SCHEMA_VERSION,
        "companies": company_entries,
        "clouds": cloud_entries,
        "chip_platforms": chip_entries,
        "data_centers": data_center_entries,
        "articles": article_entries,
        "deals": deal_entries,
        "valuations": valuation_entries,
    }
