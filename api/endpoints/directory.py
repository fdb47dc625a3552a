"""Companies (with their honest totals), clouds, chip platforms, data centres and articles.

Each list is walked in id order with a cursor; each entry is the export's (`deals.export`).
"""

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router

from deals.export import entries
from deals.pages.filters import deal_filter
from deals.pages.summary import summary_document

from .. import reads, schemas
from ..errors import NotFound
from ..paging import DEFAULT_LIMIT, MAX_LIMIT, id_page, next_link

router = Router()

Limit = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def _page(request, items, to_entry, cursor: str | None, limit: int) -> dict:
    shown, following = id_page(items, cursor, limit)
    return {"results": [to_entry(item) for item in shown], "next": next_link(request, following)}


@router.get(
    "/companies/",
    response=schemas.answers(schemas.CompanyPage, 400),
    by_alias=True,
    tags=["companies"],
    operation_id="list_companies",
    summary="Companies",
)
def list_companies(request, cursor: str | None = None, limit: int = Limit):
    """Every company with its names and aliases in both scripts, in id order."""
    return _page(request, reads.companies(), entries.company, cursor, limit)


@router.get(
    "/companies/{company_id}/",
    response=schemas.answers(schemas.CompanyDetail, 404),
    by_alias=True,
    tags=["companies"],
    operation_id="get_company",
    summary="One company and its totals",
)
def get_company(request, company_id: str):
    """A company, its valuations and the honest totals of its deals, paid and received (the
    arithmetic of its page and of `/export/summary.json?company=…`)."""
    company = reads.company(company_id)
    if company is None:
        raise NotFound(_("There is no company with the id “%(id)s”.") % {"id": company_id})
    query = QueryDict(mutable=True)
    query["company"] = company.slug
    deals = request.build_absolute_uri(f"{reverse('api:list_deals')}?{query.urlencode()}")
    return entries.company(company) | {
        "totals": summary_document(deal_filter(query)),
        "valuations": reads.company_valuations(company),
        "deals": deals,
    }


@router.get(
    "/clouds/",
    response=schemas.answers(schemas.CloudPage, 400),
    tags=["platforms"],
    operation_id="list_clouds",
    summary="Cloud platforms",
)
def list_clouds(request, cursor: str | None = None, limit: int = Limit):
    return _page(request, reads.clouds(), entries.cloud, cursor, limit)


@router.get(
    "/chip-platforms/",
    response=schemas.answers(schemas.ChipPlatformPage, 400),
    tags=["platforms"],
    operation_id="list_chip_platforms",
    summary="Chip platforms",
)
def list_chip_platforms(request, cursor: str | None = None, limit: int = Limit):
    return _page(request, reads.chip_platforms(), entries.chip, cursor, limit)


@router.get(
    "/data-centers/",
    response=schemas.answers(schemas.DataCenterPage, 400),
    tags=["platforms"],
    operation_id="list_data_centers",
    # The location fields are optional in the export: absent stays absent, never invented.
    exclude_unset=True,
    summary="Data-centre projects",
)
def list_data_centers(request, cursor: str | None = None, limit: int = Limit):
    """Each project with its operator, tenants, chips, power and the quotes it is cited by."""
    return _page(request, reads.data_centers(), entries.data_center, cursor, limit)


@router.get(
    "/data-centers/{data_center_id}/",
    response=schemas.answers(schemas.DataCenter, 404),
    tags=["platforms"],
    operation_id="get_data_center",
    exclude_unset=True,
    summary="One data-centre project and its status history",
)
def get_data_center(request, data_center_id: str):
    """A project with its operator, tenants, chips, power, location and sources, and its
    status history: each step dated as precisely as its source gives it, and cited."""
    entry = reads.data_center(data_center_id)
    if entry is None:
        raise NotFound(_("There is no data centre with the id “%(id)s”.") % {"id": data_center_id})
    return entry


@router.get(
    "/articles/",
    response=schemas.answers(schemas.ArticlePage, 400),
    tags=["articles"],
    operation_id="list_articles",
    summary="Articles",
)
def list_articles(request, cursor: str | None = None, limit: int = Limit):
    """The cited articles' metadata, in id order (their text is on each article's own URL)."""
    return _page(request, reads.articles(), reads.article_metadata, cursor, limit)


@router.get(
    "/articles/{article_id}/",
    response=schemas.answers(schemas.Article, 404),
    tags=["articles"],
    operation_id="get_article",
    summary="One article and the sentences cited from it",
)
def get_article(request, article_id: str):
    entry = reads.article(article_id)
    if entry is None:
        raise NotFound(_("There is no article with the id “%(id)s”.") % {"id": article_id})
    return entry
