"""`/api/v1/…`: the NinjaAPI's routes, each answering conditional requests, plus a JSON 404 for
any other path under the prefix."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.urls import path, re_path
from django.utils.translation import gettext as _

from .api import api
from .conditional import conditional
from .errors import error


def _open_to_api_access(pattern):
    # The API checks sign-in itself (a token or a session, `api.access`): Django's
    # LoginRequiredMiddleware would send a program to the sign-in page instead.
    pattern.callback = login_not_required(conditional(pattern.callback))
    return pattern


@login_not_required
def unknown_path(request, rest):
    message = _("There is nothing at this address of the API; see /api/v1/docs/.")
    return api.create_response(request, error([message]), status=404)


@login_not_required
def root(request):
    """`/api/v1/` itself: the documentation, which lists every endpoint."""
    return redirect("api:openapi-view")


patterns, _app, namespace = api.urls
urlpatterns = [_open_to_api_access(pattern) for pattern in patterns if pattern.name != "api-root"]
urlpatterns += [
    path("", root, name="api-root"),
    re_path(r"^(?P<rest>.*)$", unknown_path),
]
app_name = namespace
