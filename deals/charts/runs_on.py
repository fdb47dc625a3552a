"""What compute runs on: bars per cloud or chip vendor, and the buyer × cloud grid."""

from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from plotly.subplots import make_subplots

from deals.formatting import format_power, money_words
from deals.models import Qualifier
from dealwatch.language import reader_is_arabic

from .common import BILLION, label_room, layout, short


def runs_on_bars(frame: pd.DataFrame, title: str, language: str | None = None) -> go.Figure:
    """Money (US$ billions) above gigawatts, per cloud or chip vendor, as horizontal bars.

    `frame` has columns name, money (USD), gw, deals, undisclosed (from analytics). The two
    panels are stacked so that each keeps the full width on a phone.
    """
    arabic = reader_is_arabic(language)
    frame = frame.iloc[::-1]  # largest at the top of a horizontal bar chart
    figure = make_subplots(
        rows=2,
        cols=1,
        vertical_spacing=0.16,
        subplot_titles=(_("Money (US$ billions)"), _("Power (GW)")),
    )
    labels = [short(name) for name in frame["name"]]
    money_words_list = [
        money_words(Decimal(str(value)), language) if value else _("undisclosed")
        for value in frame["money"]
    ]
    power_words = [
        format_power(Decimal(str(value)), Qualifier.EXACT, language) if value else "—"
        for value in frame["gw"]
    ]
    hover = [
        f"{name}<br>{money} · {power}<br>"
        + ngettext("%(count)s deal", "%(count)s deals", int(deals)) % {"count": deals}
        for name, money, power, deals in zip(
            frame["name"], money_words_list, power_words, frame["deals"], strict=True
        )
    ]
    for row, values, words, colour, name in (
        (1, frame["money"] / BILLION, money_words_list, "#0b5cad", _("Money")),
        (2, frame["gw"], power_words, "#15803d", _("Power")),
    ):
        figure.add_trace(
            go.Bar(
                x=values,
                y=labels,
                orientation="h",
                name=name,
                marker_color=colour,
                text=words,
                textposition=["auto" if value else "outside" for value in values],
                insidetextanchor="middle",
                cliponaxis=False,
                hovertext=hover,
                hoverinfo="text",
                showlegend=False,
            ),
            row=row,
            col=1,
        )
    layout(figure, title, language, height=160 + 2 * 40 * max(1, len(frame)))
    figure.update_xaxes(rangemode="tozero", automargin=True)
    figure.update_yaxes(automargin=True)
    if arabic:
        figure.update_yaxes(side="right")
        figure.update_xaxes(autorange="reversed")
        # plotly's automargin misses right-hand axes inside right-to-left pages.
        figure.update_layout(margin={"r": label_room(labels)})
        figure.update_annotations(x=1, xanchor="right")
    return figure


def lab_cloud_heatmap(matrix: pd.DataFrame, language: str | None = None) -> go.Figure:
    """Money each buyer committed to each cloud, as a grid coloured by amount."""
    text = [
        [money_words(Decimal(str(value)), language) if value else "" for value in row]
        for row in matrix.to_numpy()
    ]
    figure = go.Figure(
        go.Heatmap(
            z=matrix.to_numpy() / BILLION,
            x=[short(name, 18) for name in matrix.columns],
            y=[short(name) for name in matrix.index],
            text=text,
            texttemplate="%{text}",
            hovertemplate="%{y} → %{x}: %{text}<extra></extra>",
            colorscale="Blues",
            showscale=False,  # every cell prints its amount
            xgap=2,
            ygap=2,
        )
    )
    layout(
        figure,
        _("Compute bought, by buyer and cloud"),
        language,
        height=max(240, 120 + 44 * len(matrix.index)),
    )
    figure.update_xaxes(title_text=_("Cloud"), side="bottom", automargin=True)
    figure.update_yaxes(title_text=_("Buyer"), autorange="reversed", automargin=True)
    if reader_is_arabic(language):
        # On the right the axis title would sit on the names; the caption names the rows.
        figure.update_yaxes(side="right", title_text=None)
        figure.update_xaxes(autorange="reversed")
        figure.update_layout(
            margin={"r": label_room(matrix.index) + 24, "b": label_room(matrix.columns) // 2 + 50}
        )
    return figure


def runs_on_table(frame: pd.DataFrame, first_column: str) -> dict:
    """The bars' numbers as a table: name, money, power, deals, how many undisclosed."""
    return {
        "columns": [first_column, _("Money"), _("Power"), _("Deals"), _("Amount undisclosed")],
        "rows": [
            (
                row.name,
                money_words(row.money) if row.money else "—",
                format_power(row.gw, Qualifier.EXACT) or "—",
                row.deals,
                row.undisclosed,
            )
            for row in frame.itertuples(index=False)
        ],
    }


def runs_on_amounts(frame: pd.DataFrame) -> str:
    """Each bar's name and money, for the chart's text alternative: "Azure $38B; …"."""
    return "; ".join(
        f"{row.name} {money_words(row.money) if row.money else _('undisclosed')}"
        for row in frame.itertuples()
    )


def lab_cloud_table(matrix: pd.DataFrame) -> dict:
    """The grid's numbers as a table: one row per buyer, one column per cloud."""
    return {
        "columns": [_("Buyer"), *matrix.columns],
        "rows": [
            (lab, *(money_words(value) if value else "—" for value in values))
            for lab, values in zip(matrix.index, matrix.to_numpy(), strict=True)
        ],
    }
