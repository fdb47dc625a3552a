"""How much of it is promises? Money split by standing, as stacked bars, a table and words.

Each row (a deal type on the overview, a role on a company page) is a `deals.totals.Total`.
Per standing the bar draws what is certain as a solid block and the "up to" ceilings as a
hatched block of the same colour (possible, not certain, never merged into the solid part);
amounts nobody disclosed are an outlined marker at the end of the bar with their count, never
nothing. The table beside it and the text alternative say the same in words.
"""

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from deals.totals import STANDINGS, Standing, Total
from dealwatch.language import reader_is_arabic

from .common import BILLION, figure_json, label_room, layout, plain, short

COLOURS = {
    Standing.FIRM: "#0b5cad",
    Standing.PROMISED: "#b45309",
    Standing.REPORTED: "#6b7280",
}


def standing_labels() -> dict[Standing, str]:
    """Each standing with what it means, for legends and table headings."""
    return {
        Standing.FIRM: _("Firm (signed, completed)"),
        Standing.PROMISED: _("Promised (announced)"),
        Standing.REPORTED: _("Reported (in talks, rumoured)"),
    }


def standing_bars(rows: list[tuple[str, Total]], title: str, language=None) -> go.Figure:
    """One horizontal bar per `(label, total)` row, stacked by standing (US$ billions)."""
    arabic = reader_is_arabic(language)
    # The undisclosed count goes under the row's name (text after the bar would run off a
    # phone's screen); an open circle marks it where the bar ends.
    # Labels and title may hold a company's name: plain text, whatever its characters.
    labels = [
        plain(short(label, 28))
        # No brackets: around a line that starts with a digit they reorder it in Arabic.
        + (f"<br>{total.undisclosed_words(language=language)}" if total.undisclosed_count else "")
        for label, total in rows
    ]
    names = standing_labels()
    figure = go.Figure()
    for standing in STANDINGS:
        spans = [total.span(standing) for _label, total in rows]
        for part, values, pattern in (
            ("certain", [span.low for span in spans], ""),
            ("ceilings", [span.ceilings for span in spans], "/"),
        ):
            if not any(values):
                continue
            hover = [
                f"{plain(label)}<br>{names[standing]}: {total.span_words(standing, language)}"
                + ("<br>" + _("“up to”: possible, not certain") if part == "ceilings" else "")
                for label, total in rows
            ]
            figure.add_trace(
                go.Bar(
                    x=[float(value) / BILLION for value in values],
                    y=labels,
                    orientation="h",
                    name=names[standing]
                    if part == "certain"
                    else _("%(standing)s: “up to”") % {"standing": names[standing]},
                    legendgroup=standing.value,
                    marker={
                        "color": "#ffffff" if pattern else COLOURS[standing],
                        "line": {"color": COLOURS[standing], "width": 1.5},
                        "pattern": {"shape": pattern, "fgcolor": COLOURS[standing]},
                    },
                    hovertext=hover,
                    hoverinfo="text",
                )
            )
    # The undisclosed amounts: an open marker where each bar ends, with its count.
    ends = [
        float(sum((total.span(s).low + total.span(s).ceilings for s in STANDINGS), 0)) / BILLION
        for _label, total in rows
    ]
    reach = (max(ends, default=0) or 1) * 1.08
    # Just past the bar's end, so a row with no stated amount keeps its marker off the names.
    pad = reach * 0.015
    undisclosed = [
        (index, total) for index, (_label, total) in enumerate(rows) if total.undisclosed_count
    ]
    if undisclosed:
        figure.add_trace(
            go.Scatter(
                x=[ends[index] + pad for index, _total in undisclosed],
                y=[labels[index] for index, _total in undisclosed],
                mode="markers",
                marker={
                    "symbol": "circle-open",
                    "size": 14,
                    "color": "#111827",
                    "line": {"width": 2},
                },
                name=_("Amount undisclosed"),
                hovertext=[
                    f"{plain(rows[index][0])}<br>{total.undisclosed_words(language=language)}"
                    for index, total in undisclosed
                ],
                hoverinfo="text",
                cliponaxis=False,
            )
        )
    layout(figure, plain(title), language, height=170 + 56 * max(1, len(rows)))
    figure.update_layout(barmode="stack", bargap=0.35)
    # The unit is in the title: an axis title here would sit under the legend.
    figure.update_xaxes(automargin=True, zeroline=True)
    # The names as tick text, which figure_json marks right-to-left for Arabic (category
    # values are data and are left as they are).
    figure.update_yaxes(autorange="reversed", automargin=True, tickvals=labels, ticktext=labels)
    if arabic:
        # Bars grow leftwards from the names on the right; plotly's automargin misses a
        # right-hand axis in a right-to-left page.
        figure.update_yaxes(side="right")
        figure.update_xaxes(range=[reach, 0])
        lines = [line for label in labels for line in label.split("<br>")]
        figure.update_layout(margin={"r": label_room(lines)})
    else:
        figure.update_xaxes(range=[0, reach])
    return figure


def standing_table(rows: list[tuple[str, Total]], first_column: str) -> dict:
    """The bars in words: per row, each standing's span and the undisclosed amounts."""
    names = standing_labels()
    return {
        "columns": [first_column, *(names[s] for s in STANDINGS), _("Amount undisclosed")],
        "rows": [
            (
                label,
                *(total.span_words(s) or "—" for s in STANDINGS),
                _undisclosed_words(total) or "—",
            )
            for label, total in rows
        ],
    }


def _undisclosed_words(total: Total) -> str:
    """ "1 (reported)", "3 (2 promised, 1 reported)"."""
    if not total.undisclosed_count:
        return ""
    parts = total.parts()
    return parts[-1]


def standing_description(rows: list[tuple[str, Total]]) -> str:
    """The chart's text alternative: every row's total in words."""
    return _(
        "Stacked bars of money by standing: certain amounts solid, “up to” ceilings hatched, "
        "undisclosed amounts as open circles. %(rows)s."
    ) % {"rows": "; ".join(f"{label}: {total.words()}" for label, total in rows)}


def standing_chart(
    chart_id: str, rows: list[tuple[str, Total]], title: str, first_column: str
) -> dict:
    """What templates/includes/chart.html places: the figure as data, its table and words."""
    return {
        "chart_id": chart_id,
        "title": title,
        "figure": figure_json(standing_bars(rows, title)),
        "table": standing_table(rows, first_column),
        "description": standing_description(rows),
    }
