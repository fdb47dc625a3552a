"""The read API, `/api/v1/`: django-ninja builds the routes and the OpenAPI document from the
schemas (`api.schemas`), and serves its Swagger UI from the package's own static files."""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from . import errors
from .access import AnonymousAddressThrottle, ApiAccess
from .endpoints import deals, directory

DESCRIPTION = """\
Read-only JSON for DealWatch's deals, companies, platforms, data centres and articles, with the
field names of the public export (docs/export.md). Lists are paged with cursors: follow `next`.
Every successful response carries `ETag` and `Last-Modified`; send `If-None-Match` to get 304
when nothing changed. Bad parameters answer 400 with `{"detail": ...}`. See docs/api.md.
"""


class Utf8JSON(JSONRenderer):
    """Arabic names as text, not \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="DealWatch API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url="/docs/",
    renderer=Utf8JSON(),
    auth=ApiAccess(),
    throttle=AnonymousAddressThrottle(),
)
errors.install(api)
api.add_router("", deals.router)
api.add_router("", directory.router)
