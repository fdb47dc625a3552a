"""A company's valuations over time: a line of reported values, projections dashed."""

from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from deals.formatting import format_money
from dealwatch.language import reader_is_arabic

from .common import BILLION


def _month_ticks(start: pd.Timestamp, end: pd.Timestamp) -> dict:
    """Month ticks written by Django in the reader's language (plotly.js would write English)."""
    months = pd.date_range(start.replace(day=1), end, freq="MS")
    chosen = months[:: max(1, -(-len(months) // 6))]
    return {
        "tickvals": [month.strftime("%Y-%m-%d") for month in chosen],
        "ticktext": [date_format(month.date(), "M Y") for month in chosen],
    }


def valuation_history(frame: pd.DataFrame) -> go.Figure:
    """Valuations over time in USD billions: a line of reported values, projections dashed."""
    figure = go.Figure()
    for projected, name, dash in (
        (False, _("Valuation"), "solid"),
        (True, _("Projected"), "dot"),
    ):
        points = frame[frame["is_projection"] == projected]
        if points.empty:
            continue
        figure.add_trace(
            go.Scatter(
                x=points["as_of"].dt.strftime("%Y-%m-%d").tolist(),
                y=(points["amount_usd"] / BILLION).round(3).tolist(),
                mode="lines+markers",
                name=name,
                line={"dash": dash, "width": 2},
                marker={"size": 9},
                text=[
                    format_money(Decimal(str(amount)), qualifier)
                    for amount, qualifier in zip(
                        points["amount_usd"], points["amount_qualifier"], strict=True
                    )
                ],
                customdata=[date_format(moment.date(), "j M Y") for moment in points["as_of"]],
                hovertemplate="%{customdata}: %{text}<extra></extra>",
            )
        )
    arabic = reader_is_arabic()
    xaxis = {"type": "date", "title": {"text": _("Date")}}
    if not frame.empty:
        first, last = frame["as_of"].min(), frame["as_of"].max()
        if first == last:
            # One date alone would make plotly zoom to milliseconds around it; show a year.
            first, last = first - pd.DateOffset(months=6), last + pd.DateOffset(months=6)
            xaxis["range"] = [first.strftime("%Y-%m-%d"), last.strftime("%Y-%m-%d")]
        xaxis.update(_month_ticks(first - pd.DateOffset(months=1), last))
    if arabic:  # read right to left: time runs leftwards, the amounts' axis on the right
        if "range" in xaxis:
            xaxis["range"] = xaxis["range"][::-1]
        else:
            xaxis["autorange"] = "reversed"
    figure.update_layout(
        template="none",
        height=320,
        margin={"l": 20, "r": 60, "t": 20, "b": 50}
        if arabic
        else {"l": 60, "r": 20, "t": 20, "b": 50},
        xaxis=xaxis,
        yaxis={
            "title": {"text": _("USD billions")},
            "rangemode": "tozero",
            "side": "right" if arabic else "left",
        },
        legend={
            "orientation": "h",
            "y": -0.25,
            "x": 1 if arabic else 0,
            "xanchor": "right" if arabic else "left",
        },
        showlegend=bool(frame["is_projection"].any()),
    )
    return figure


def valuation_table(frame: pd.DataFrame) -> dict:
    """The chart's numbers as a table: date, valuation in words, projected or reported."""
    return {
        "columns": [_("Date"), _("Valuation"), _("Kind")],
        "rows": [
            [
                date_format(as_of.date(), "j M Y"),
                format_money(Decimal(str(amount)), qualifier),
                _("projected") if projected else _("reported"),
            ]
            for as_of, amount, qualifier, projected in frame[
                ["as_of", "amount_usd", "amount_qualifier", "is_projection"]
            ].itertuples(index=False)
        ],
    }
