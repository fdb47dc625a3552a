"""{{ figure|figure_script:"flow-money-figure" }}: a chart's plotly figure as a JSON data block.

Django's `json_script` writes every non-ASCII letter as a six-character escape, so an Arabic
chart's labels and hover texts took three times their size (the Arabic overview was 2 MB, its
flow chart alone 0.7 MB) and every page carried the spaces of `json.dumps`' default
separators. This writes the text as it is, UTF-8, without those spaces, escaping only what
could end or open a tag inside the block, as `json_script` does.
"""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# What `json_script` escapes: a "</script>" or "<!--" inside a string must not end the block.
_TAG_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter(is_safe=True)
def figure_script(value, element_id: str):
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return format_html(
        '<script id="{}" type="application/json">{}</script>',
        element_id,
        mark_safe(text.translate(_TAG_ESCAPES)),  # noqa: S308 - escaped above
    )
