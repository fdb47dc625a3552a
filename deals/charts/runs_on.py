"""What compute runs on: bars per cloud or chip vendor, and the buyer × cloud grid.

The bars are drawn at the stated figures' face value; every word beside them (labels, hover,
tables, the text alternative) comes from the honest `Total` the analytics frame carries in
`attrs["totals"]`, so "up to" and "more than" keep their words and an undisclosed amount is
said, never drawn as nothing.
"""

from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from plotly.subplots import make_subplots

from deals.formatting import money_words
from deals.models import Qualifier
from deals.totals import Total
from dealwatch.language import reader_is_arabic

from .common import BILLION, label_room, layout, plain, short

UNDISCLOSED_COLOUR = "#6b7280"


def undisclosed_words(count: int) -> str:
    """ "undisclosed (2)": amounts the sources do not give, with how many."""
    return _("undisclosed (%(count)s)") % {"count": f"{count:,}"}


def total_label(total: Total | None, language: str | None = None) -> str:
    """A total in a few words for a chart label: "up to $15B", "$30B + 1 undisclosed",
    "undisclosed (1)"; empty when nothing is in it."""
    if total is None or total.is_empty:
        return ""
    if not total.stated_count:
        return undisclosed_words(total.undisclosed_count)
    words = total.span_words(language=language)
    if total.undisclosed_count:
        words += " + " + ngettext(
            "%(count)s undisclosed", "%(count)s undisclosed", total.undisclosed_count
        ) % {"count": f"{total.undisclosed_count:,}"}
    return words


def power_label(total: Total | None, language: str | None = None) -> str:
    """Power in a few words; "not stated" when no deal gives it (never "0 MW")."""
    if total is None or not total.stated_count:
        return _("not stated")
    words = total.span_words(language=language)
    if total.undisclosed_count:
        words += " " + ngettext(
            "(not stated for %(count)s deal)",
            "(not stated for %(count)s deals)",
            total.undisclosed_count,
        ) % {"count": f"{total.undisclosed_count:,}"}
    return words


def _stated_only(total: Total | None) -> Total | None:
    """The stated part of a total: its undisclosed amounts are drawn (and said) apart."""
    return None if total is None else Total(total.unit, total.spans, {})


def _row_totals(frame: pd.DataFrame, row) -> tuple[Total | None, Total | None]:
    """The money and power totals behind one bar; from its face-value sums when the frame
    carries none (a frame built by hand)."""
    totals = frame.attrs.get("totals") or {}
    if getattr(row, "slug", None) in totals:
        return totals[row.slug]
    signed = "signed"
    stated = [(Decimal(str(row.money)), Qualifier.EXACT, signed)] if row.money else []
    money = Total.of([*stated, *[(None, Qualifier.UNDISCLOSED, signed)] * int(row.undisclosed)])
    power = Total.of([(Decimal(str(row.gw)), Qualifier.EXACT, signed)] if row.gw else [])
    return money, power


