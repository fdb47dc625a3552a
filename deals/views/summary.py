"""/export/summary.json: the totals of the deals the timeline's filters select."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from deals.pages.filters import deal_filter
from deals.pages.summary import summary_document

_JSON_OPTIONS = {"ensure_ascii": False, "indent": 2}


@require_GET
def summary_json(request):
    filters = deal_filter(request.GET or None)
    if filters.error_messages:
        return JsonResponse(
            {"errors": filters.error_messages}, status=400, json_dumps_params=_JSON_OPTIONS
        )
    return JsonResponse(summary_document(filters), json_dumps_params=_JSON_OPTIONS)
