"""Values every page's layout needs."""

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

from dealwatch.language import text_direction


def language_links(request):
    """The current page, filters included, in each of the site's languages."""
    current = get_language() or settings.LANGUAGE_CODE
    here = request.get_full_path()
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        url = translate_url(here, code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": url,
                # hreflang alternates name whole addresses.
                "absolute_url": request.build_absolute_uri(url),
                "is_current": code == current,
                "is_default": code == settings.LANGUAGE_CODE,
            }
        )
    return {
        "language_links": links,
        "text_direction": text_direction(),
    }


def csp_nonce(request):
    """The page's CSP nonce under the name django-htmx's {% htmx_script %} looks for."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
