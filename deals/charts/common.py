"""What every chart shares: the figure as page data, the layout, and right-to-left text.

Charts are functions of small frames returning `go.Figure`; nothing under `deals.charts`
queries the database or touches the request (only the active language, for the words). The
pages place each figure as JSON (`figure_json`) with templates/includes/chart.html, and
static/js/charts.js draws it.
"""

import html
import json

import plotly.graph_objects as go

from dealwatch.language import is_arabic_text, reader_is_arabic

FONT = '"IBM Plex Sans Arabic", "IBM Plex Sans", "Noto Sans Arabic", "DejaVu Sans", sans-serif'
BILLION = 1e9


# Keys of a figure whose strings are read by people: labels, hover text, titles, tick text.
_READ_KEYS = {
    "text", "hovertext", "hovertemplate", "texttemplate", "name", "label", "customdata",
    "ticktext", "legendgrouptitle",
}  # fmt: skip
_RLM = "\u200f"


def _right_to_left(value):
    """Arabic lines start with a right-to-left mark, so "38 مليار دولار" keeps its order.

    Charts are drawn left-to-right (plotly positions its SVG text that way); a line that
    begins with a digit or a Latin name would otherwise be laid out left-to-right too, with
    its words in the wrong order. Arrows point the way Arabic reads.
    """
    if isinstance(value, str):
        if not is_arabic_text(value):
            return value
        lines = value.replace(" → ", " ← ").split("<br>")
        return "<br>".join(line if line.startswith(_RLM) else _RLM + line for line in lines)
    if isinstance(value, list):
        return [_right_to_left(item) for item in value]
    if isinstance(value, dict):
        return {key: _right_to_left(item) for key, item in value.items()}
    return value


def _mark_text(value):
    if isinstance(value, list):
        return [_mark_text(item) for item in value]
    if isinstance(value, dict):
        return {
            key: _right_to_left(item) if key in _READ_KEYS or key == "title" else _mark_text(item)
            for key, item in value.items()
        }
    return value


def figure_json(figure: go.Figure, language: str | None = None) -> dict:
    """The figure as plain JSON data (numpy numbers and all) for `json_script`."""
    data = json.loads(figure.to_json())
    if reader_is_arabic(language):
        data = _mark_text(data)
    return data


def layout(figure: go.Figure, title: str, language: str | None, height: int = 380) -> None:
    arabic = reader_is_arabic(language)
    figure.update_layout(
        title={"text": title, "x": 1 if arabic else 0, "xanchor": "right" if arabic else "left"},
        font={"family": FONT, "size": 13},
        height=height,
        margin={"l": 10, "r": 10, "t": 48, "b": 10},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        hoverlabel={"font": {"family": FONT}, "align": "right" if arabic else "left"},
        legend={
            "orientation": "h",
            "yanchor": "top",
            "y": -0.08,
            "x": 1 if arabic else 0,
            "xanchor": "right" if arabic else "left",
        },
    )


def label_room(labels) -> int:
    """Pixels for a column of names: plotly's automargin misses right-hand axes in RTL pages."""
    return 20 + round(6.5 * max((len(str(label)) for label in labels), default=0))


def short(name: str, limit: int = 22) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def plain(text) -> str:
    """Text from the data (a company's name, an article's title) as plotly shows it: literally.

    plotly reads a subset of HTML in every label and hover text (`<a href>`, `<b>`, `<br>`), so
    a company named `<a href="…">x</a>` would become a link. Escaped, it reads as typed (plotly
    turns the entities back into characters). Only our own markup (`<br>` between lines) is
    left as markup, added after this.
    """
    return html.escape(str(text), quote=False)
