"""The export over the web, for the same filters as the timeline: /export/deals.json and .csv."""

import csv
import io

from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from deals.export import CSV_COLUMNS, csv_tables, export_document
from deals.filters import DealFilter
from deals.models import Deal

_JSON_OPTIONS = {"ensure_ascii": False, "indent": 2}


def _filtered(request) -> DealFilter:
    return DealFilter(request.GET or None, queryset=Deal.objects.all())


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def deals_json(request):
    filters = _filtered(request)
    if filters.error_messages:
        return JsonResponse(
            {"errors": filters.error_messages}, status=400, json_dumps_params=_JSON_OPTIONS
        )
    document = export_document(filters.qs)
    response = JsonResponse(document, json_dumps_params=_JSON_OPTIONS)
    return _attachment(response, "dealwatch-deals.json")


@require_GET
def deals_csv(request):
    filters = _filtered(request)
    if filters.error_messages:
        return HttpResponse(
            "\n".join(filters.error_messages) + "\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    rows = csv_tables(export_document(filters.qs))["deals"]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS["deals"])
    writer.writeheader()
    writer.writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return _attachment(response, "dealwatch-deals.csv")
