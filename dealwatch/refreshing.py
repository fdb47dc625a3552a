"""Say so on a page that shows figures still being brought up to date.

After an edit, the charts that sum over every deal are rebuilt off the request path (by the
refresher process, a background thread, or at most once per pace of their cost: see
`deals.pages.cache`); meanwhile a reader gets the previous figures at once. This middleware
notes each out-of-date part a request reads and, if there was one, writes at the top of the
page when the oldest of them was built, so that no reader takes a chart for the latest when
it is not. Parts are read anywhere in the view or its templates, so the note is written where
the page left its place for it (`PLACE`, in templates/base.html) once the page is rendered.
"""

import time

from django.template.loader import render_to_string

from deals.pages.cache import note_stale_parts

PLACE = b"<!--dealwatch:refreshing-->"
TEMPLATE = "includes/refreshing_note.html"


class RefreshingNoteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        noted = note_stale_parts()
        response = self.get_response(request)
        if not noted or response.streaming or PLACE not in response.content:
            return response
        seconds = max(0, round(time.time() - min(noted)))
        note = render_to_string(TEMPLATE, {"seconds": seconds, "minutes": seconds // 60})
        response.content = response.content.replace(PLACE, note.encode(), 1)
        return response
