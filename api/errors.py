"""The API's refusals, each a JSON `{"detail": "..."}` with the status that says why."""

import math

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja.errors import AuthenticationError, Throttled, ValidationError

from .access import refusal_message
from .paging import MAX_LIMIT, BadPage


class BadParameters(Exception):
    """Query parameters that cannot be understood: 400, with one sentence per problem."""

    def __init__(self, messages: list[str]):
        super().__init__(messages)
        self.messages = messages


class NotFound(Exception):
    """An id that names nothing: 404."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def error(messages: list[str]) -> dict:
    return {"detail": " ".join(messages), "errors": messages}


def _parameter_problem(problem: dict) -> str:
    name = str(problem.get("loc", ("", ""))[-1])
    if name == "limit":
        return _("“limit” must be a whole number from 1 to %(max)s.") % {"max": MAX_LIMIT}
    return _("The parameter “%(name)s” is not valid.") % {"name": name}


def install(api) -> None:
    """Register the handlers on the NinjaAPI `api`."""

    @api.exception_handler(BadParameters)
    def bad_parameters(request, exc):
        return api.create_response(request, error(exc.messages), status=400)

    @api.exception_handler(BadPage)
    def bad_page(request, exc):
        return api.create_response(request, error([str(exc)]), status=400)

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        return api.create_response(
            request, error([_parameter_problem(problem) for problem in exc.errors]), status=400
        )

    @api.exception_handler(NotFound)
    def not_found(request, exc):
        return api.create_response(request, error([exc.message]), status=404)

    @api.exception_handler(AuthenticationError)
    def refused(request, exc):
        response = api.create_response(request, error([refusal_message(exc)]), status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(Throttled)
    def throttled(request, exc):
        seconds = max(1, math.ceil(exc.wait or 1))
        message = ngettext(
            "Too many requests from your address. Please wait %(seconds)s second and try again.",
            "Too many requests from your address. Please wait %(seconds)s seconds and try again.",
            seconds,
        ) % {"seconds": seconds}
        return api.create_response(request, error([message]), status=429)
