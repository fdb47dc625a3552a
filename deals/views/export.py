"""The export over the web, for the same filters as the timeline: /export/deals.json and .csv.

At a million deals the complete JSON document (with every cited article's text) is gigabytes:
the web serves it for up to `WEB_JSON_MAX_DEALS` deals and otherwise answers 400 with a message
that says how to narrow the filters or to run `manage.py export_deals` on the server; it is
written out in pieces, one entry per line (`document_json`). The CSV
(one flat row per deal) has no cap: it is streamed from one query (a server-side cursor on
PostgreSQL), so a worker holds one chunk of rows at a time whatever the number of deals.
"""

import csv
import io
import itertools
from collections.abc import Iterator

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from deals.export import CSV_COLUMNS, deal_csv_rows, document_json, export_document
from deals.filters import DealFilter
from deals.models import Deal

_JSON_OPTIONS = {"ensure_ascii": False, "indent": 2}
WEB_JSON_MAX_DEALS = 10_000


def _filtered(request) -> DealFilter:
    return DealFilter(request.GET or None, queryset=Deal.objects.all())


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def too_many_deals(deals) -> bool:
    """True when `deals` holds more than the web's JSON cap (reads at most cap + 1 ids)."""
    return len(deals.order_by().values_list("pk", flat=True)[: WEB_JSON_MAX_DEALS + 1]) > (
        WEB_JSON_MAX_DEALS
    )


@require_GET
def deals_json(request):
    filters = _filtered(request)
    if filters.error_messages:
        return JsonResponse(
            {"errors": filters.error_messages}, status=400, json_dumps_params=_JSON_OPTIONS
        )
    if too_many_deals(filters.qs):
        message = _(
            "These filters match more than %(cap)s deals, too many for one JSON download. "
            "Narrow them (a company, a type, dates), download the CSV (no limit), or run "
            "“python manage.py export_deals” on the server for the complete document."
        ) % {"cap": f"{WEB_JSON_MAX_DEALS:,}"}
        return JsonResponse({"errors": [message]}, status=400, json_dumps_params=_JSON_OPTIONS)
    document = export_document(filters.qs)
    response = StreamingHttpResponse(document_json(document), content_type="application/json")
    return _attachment(response, "dealwatch-deals.json")


# Rows per chunk of the streamed CSV: about 200 KB of text, so the server writes a few dozen
# chunks for ten megabytes rather than one per row.
CSV_ROWS_PER_CHUNK = 500


def csv_chunks(deals) -> Iterator[str]:
    """The deals table of the CSV export, CSV_ROWS_PER_CHUNK rows per chunk of text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS["deals"])
    rows = deal_csv_rows(deals)
    while chunk := list(itertools.islice(rows, CSV_ROWS_PER_CHUNK)):
        writer.writerows(chunk)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():  # no deals: the header alone
        yield buffer.getvalue()


@require_GET
def deals_csv(request):
    filters = _filtered(request)
    if filters.error_messages:
        return HttpResponse(
            "\n".join(filters.error_messages) + "\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = StreamingHttpResponse(csv_chunks(filters.qs), content_type="text/csv; charset=utf-8")
    return _attachment(response, "dealwatch-deals.csv")
