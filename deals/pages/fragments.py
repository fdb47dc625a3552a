"""Parts of pages kept in the cache as the HTML they render to, not as the data they are drawn from.

At a million deals a warm overview spent 0.59 s of its 0.72 s rendering templates (cProfile):
the flow charts' tables, the loops with every deal of every step, the Sankey's rows, all turned
into HTML again on each request from data unpickled on each request. The data only change with
the generation, and each cached part is already kept per language, so a part is rendered once,
when its entry is built, and a request writes out one string.

Each page module builds its data first (`graph_figures`, `flow_figures`: what the tests read)
and hands it to a function here when it fills its entry, so a part's numbers and its HTML are
always of one generation.
"""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from deals.charts.standing import standing_chart
from deals.totals import Total
from dealwatch.language import reader_language, text_direction

from .cache import memoized

CHART_TEMPLATE = "includes/chart.html"


def rendered(template_name: str, context: dict) -> SafeString:
    """`template_name` rendered for the reader's language, as the request's own page would.

    No request is at hand (an entry may be built by the refresher process), so what the
    templates read from the context processors is given here.
    """
    html = render_to_string(template_name, {"text_direction": text_direction(), **context})
    # Our own template's output, escaped when it was rendered.
    return mark_safe(html)  # noqa: S308


def chart_html(chart: dict | None, *, wide: bool = False) -> SafeString:
    """One chart (`chart_id`, `figure`, `title`, `table`, `description`) as its figure, its
    caption and its table of numbers; empty for no chart."""
    if not chart:
        return SafeString("")
    return rendered(
        CHART_TEMPLATE,
        {
            "chart_id": chart["chart_id"],
            "figure": chart["figure"],
            "title": chart.get("title", ""),
            "table": chart["table"],
            "description": chart.get("description", ""),
            "wide": wide,
        },
    )


def standing_chart_html(
    chart_id: str, rows: list[tuple[str, Total]], title: str, first_column: str
) -> SafeString:
    """`charts.standing.standing_chart` as its HTML, drawn once for the same sums: the
    overview's "how much of it is promises?" is read from the tally on each request, and
    drawing it took a fifth of a warm overview's time."""
    return memoized(
        "standing-chart",
        lambda: chart_html(standing_chart(chart_id, rows, title, first_column)),
        reader_language(),
        chart_id,
        title,
        first_column,
        repr(rows),
    )
