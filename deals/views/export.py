"""The export over the web, for the same filters as the timeline: /export/deals.json and .csv.

At a million deals the complete JSON document (with every cited article's text) is gigabytes:
the web serves it for up to `WEB_JSON_MAX_DEALS` deals and otherwise answers 400 with a message
that says how to narrow the filters or to run `manage.py export_deals` on the server; it is
written out in pieces, one entry per line, its opening sent before the document is read
(`export_json`). The CSV (one flat row per deal, `csv_chunks`) has no cap and starts within
milliseconds however many rows follow: the deals are walked a chunk at a time along their
indexes (`walked_csv_rows`; a company's two sides each along its own), never sorted whole,
each chunk in its own short query. A worker holds one chunk of rows at a time whatever the
number of deals. Each download is named after its filters
(`download_name`: "dealwatch-deals-anthropic.csv").

HEAD answers as GET would (status and headers, the filters checked) without reading a deal.
"""

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from deals.export import (
    csv_chunks,
    download_name,
    export_json,
    more_deals_than,
    walked_csv_rows,
)
from deals.filters import DealFilter
from deals.pages.filters import deal_filter

_JSON_OPTIONS = {"ensure_ascii": False, "indent": 2}
WEB_JSON_MAX_DEALS = 10_000


def _filtered(request) -> DealFilter:
    return deal_filter(request.GET or None)


def _download(request, pieces, content_type: str, filters: DealFilter) -> StreamingHttpResponse:
    """The text `pieces()` writes, as an attachment named after the filters; for HEAD the
    same response without calling it, so checking a link (a monitor, `curl -I`) costs no
    export."""
    body = iter(()) if request.method == "HEAD" else pieces()
    response = StreamingHttpResponse(body, content_type=content_type)
    extension = "csv" if content_type.startswith("text/csv") else "json"
    filename = download_name(filters.active_params, extension)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def deals_json(request):
    filters = _filtered(request)
    if filters.error_messages:
        return JsonResponse(
            {"errors": filters.error_messages}, status=400, json_dumps_params=_JSON_OPTIONS
        )
    if more_deals_than(filters.qs, WEB_JSON_MAX_DEALS):
        message = _(
            "These filters match more than %(cap)s deals, too many for one JSON download. "
            "Narrow them (a company, a type, dates), download the CSV (no limit), or run "
            "“python manage.py export_deals” on the server for the complete document."
        ) % {"cap": f"{WEB_JSON_MAX_DEALS:,}"}
        return JsonResponse({"errors": [message]}, status=400, json_dumps_params=_JSON_OPTIONS)
    return _download(request, lambda: export_json(filters.qs), "application/json", filters)


@require_safe
def deals_csv(request):
    filters = _filtered(request)
    if filters.error_messages:
        return HttpResponse(
            "\n".join(filters.error_messages) + "\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    return _download(
        request,
        lambda: csv_chunks(walked_csv_rows(filters.split_by_side())),
        "text/csv; charset=utf-8",
        filters,
    )
