"""Scaffold: replaced by the page's real view."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


graph = _todo
