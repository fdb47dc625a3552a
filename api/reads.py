"""What each endpoint reads, as the export's entries, in a fixed number of queries per page.

The entries come from `deals.export` (the deal's from the field map, the others from
`deals.export.entries`), so an API response and an export of the same records agree key for
key. Nothing here knows about requests, paging links or words.
"""

from django.db.models import Prefetch, QuerySet

from companies.models import ChipPlatform, CloudPlatform, Company
from deals.export import entries
from deals.export.document import export_citations
from deals.export.rows import deal_entries
from deals.models import (
    Article,
    DataCenterCitation,
    DataCenterProject,
    DataCenterStatusChange,
    Deal,
    DealCitation,
    DealStatusChange,
    Valuation,
    ValuationCitation,
)


def deals_in_order(slugs: list[str]) -> list[dict]:
    """The deals with ids `slugs`, as export entries in the order of `slugs`: four queries.

    A deal deleted since its id was read is left out.
    """
    found = deal_entries(Deal.objects.filter(slug__in=slugs), everything=False)
    by_slug = {entry["id"]: entry for entry in found}
    return [by_slug[slug] for slug in slugs if slug in by_slug]


def deal(slug: str) -> dict | None:
    """One deal's entry (sources with their quotes, status history, tranches, reported
    figures), or None: four queries."""
    found = deal_entries(Deal.objects.filter(slug=slug), everything=False)
    return found[0] if found else None


def companies() -> QuerySet:
    return Company.objects.select_related("parent").prefetch_related("aliases")


def company(slug: str) -> Company | None:
    return companies().filter(slug=slug).first()


def company_valuations(company: Company) -> list[dict]:
    valuations = (
        Valuation.objects.filter(company=company)
        .select_related("company")
        .prefetch_related(Prefetch("citations", queryset=export_citations(ValuationCitation)))
        .order_by("as_of", "pk")
    )
    return entries.valuations(valuations)


def clouds() -> QuerySet:
    return CloudPlatform.objects.select_related("operator")


def chip_platforms() -> QuerySet:
    return ChipPlatform.objects.select_related("vendor")


def data_centers() -> QuerySet:
    return DataCenterProject.objects.select_related(
        "operator", "location_article"
    ).prefetch_related(
        "tenants",
        "chip_platforms",
        Prefetch("citations", queryset=export_citations(DataCenterCitation)),
        Prefetch("status_history", queryset=export_citations(DataCenterStatusChange)),
    )


def data_center(slug: str) -> dict | None:
    """One site's entry (sources, location, dated and cited status history), or None: five
    queries."""
    found = data_centers().filter(slug=slug).first()
    return entries.data_center(found) if found else None


def articles() -> QuerySet:
    """Articles without their text: a list shows their metadata only."""
    return Article.objects.defer("body")


def article_metadata(article: Article) -> dict:
    """The export's article entry without its text (which `articles()` does not load)."""
    return {
        "id": article.slug,
        "title": article.title,
        "language": article.language,
        "published_on": entries.iso(article.published_on),
        "source_file": article.source_file,
        "url": article.url,
    }


def article(slug: str) -> dict | None:
    """An article's entry with every sentence cited from it, in the article's order: five
    queries."""
    found = Article.objects.filter(slug=slug).first()
    if found is None:
        return None
    quotes = [
        *_quotes(DealCitation, "deal", "deal__slug", found),
        *_quotes(DealStatusChange, "status_change", "deal__slug", found),
        *_quotes(DataCenterCitation, "data_center", "data_center__slug", found),
        *_valuation_quotes(found),
    ]
    quotes.sort(key=lambda quote: (_position(found.body, quote["quote"]), quote["id"]))
    return entries.article(found) | {"quotes": quotes}


def _quotes(model, cites: str, id_field: str, article: Article) -> list[dict]:
    rows = model.objects.filter(article=article).exclude(quote="").order_by("pk")
    return [
        {"quote": quote, "cites": cites, "id": slug}
        for quote, slug in rows.values_list("quote", id_field)
    ]


def _valuation_quotes(article: Article) -> list[dict]:
    # Valuations have no id of their own: the export names them company-date (entries.py).
    rows = ValuationCitation.objects.filter(article=article).order_by("pk")
    return [
        {"quote": quote, "cites": "valuation", "id": f"{company}-{as_of.isoformat()}"}
        for quote, company, as_of in rows.values_list(
            "quote", "valuation__company__slug", "valuation__as_of"
        )
    ]


def _position(body: str, quote: str) -> int:
    at = body.find(quote)
    return at if at >= 0 else len(body)
