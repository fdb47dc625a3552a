"""Deals, one deal and the summary totals: the timeline's filters as query parameters.

The filters are the timeline's own (`deals.pages.filters.deal_filter`): the same ids, the same
checks, the same messages, so a URL's query string means the same thing on `/deals/` and on
`/api/v1/deals/`. The walk is the timeline's too (`deals.selectors.keyset`).
"""

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from deals.filters import DealFilter
from deals.pages.filters import deal_filter
from deals.pages.summary import summary_document

from .. import reads, schemas
from ..errors import BadParameters, NotFound
from ..paging import DEFAULT_LIMIT, MAX_LIMIT, deal_page, next_link

router = Router(tags=["deals"])


class DealFilters(Schema):
    """The timeline's filters (docs/export.md): each optional, ids as in the export."""

    company: str | None = Field(None, description="A company's id, or any spelling of its name.")
    role: str | None = Field(
        None, description="With a company: investor, investee, buyer or provider."
    )
    type: str | None = Field(None, description="investment, compute_commitment or chip_supply.")
    status: str | None = Field(
        None, description="rumored, in_talks, announced, signed, completed or cancelled."
    )
    cloud: str | None = Field(None, description="A cloud platform's id.")
    chip: str | None = Field(None, description="A chip platform's id.")
    from_: str | None = Field(None, alias="from", description="Announced on or after, YYYY-MM-DD.")
    to: str | None = Field(None, description="Announced on or before, YYYY-MM-DD.")
    min_amount: str | None = Field(
        None, description="At least this many US dollars: 500M, 10B, 1.5T or digits."
    )


def valid_filter(request) -> DealFilter:
    """The timeline's filter of the request's parameters; BadParameters if any is refused."""
    filters = deal_filter(request.GET or None)
    problems = filters.error_messages
    if problems:
        raise BadParameters(problems)
    return filters


@router.get(
    "/deals/",
    response=schemas.answers(schemas.DealPage, 400),
    by_alias=True,
    operation_id="list_deals",
    summary="Deals, newest first",
)
def list_deals(
    request,
    filters: Query[DealFilters],
    cursor: str | None = None,
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
):
    """The deals the filters select, newest first (undated last, then by id), `limit` per
    page; follow `next` for the following page."""
    parts = valid_filter(request).split_by_side()
    slugs, following = deal_page(parts, cursor, limit)
    return {"results": reads.deals_in_order(slugs), "next": next_link(request, following)}


@router.get(
    "/deals/{deal_id}/",
    response=schemas.answers(schemas.Deal, 404),
    by_alias=True,
    operation_id="get_deal",
    summary="One deal",
)
def get_deal(request, deal_id: str):
    """A deal with its sources (each quote), status history, tranches and, where sources
    disagree, each reported figure."""
    entry = reads.deal(deal_id)
    if entry is None:
        raise NotFound(_("There is no deal with the id “%(id)s”.") % {"id": deal_id})
    return entry


@router.get(
    "/summary/",
    response=schemas.answers(schemas.Summary, 400),
    by_alias=True,
    operation_id="get_summary",
    summary="Honest totals of the filtered deals",
)
def get_summary(request, filters: Query[DealFilters]):
    """What the deals the filters select add up to (as `/export/summary.json`): certain and
    possible amounts per standing, undisclosed amounts counted, never added as zero."""
    return summary_document(valid_filter(request))
