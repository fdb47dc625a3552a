"""Deal flow over time: stacked bars per month or quarter, running totals, and the deals as marks.

Bars are stacked by standing (firm, promised, reported; certain amounts solid, "up to" ceilings
hatched, as in `standing.py`), one row per deal type: a dollar invested and then spent on
compute is never added to itself. A slot wider than the step (a deal known only to its
quarter on a monthly chart, or to its year) is one bar as wide as its whole period, set on top
of the bars it spans: drawn as the span it is, never on its first day nor split into invented
parts. Undisclosed amounts are open circles with their count, never nothing. The running totals
climb at the end of each slot (a deal known to the quarter counts once the quarter is over).
"""

import plotly.graph_objects as go
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from plotly.subplots import make_subplots

from deals.analytics.over_time import (
    MONTH,
    STEP_MONTHS,
    UNDATED,
    Flow,
    Slot,
    add_months,
)
from deals.formatting import date_words
from deals.models import DatePrecision
from deals.totals import (
    MONEY,
    POWER,
    STANDINGS,
    Standing,
    Total,
)
from dealwatch.language import reader_is_arabic

from .common import BILLION, layout, plain
from .standing import COLOURS, standing_labels

_PRECISION_OF_MONTHS = {1: DatePrecision.MONTH, 3: DatePrecision.QUARTER, 12: DatePrecision.YEAR}
_DAY_MS = 86_400_000
UNDISCLOSED_SYMBOL = "circle-open"


def scale(unit: str) -> float:
    return BILLION if unit == MONEY else 1.0


def slot_words(slot: Slot, step: str) -> str:
    """ "Nov 2025", "Q4 2025", "2025"; a slot wider than the step says it is all that is known."""
    if slot.start is None:
        return _("No date")
    words = date_words(slot.start, _PRECISION_OF_MONTHS.get(slot.months, DatePrecision.MONTH))
    if slot.months > STEP_MONTHS[step]:
        return _("%(period)s (date known only to this period)") % {"period": words}
    return words


def slot_middle(slot: Slot) -> str:
    return (slot.start + (slot.end - slot.start) / 2).isoformat()


def _width(slot: Slot) -> float:
    """The bar's width on a date axis (milliseconds), with a gap between neighbours."""
    return (slot.end - slot.start).days * _DAY_MS * 0.86


class _Stack:
    """The bars of one row: each slot stacked on what the steps it covers already hold."""

    def __init__(self, flow: Flow):
        self.height = dict.fromkeys(flow.steps, 0.0)
        self.pieces: dict[tuple[Standing, str], dict[str, list]] = {}
        self.undisclosed: dict[str, list] = {"x": [], "y": [], "text": [], "hover": []}

    def add(self, slot: Slot, total: Total, label: str, unit: str, language) -> None:
        covered = [step for step in self.height if slot.start <= step < slot.end]
        base = max((self.height[step] for step in covered), default=0.0)
        names = standing_labels()
        for standing in STANDINGS:
            span = total.span(standing)
            for part, value in (("certain", span.low), ("ceilings", span.ceilings)):
                if not value:
                    continue
                size = float(value) / scale(unit)
                piece = self.pieces.setdefault((standing, part), _piece())
                piece["x"].append(slot_middle(slot))
                piece["y"].append(size)
                piece["base"].append(base)
                piece["width"].append(_width(slot))
                piece["hover"].append(
                    f"{plain(label)}<br>{names[standing]}: {total.span_words(standing, language)}"
                    + ("<br>" + _("“up to”: possible, not certain") if part == "ceilings" else "")
                )
                base += size
        if total.undisclosed_count:
            self.undisclosed["x"].append(slot_middle(slot))
            self.undisclosed["y"].append(base)
            self.undisclosed["text"].append(f"{total.undisclosed_count:,}")
            self.undisclosed["hover"].append(
                f"{plain(label)}<br>{total.undisclosed_words(language=language)}"
            )
        for step in covered:
            self.height[step] = base


def _piece() -> dict[str, list]:
    return {"x": [], "y": [], "base": [], "width": [], "hover": []}