def runs_on_bars(frame: pd.DataFrame, title: str, language: str | None = None) -> go.Figure:
    """Money (US$ billions) above gigawatts, per cloud or chip vendor, as horizontal bars.

    `frame` has columns name, money (USD), gw, deals, undisclosed (from analytics), and in
    `attrs["totals"]` each row's money and power `Total` by slug. Bars have the stated
    figures' length; deals of undisclosed amount add a grey hatched stub that says how many
    (a third trace, only when there are any). The two
    panels are stacked so that each keeps the full width on a phone.
    """
    arabic = reader_is_arabic(language)
    totals = [_row_totals(frame, row) for row in frame.itertuples(index=False)][::-1]
    frame = frame.iloc[::-1]  # largest at the top of a horizontal bar chart
    figure = make_subplots(
        rows=2,
        cols=1,
        vertical_spacing=0.16,
        subplot_titles=(_("Money (US$ billions)"), _("Power (GW)")),
    )
    labels = [plain(short(name)) for name in frame["name"]]
    power_labels = [power_label(power, language) for _money, power in totals]
    hover = [
        f"{plain(name)}<br>{plain(money.words(language) if money else '')}<br>"
        + _("Power: %(power)s") % {"power": plain(power_text)}
        + "<br>"
        + ngettext("%(count)s deal", "%(count)s deals", int(deals)) % {"count": deals}
        for name, (money, _power), power_text, deals in zip(
            frame["name"], totals, power_labels, frame["deals"], strict=True
        )
    ]
    known_money = [total_label(_stated_only(money), language) for money, _power in totals]
    for row, values, words, colour, name in (
        (1, frame["money"] / BILLION, known_money, "#0b5cad", _("Money")),
        (2, frame["gw"], power_labels, "#15803d", _("Power")),
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
    unknown = [money.undisclosed_count if money else 0 for money, _power in totals]
    if any(unknown):
        # Deals of undisclosed amount: a short hatched, outlined stub at the end of the bar
        # (or alone), saying how many: the deal is there, its amount is not.
        largest = float((frame["money"] / BILLION).max() or 1)
        stub = largest * 0.05
        figure.add_trace(
            go.Bar(
                x=[stub if count else 0 for count in unknown],
                y=labels,
                base=list(frame["money"] / BILLION),
                orientation="h",
                name=_("Undisclosed"),
                marker={
                    "color": "rgba(255,255,255,0)",
                    "line": {"color": UNDISCLOSED_COLOUR, "width": 1.5},
                    "pattern": {"shape": "/", "fgcolor": UNDISCLOSED_COLOUR, "size": 6},
                },
                text=[
                    (
                        ngettext("+ %(count)s undisclosed", "+ %(count)s undisclosed", count)
                        if stated
                        else _("undisclosed (%(count)s)")
                    )
                    % {"count": f"{count:,}"}
                    if count
                    else ""
                    for count, stated in zip(unknown, frame["money"], strict=True)
                ],
                textposition="outside",
                cliponaxis=False,
                hovertext=hover,
                hoverinfo="text",
                showlegend=False,
            ),
            row=1,
            col=1,
        )
    layout(figure, title, language, height=160 + 2 * 40 * max(1, len(frame)))
    # The stubs sit at the end of their bars (`base`), not beside them.
    figure.update_layout(barmode="overlay")
    figure.update_xaxes(rangemode="tozero", automargin=True)
    # A little air between the names and the axis: an undisclosed stub's outline sits on it.
    figure.update_yaxes(automargin=True, ticklabelstandoff=6)
    if arabic:
        figure.update_yaxes(side="right")
        figure.update_xaxes(autorange="reversed")
        # plotly's automargin misses right-hand axes inside right-to-left pages.
        figure.update_layout(margin={"r": label_room(labels)})
        figure.update_annotations(x=1, xanchor="right")
    if any(unknown):
        # Room after the longest bar for its stub's words ("+ 1 undisclosed").
        room = [0, float((frame["money"] / BILLION).max() or 1) * 1.35]
        figure.update_xaxes(range=room[::-1] if arabic else room, autorange=False, row=1, col=1)
    return figure


def _cell_totals(matrix: pd.DataFrame) -> dict:
    return matrix.attrs.get("totals") or {}


def lab_cloud_heatmap(matrix: pd.DataFrame, language: str | None = None) -> go.Figure:
    """Money each buyer committed to each cloud, as a grid coloured by amount.

    A pair whose amounts are all undisclosed is a dashed, outlined cell that says
    "undisclosed" (in the cell and on hover); only a pair with no deal is left empty.
    """
    totals = _cell_totals(matrix)
    cells = [[totals.get((lab, cloud)) for cloud in matrix.columns] for lab in matrix.index]
    values = matrix.to_numpy(dtype=float)
    text = [
        [
            total_label(total, language)
            if total is not None
            else (money_words(Decimal(str(value)), language) if value == value and value else "")
            for total, value in zip(row_totals, row_values, strict=True)
        ]
        for row_totals, row_values in zip(cells, values, strict=True)
    ]
    hover = [
        [
            f"{plain(lab)} → {plain(cloud)}: {plain(total.words(language) if total else cell)}"
            for cloud, total, cell in zip(matrix.columns, row_totals, row_text, strict=True)
        ]
        for lab, row_totals, row_text in zip(matrix.index, cells, text, strict=True)
    ]
    figure = go.Figure(
        go.Heatmap(
            z=values / BILLION,
            x=[plain(short(name, 18)) for name in matrix.columns],
            y=[plain(short(name)) for name in matrix.index],
            text=[[plain(cell) for cell in row] for row in text],
            customdata=hover,
            texttemplate="%{text}",
            # plotly shrinks cell text to fit the cell (4 px on a phone): a fixed, legible size.
            textfont={"size": 12},
            hovertemplate="%{customdata}<extra></extra>",
            hoverongaps=False,  # an empty cell is no deal: nothing to say
            colorscale="Blues",
            zmin=0,
            showscale=False,  # every cell prints its amount
            xgap=2,
            ygap=2,
        )
    )
    # The cells of deals with no stated amount: outlined with a dashed line, so they read as
    # "there is a deal, its amount is unknown", not as the blank of no deal.
    for row, lab in enumerate(matrix.index):
        for column, cloud in enumerate(matrix.columns):
            total = totals.get((lab, cloud))
            if total is not None and not total.stated_count:
                figure.add_shape(
                    type="rect", xref="x", yref="y", x0=column - 0.46, x1=column + 0.46,
                    y0=row - 0.44, y1=row + 0.44, line={"color": UNDISCLOSED_COLOUR, "width": 2,
                    "dash": "dash"}, fillcolor="rgba(107,114,128,0.08)", layer="above",
                )  # fmt: skip
    layout(
        figure,
        _("Compute bought, by buyer and cloud"),
        language,
        height=max(240, 120 + 44 * len(matrix.index)),
    )
    figure.update_xaxes(title_text=_("Cloud"), title_standoff=14, side="bottom", automargin=True)
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
    rows = []
    for row in frame.itertuples(index=False):
        money, power = _row_totals(frame, row)
        rows.append(
            (
                row.name,
                money.words() if money and not money.is_empty else "—",
                power_label(power),
                row.deals,
                row.undisclosed,
            )
        )
    return {
        "columns": [first_column, _("Money"), _("Power"), _("Deals"), _("Amount undisclosed")],
        "rows": rows,
    }


def runs_on_amounts(frame: pd.DataFrame) -> str:
    """Each bar's name and money, for the chart's text alternative: "Azure $38B; …"."""
    return "; ".join(
        f"{row.name} {total_label(_row_totals(frame, row)[0]) or _('undisclosed')}"
        for row in frame.itertuples(index=False)
    )


def lab_cloud_table(matrix: pd.DataFrame) -> dict:
    """The grid's numbers as a table: one row per buyer, one column per cloud; "—" only where
    the buyer has no deal with that cloud."""
    totals = _cell_totals(matrix)

    def cell(lab, cloud, value):
        total = totals.get((lab, cloud))
        if total is not None:
            return total.words()
        return money_words(Decimal(str(value))) if value == value and value else "—"

    return {
        "columns": [_("Buyer"), *matrix.columns],
        "rows": [
            (
                lab,
                *(
                    cell(lab, cloud, value)
                    for cloud, value in zip(matrix.columns, values, strict=True)
                ),
            )
            for lab, values in zip(matrix.index, matrix.to_numpy(dtype=float), strict=True)
        ],
    }


def lab_cloud_description(matrix: pd.DataFrame) -> str:
    """The grid's text alternative, naming the pairs whose amounts are undisclosed."""
    unknown = [
        f"{lab} → {cloud}"
        for (lab, cloud), total in _cell_totals(matrix).items()
        if total is not None and not total.stated_count
    ]
    text = _("A grid of the money each buyer has committed to each cloud.")
    if unknown:
        text += " " + _(
            "Deals whose amount is undisclosed are outlined cells marked “undisclosed”: %(pairs)s."
        ) % {"pairs": "; ".join(unknown)}
    return text
