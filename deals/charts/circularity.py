"""How much of a company's money comes back to it: a bar for what it put in, bars for what
comes back through firm deals, firm and promised, and every deal; a table and words.

Drawn like `standing.py`: certain amounts solid, "up to" ceilings hatched (possible, not
certain), loops through an undisclosed amount as open circles with their count, never as
nothing.
"""

from decimal import Decimal

import plotly.graph_objects as go
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deals.analytics.circularity import Circularity
from deals.totals import MONEY, STANDINGS, Span, Standing, Total
from dealwatch.language import reader_is_arabic

from .common import BILLION, label_room, layout, plain
from .standing import COLOURS, standing_labels


def span_words(span: Span, language=None) -> str:
    """A span of money in words: "$10B", "up to $5B", "about $10B", "$8B–$10B"."""
    if span.is_empty:
        return ""
    return Total(MONEY, {Standing.FIRM: span}).span_words(Standing.FIRM, language)


def _percent(value: Decimal) -> str:
    return _("%(percent)s%%") % {"percent": f"{round(value * 100):,}"}


def share_words(share) -> str:
    """ "100%", "up to 100%", "20%–50%", "at least 20%"; empty without a share."""
    if share is None:
        return ""
    low, high = share
    if high is None:
        return _("at least %(share)s") % {"share": _percent(low)}
    if round(low * 100) == round(high * 100):
        return _percent(high)
    if not low:
        return _("up to %(share)s") % {"share": _percent(high)}
    return _("%(low)s–%(high)s") % {"low": _percent(low), "high": _percent(high)}


def level_labels() -> list[str]:
    """What each level counts, from the firmest (short: they are a chart's row names)."""
    return [
        _("Back through firm deals"),
        _("Back through firm and promised deals"),
        _("Back through every deal"),
    ]


def _wrapped(label: str, width: int = 18) -> str:
    """A row name on two lines at most, so the bars keep their room on a phone."""
    words, lines = label.split(), [""]
    for word in words:
        if lines[-1] and len(lines[-1]) + 1 + len(word) > width and len(lines) < 2:
            lines.append(word)
        else:
            lines[-1] = f"{lines[-1]} {word}".strip()
    return "<br>".join(lines)


def undisclosed_loops(item: Circularity, level: int) -> int:
    """Loops through an undisclosed amount that are as firm as `level` admits."""
    admitted = STANDINGS[: level + 1]
    return sum(count for standing, count in item.undisclosed.items() if standing in admitted)


def _bar(figure, label, value, base, colour, hatched, name, hover, legend, shown=True):
    figure.add_trace(
        go.Bar(
            x=[float(value) / BILLION],
            y=[label],
            base=[base],
            orientation="h",
            name=name,
            legendgroup=legend,
            showlegend=shown and not any(trace.legendgroup == legend for trace in figure.data),
            marker={
                "color": "#ffffff" if hatched else colour,
                "line": {"color": colour, "width": 1.5},
                "pattern": {"shape": "/" if hatched else "", "fgcolor": colour},
            },
            hovertext=[hover],
            hoverinfo="text",
        )
    )
    return base + float(value) / BILLION


def circularity_bars(item: Circularity, title: str, language=None) -> go.Figure:
    """What the company put in, by standing, and what comes back at each level."""
    figure = go.Figure()
    names = standing_labels()
    put_in = _wrapped(plain(_("Put in (its investments)")))
    base = 0.0
    for standing in STANDINGS:
        span = item.invested.span(standing)
        words = f"{put_in}<br>{names[standing]}: {item.invested.span_words(standing, language)}"
        if span.low:
            base = _bar(figure, put_in, span.low, base, COLOURS[standing], False,
                        names[standing], words, standing.value)  # fmt: skip
        if span.ceilings:
            base = _bar(figure, put_in, span.ceilings, base, COLOURS[standing], True,
                        _("%(standing)s: “up to”") % {"standing": names[standing]},
                        words, f"{standing.value}-up-to")  # fmt: skip
    ends = {put_in: base}
    for index, (label, span) in enumerate(zip(level_labels(), item.levels, strict=True)):
        label = _wrapped(plain(label))
        colour = COLOURS[STANDINGS[index]]
        words = f"{label}: {span_words(span, language) or _('nothing stated')}"
        base = 0.0
        # The row names say what each bar counts: no legend entries of their own.
        if span.low:
            base = _bar(figure, label, span.low, base, colour, False, label, words,
                        f"back-{index}", shown=False)  # fmt: skip
        if span.ceilings:
            base = _bar(figure, label, span.ceilings, base, colour, True, label, words,
                        f"back-{index}-up-to", shown=False)  # fmt: skip
        if not span.low and not span.ceilings and not undisclosed_loops(item, index):
            _nothing(figure, label, language)
        ends[label] = base
    _undisclosed_markers(figure, item, ends, language)
    return _layout(figure, list(ends), title, language)


