"""The read API, `/api/v1/`: django-ninja builds the routes and the OpenAPI document from the
schemas (`api.schemas`), and serves its Swagger UI from the package's own static files."""

from django.conf import settings
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from . import errors
from .access import API_ACCESS, AnonymousAddressThrottle
from .endpoints import deals, directory

DESCRIPTION = """\
Read-only JSON for DealWatch's deals, companies, platforms, data centres and articles, with the
field names of the public export (docs/export.md). Lists are paged with cursors: follow `next`.
Every successful response carries `ETag` and `Last-Modified`; send `If-None-Match` to get 304
when nothing changed. Bad parameters answer 400 with `{"detail": ...}`. See docs/api.md.

Reads are public: no credentials are needed, unless the site requires sign-in
(`DEALWATCH_REQUIRE_LOGIN`); then send an API token an admin issued
(`Authorization: Bearer <token>`) or a signed-in session's cookie.
"""


class Utf8JSON(JSONRenderer):
    """Arabic names as text, not \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


class DealWatchAPI(NinjaAPI):
    """A NinjaAPI whose document says when credentials are optional.

    django-ninja lists each way in as one security requirement, as if one were needed. On a
    public site every operation also gets the empty requirement `{}` (OpenAPI: "no credentials
    needed"), so a client generated from the document does not ask for a token it does not
    need; when the site requires sign-in, the document says so by leaving it out.
    """

    def get_openapi_schema(self, **kwargs):
        document = super().get_openapi_schema(**kwargs)
        if not settings.REQUIRE_LOGIN:
            for path_item in document["paths"].values():
                for operation in path_item.values():
                    if operation.get("security"):
                        operation["security"].append({})
        return document


api = DealWatchAPI(
    title="DealWatch API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url="/docs/",
    renderer=Utf8JSON(),
    auth=API_ACCESS,
    throttle=AnonymousAddressThrottle(),
)
errors.install(api)
api.add_router("", deals.router)
api.add_router("", directory.router)