def _running(flow: Flow, by_slot: dict[Slot, Total], unit: str) -> list[tuple[str, Total]]:
    """The running total at the end of every step: the slots over by then, added."""
    points, total = [], Total(unit)
    dated = sorted((slot for slot in by_slot if slot.start), key=lambda slot: slot.end)
    index = 0
    for step in flow.steps:
        end = add_months(step, STEP_MONTHS[flow.step])
        while index < len(dated) and dated[index].end <= end:
            total = total + by_slot[dated[index]]
            index += 1
        points.append((end.isoformat(), total))
    return points


def flow_rows(flow: Flow, unit: str, type_labels: dict[str, str]) -> list[tuple[str, dict]]:
    """The rows a chart of `unit` draws: (label, {slot: Total}), one per deal type for money,
    one for the compute commitments' power."""
    if unit == POWER:
        return [(_("Compute commitments"), flow.power)] if flow.power else []
    return [(type_labels[deal_type], slots) for deal_type, slots in flow.money.items()]


def flow_figure(flow: Flow, unit: str, type_labels: dict[str, str], language=None) -> go.Figure:
    """Stacked bars per slot and the running totals, one row per deal type with a dated
    figure (the undated are in the table only)."""
    rows = [
        (label, slots)
        for label, slots in flow_rows(flow, unit, type_labels)
        if any(slot.start for slot in slots)
    ]
    count = max(1, len(rows))
    figure = make_subplots(
        rows=count,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.12 if count > 1 else 0.05,
        subplot_titles=[plain(label) for label, _slots in rows] or [""],
        specs=[[{"secondary_y": True}]] * count,
    )
    names = standing_labels()
    for index, (label, slots) in enumerate(rows, start=1):
        stack = _Stack(flow)
        dated = [slot for slot in slots if slot.start]
        # The narrow slots first: a wide one is set on top of every step it spans.
        for slot in sorted(dated, key=lambda slot: (slot.months, slot.start)):
            stack.add(slot, slots[slot], f"{label} · {slot_words(slot, flow.step)}", unit, language)
        first_row = index == 1
        for (standing, part), piece in stack.pieces.items():
            figure.add_trace(
                go.Bar(
                    x=piece["x"],
                    y=piece["y"],
                    base=piece["base"],
                    width=piece["width"],
                    name=names[standing]
                    if part == "certain"
                    else _("%(standing)s: “up to”") % {"standing": names[standing]},
                    legendgroup=f"{standing}-{part}",
                    showlegend=first_row or not _shown(figure, f"{standing}-{part}"),
                    marker={
                        "color": "#ffffff" if part == "ceilings" else COLOURS[standing],
                        "line": {"color": COLOURS[standing], "width": 1},
                        "pattern": {
                            "shape": "/" if part == "ceilings" else "",
                            "fgcolor": COLOURS[standing],
                        },
                    },
                    hovertext=piece["hover"],
                    hoverinfo="text",
                ),
                row=index,
                col=1,
            )
        if stack.undisclosed["x"]:
            figure.add_trace(
                go.Scatter(
                    x=stack.undisclosed["x"],
                    y=stack.undisclosed["y"],
                    mode="markers+text",
                    text=stack.undisclosed["text"],
                    textposition="top center",
                    marker={"symbol": UNDISCLOSED_SYMBOL, "size": 12, "color": "#111827"},
                    name=_("Amount undisclosed (how many)"),
                    legendgroup="undisclosed",
                    showlegend=not _shown(figure, "undisclosed"),
                    hovertext=stack.undisclosed["hover"],
                    hoverinfo="text",
                    cliponaxis=False,
                ),
                row=index,
                col=1,
            )
        _add_running(figure, flow, slots, unit, index, language)
    _axes(figure, flow, unit, count, language)
    return figure


def _shown(figure: go.Figure, group: str) -> bool:
    return any(trace.legendgroup == group and trace.showlegend for trace in figure.data)


