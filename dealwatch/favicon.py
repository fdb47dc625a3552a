"""`/favicon.ico`, which browsers ask for on pages that name no icon (the admin, JSON)."""

from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe


@require_safe
def favicon(request):
    """The site's SVG icon. A temporary redirect: the icon's hashed static name changes with it."""
    return redirect(static("favicon.svg"))
