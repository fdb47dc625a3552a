"""plotly figures for the company pages: functions of data, testable without a request."""

import json
from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go
from django.utils.translation import gettext as _

from deals.formatting import format_money

BILLION = 1e9


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
                hovertemplate="%{x}: %{text}<extra></extra>",
            )
        )
    xaxis = {"type": "date", "title": {"text": _("Date")}, "tickformat": "%b %Y"}
    if not frame.empty and (frame["as_of"] == frame["as_of"].iloc[0]).all():
        # One date alone would make plotly zoom to milliseconds around it; show a year.
        moment = frame["as_of"].iloc[0]
        xaxis["range"] = [
            (moment - pd.DateOffset(months=6)).strftime("%Y-%m-%d"),
            (moment + pd.DateOffset(months=6)).strftime("%Y-%m-%d"),
        ]
    figure.update_layout(
        template="none",
        height=320,
        margin={"l": 60, "r": 20, "t": 20, "b": 50},
        xaxis=xaxis,
        yaxis={"title": {"text": _("USD billions")}, "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.25},
        showlegend=bool(frame["is_projection"].any()),
    )
    return figure


def figure_json(figure: go.Figure) -> dict:
    """The figure as plain JSON data for `json_script`."""
    return json.loads(figure.to_json())


def valuation_table(frame: pd.DataFrame) -> dict:
    """The chart's numbers as a table: date, valuation in words, projected or reported."""
    return {
        "columns": [_("Date"), _("Valuation"), _("Kind")],
        "rows": [
            [
                as_of.date().isoformat(),
                format_money(Decimal(str(amount)), qualifier),
                _("projected") if projected else _("reported"),
            ]
            for as_of, amount, qualifier, projected in frame[
                ["as_of", "amount_usd", "amount_qualifier", "is_projection"]
            ].itertuples(index=False)
        ],
    }