def _add_running(figure, flow: Flow, slots, unit: str, row: int, language) -> None:
    points = _running(flow, slots, unit)
    if not points:
        return
    for key, name, dash, value in (
        ("running-certain", _("So far: certain"), "solid", lambda total: total.certain),
        (
            "running-possible",
            _("So far: with “up to” ceilings"),
            "dot",
            lambda total: total.certain + total.span().ceilings,
        ),
    ):
        figure.add_trace(
            go.Scatter(
                x=[end for end, _total in points],
                y=[float(value(total)) / scale(unit) for _end, total in points],
                mode="lines",
                line={"shape": "hv", "dash": dash, "color": "#111827", "width": 1.5},
                name=name,
                legendgroup=key,
                showlegend=not _shown(figure, key),
                hovertext=[
                    _("So far: %(total)s") % {"total": t.words(language)} for _e, t in points
                ],
                hoverinfo="text",
            ),
            row=row,
            col=1,
            secondary_y=True,
        )


def _axes(figure: go.Figure, flow: Flow, unit: str, count: int, language) -> None:
    arabic = reader_is_arabic(language)
    layout(figure, "", language, height=150 + 230 * count)
    # Transparent plot areas: a secondary axis's own background must not hide the bars.
    figure.update_layout(
        barmode="overlay", bargap=0, hovermode="closest", plot_bgcolor="rgba(0,0,0,0)"
    )
    per = _("per month") if flow.step == MONTH else _("per quarter")
    amount = _("US$ billions") if unit == MONEY else _("GW")
    figure.update_yaxes(
        title_text=f"{amount} {per}", secondary_y=False, rangemode="tozero", automargin=True
    )
    figure.update_yaxes(
        title_text=_("so far"), secondary_y=True, rangemode="tozero", showgrid=False
    )
    if flow.steps:
        first = flow.steps[0]
        last = add_months(flow.steps[-1], STEP_MONTHS[flow.step])
        ends = [first.isoformat(), last.isoformat()]
        figure.update_xaxes(type="date", range=ends[::-1] if arabic else ends)
    if arabic:  # time runs leftwards; the amounts' axis on the right, the running total left
        figure.update_yaxes(side="right", secondary_y=False)
        figure.update_yaxes(side="left", secondary_y=True)


def flow_table(flow: Flow, unit: str, type_labels: dict[str, str]) -> dict:
    """The bars in words: per slot and type, each standing, the undisclosed amounts and the
    running total."""
    names = standing_labels()
    rows = []
    for label, slots in flow_rows(flow, unit, type_labels):
        running = Total(unit)
        for slot, total in slots.items():
            running = running + total
            rows.append(
                (
                    slot_words(slot, flow.step),
                    label,
                    *(total.span_words(standing) or "—" for standing in STANDINGS),
                    _undisclosed_words(total) or "—",
                    running.words() if slot != UNDATED else "—",
                )
            )
    return {
        "columns": [
            _("Period"),
            _("Type"),
            *(names[standing] for standing in STANDINGS),
            _("Amount undisclosed"),
            _("So far"),
        ],
        "rows": rows,
    }


def _undisclosed_words(total: Total) -> str:
    if not total.undisclosed_count:
        return ""
    return total.parts()[-1]


def flow_description(flow: Flow, unit: str, type_labels: dict[str, str]) -> str:
    """The chart's text alternative: each row's whole total in words, and what is undated."""
    parts = []
    for label, slots in flow_rows(flow, unit, type_labels):
        total = sum(slots.values(), Total(unit))
        parts.append(f"{label}: {total.words()}")
        if UNDATED in slots:
            count = slots[UNDATED].deal_count
            parts[-1] += " " + ngettext(
                "(%(count)s of them has no date and is not drawn)",
                "(%(count)s of them have no date and are not drawn)",
                count,
            ) % {"count": f"{count:,}"}
    per = _("month") if flow.step == MONTH else _("quarter")
    return _(
        "Stacked bars per %(step)s by standing, certain amounts solid, “up to” ceilings hatched, "
        "undisclosed amounts as open circles; lines for the running totals. %(rows)s."
    ) % {"step": per, "rows": "; ".join(parts)}