def _undisclosed_markers(figure, item: Circularity, ends: dict, language) -> None:
    rows = [
        (_wrapped(plain(label)), undisclosed_loops(item, index))
        for index, label in enumerate(level_labels())
    ]
    rows = [(label, count) for label, count in rows if count]
    if not rows:
        return
    reach = max(ends.values(), default=0) or 1
    figure.add_trace(
        go.Scatter(
            x=[ends[label] + reach * 0.02 for label, _count in rows],
            y=[label for label, _count in rows],
            mode="markers+text",
            text=[f"{count:,}" for _label, count in rows],
            textposition="middle right",
            marker={"symbol": "circle-open", "size": 14, "color": "#111827", "line": {"width": 2}},
            name=_("Loops through an undisclosed amount"),
            hovertext=[
                ngettext(
                    "%(count)s loop through an undisclosed amount: not added",
                    "%(count)s loops through an undisclosed amount: not added",
                    count,
                )
                % {"count": f"{count:,}"}
                for _label, count in rows
            ],
            hoverinfo="text",
            cliponaxis=False,
        )
    )


def _nothing(figure, label: str, language) -> None:
    figure.add_trace(
        go.Scatter(
            x=[0],
            y=[label],
            mode="text",
            text=[_("nothing stated")],
            # Away from the row names: leftwards where the bars grow leftwards (Arabic).
            textposition="middle left" if reader_is_arabic(language) else "middle right",
            showlegend=False,
            hoverinfo="skip",
            cliponaxis=False,
        )
    )


def _layout(figure: go.Figure, labels: list[str], title: str, language) -> go.Figure:
    arabic = reader_is_arabic(language)
    layout(figure, plain(title), language, height=200 + 48 * len(labels))
    figure.update_layout(barmode="overlay", bargap=0.35)
    figure.update_yaxes(
        autorange="reversed",
        automargin=True,
        tickvals=labels,
        ticktext=labels,
        type="category",
        categoryorder="array",
        categoryarray=labels,
    )
    # The unit is in the title: an axis title here would sit on the legend.
    figure.update_xaxes(rangemode="tozero", automargin=True)
    if arabic:
        figure.update_yaxes(side="right")
        figure.update_xaxes(autorange="reversed")
        lines = [line for label in labels for line in label.split("<br>")]
        figure.update_layout(margin={"r": label_room(lines)})
    return figure


def circularity_table(item: Circularity) -> dict:
    """The bars in words."""
    rows = [(_("Put in (its investments)"), item.invested.words(), "—")]
    for index, (label, span) in enumerate(zip(level_labels(), item.levels, strict=True)):
        count = undisclosed_loops(item, index)
        rows.append((label, span_words(span) or "—", f"{count:,}" if count else "—"))
    return {
        "columns": [_("Money"), _("Amount"), _("Loops through an undisclosed amount")],
        "rows": rows,
    }


def circularity_description(item: Circularity) -> str:
    return _(
        "%(company)s put in %(invested)s; through its loops %(back)s could come back "
        "(%(share)s of what it put in); %(firm)s through firm deals only."
    ) % {
        "company": item.company.display_name,
        "invested": item.invested.words(),
        "back": span_words(item.returned) or _("nothing stated"),
        "share": share_words(item.share) or "—",
        "firm": span_words(item.levels[0]) or _("nothing"),
    }
