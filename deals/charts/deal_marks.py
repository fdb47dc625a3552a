"""The filtered deals as marks on a time axis: each at its date (a date known only to its month,
quarter or year drawn as a bar across that period), sized by its amount, coloured by standing;
an undisclosed amount a hollow diamond, never a mark of size zero. Clicking a mark opens the
deal (static/js/chart_links.js reads its address from the mark's `customdata`).
"""

import datetime
import math

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from deals.analytics.over_time import MONTH, slot_of
from deals.formatting import date_words, format_money
from deals.models import DatePrecision, Qualifier
from deals.totals import STANDING_OF_STATUS, STANDINGS, Standing, standing_name
from dealwatch.language import reader_is_arabic

from .common import label_room, layout, plain
from .over_time import slot_middle
from .standing import COLOURS, standing_labels


def _size(amount, largest) -> float:
    return 10 + 34 * math.sqrt(float(amount) / float(largest)) if largest else 14


def _jitter(slug: str) -> float:
    """A fixed small offset per deal, so that deals on one day stay apart."""
    return ((sum(map(ord, slug)) * 37) % 61 - 30) / 100


def deal_marks(deals: list, type_labels: dict[str, str], language=None) -> go.Figure:
    """Each deal a mark at its date, sized by its amount, coloured by standing; undisclosed
    amounts a hollow diamond; a date known only to its month, quarter or year a bar across it.
    Clicking a mark opens the deal (its address is the mark's `customdata`)."""
    rows = {deal_type: index for index, deal_type in enumerate(type_labels)}
    largest = max((deal.amount_usd for deal in deals if deal.amount_usd), default=0)
    figure = go.Figure()
    spans = {"x": [], "y": []}
    groups: dict[tuple, dict[str, list]] = {}
    for deal in deals:
        y = rows[deal.deal_type] + _jitter(deal.slug)
        slot = slot_of(deal.announced_on, deal.date_precision, MONTH)
        precise = deal.date_precision == DatePrecision.DAY
        x = deal.announced_on.isoformat() if precise else slot_middle(slot)
        if not precise:
            spans["x"] += [slot.start.isoformat(), slot.end.isoformat(), None]
            spans["y"] += [y, y, None]
        undisclosed = deal.amount_usd is None or deal.amount_qualifier == Qualifier.UNDISCLOSED
        standing = _standing(deal.status)
        group = groups.setdefault(
            (standing, undisclosed),
            {"x": [], "y": [], "hover": [], "url": [], "size": [], "up_to": []},
        )
        group["x"].append(x)
        group["y"].append(y)
        group["hover"].append(_mark_hover(deal, language))
        group["url"].append(deal.get_absolute_url())
        group["size"].append(14 if undisclosed else _size(deal.amount_usd, largest))
        group["up_to"].append(deal.amount_qualifier == Qualifier.UP_TO)
    if spans["x"]:
        figure.add_trace(
            go.Scatter(
                x=spans["x"],
                y=spans["y"],
                mode="lines",
                line={"color": "#9ca3af", "width": 5},
                opacity=0.6,
                name=_("Date known only to the month, quarter or year"),
                hoverinfo="skip",
            )
        )
    names = standing_labels()
    for (standing, undisclosed), group in sorted(
        groups.items(), key=lambda item: (item[0][1], STANDINGS.index(item[0][0]))
    ):
        figure.add_trace(
            go.Scatter(
                x=group["x"],
                y=group["y"],
                mode="markers",
                name=(
                    _("%(standing)s: amount undisclosed") % {"standing": standing_name(standing)}
                    if undisclosed
                    else names[standing]
                ),
                marker={
                    "symbol": "diamond-open" if undisclosed else "circle",
                    "size": group["size"],
                    "color": COLOURS[standing],
                    "opacity": [0.45 if up_to else 0.85 for up_to in group["up_to"]],
                    "line": {"color": COLOURS[standing], "width": 2},
                },
                customdata=group["url"],
                hovertext=group["hover"],
                hoverinfo="text",
            )
        )
    layout(figure, "", language, height=160 + 70 * max(1, len(rows)))
    arabic = reader_is_arabic(language)
    labels = list(type_labels.values())
    figure.update_yaxes(
        tickvals=list(range(len(labels))),
        ticktext=[plain(label) for label in labels],
        range=[-0.6, len(labels) - 0.4],
        side="right" if arabic else "left",
        automargin=True,
        zeroline=False,
    )
    days = [deal.announced_on for deal in deals]
    first, last = min(days, default=None), max(days, default=None)
    if first is not None and (last - first).days < 120:
        # Deals within a few weeks: plotly would zoom to hours; show a few months around them.
        ends = [(first - datetime.timedelta(days=60)).isoformat(),
                (last + datetime.timedelta(days=60)).isoformat()]  # fmt: skip
        figure.update_xaxes(type="date", range=ends[::-1] if arabic else ends)
    else:
        figure.update_xaxes(type="date", autorange="reversed" if arabic else True)
    # A few level dates, so that they fit a phone without turning over the legend.
    figure.update_xaxes(nticks=4, tickangle=0)
    if arabic:  # plotly's automargin misses a right-hand axis in a right-to-left page
        figure.update_layout(margin={"r": label_room(labels)})
    figure.update_layout(hovermode="closest", meta={"opens": "customdata"})
    return figure


def _standing(status: str) -> Standing:
    return STANDING_OF_STATUS.get(status, Standing.REPORTED)


def _mark_hover(deal, language) -> str:
    parties = f"{plain(deal.payer.display_name)} → {plain(deal.payee.display_name)}"
    amount = format_money(deal.amount_usd, deal.amount_qualifier, language)
    when = date_words(deal.announced_on, deal.date_precision, language)
    citations = list(deal.citations.all())
    source = (
        _("Source: %(title)s") % {"title": plain(citations[0].article.title[:80])}
        if citations
        else _("No article cited")
    )
    return "<br>".join(
        [parties, amount, f"{deal.get_status_display()} · {when}", source, _("Click to open")]
    )


def _arrow() -> str:
    return "←" if reader_is_arabic() else "→"


def deal_marks_table(deals: list, type_labels: dict[str, str]) -> dict:
    """The marks in words, newest first."""
    ordered = sorted(deals, key=lambda deal: (deal.announced_on, deal.slug), reverse=True)
    return {
        "columns": [_("Date"), _("Deal"), _("Type"), _("Amount"), _("Status"), _("Source")],
        "rows": [
            (
                date_words(deal.announced_on, deal.date_precision),
                f"{deal.payer.display_name} {_arrow()} {deal.payee.display_name}",
                type_labels[deal.deal_type],
                format_money(deal.amount_usd, deal.amount_qualifier),
                deal.get_status_display(),
                "; ".join(citation.article.title for citation in deal.citations.all()) or "—",
            )
            for deal in ordered
        ],
    }
