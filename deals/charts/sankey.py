"""Where the money goes: investors → labs → clouds and chip vendors, as a Sankey diagram.

Only flows the sources report are drawn as money: investments, compute bought from a cloud,
chips bought from a vendor. The chips a cloud's compute runs on are a layer of their own
("Chips the compute runs on"), drawn as grey links and said to be no payment: "Anthropic's
Azure compute runs on Nvidia systems" never reads as "Microsoft paid Nvidia $30B".
"""

from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from deals.formatting import money_words
from deals.models import DealStatus
from dealwatch.language import reader_is_arabic

from .common import layout, plain, short

STAGE_LABELS = {
    "investor": gettext_lazy("Investors"),
    "lab": gettext_lazy("Labs and other buyers"),
    "cloud": gettext_lazy("Clouds"),
    "chips": gettext_lazy("Chip vendors"),
    "runs_on": gettext_lazy("Chips the compute runs on"),
}
# Money paid is coloured by what it buys; compute running on chips is grey, and paid to no one.
LINK_COLOURS = {
    "investment": "rgba(107,79,187,0.45)",
    "compute": "rgba(11,92,173,0.45)",
    "chips": "rgba(21,128,61,0.45)",
    "runs_on": "rgba(156,163,175,0.35)",
}


def _kind_words():
    return {
        "investment": _("invests in"),
        "compute": _("buys compute from"),
        "chips": _("buys chips from"),
        "runs_on": _("sells compute that runs on chips of"),
    }


def _flow_words():
    return {
        "investment": _("investment"),
        "compute": _("compute purchase"),
        "chips": _("chip purchase"),
        "runs_on": _("compute running on these chips (no payment to the vendor reported)"),
    }


def _amount_words(row, language: str | None = None) -> str:
    """A link's amount with its qualifiers and standings, or "undisclosed"."""
    total = getattr(row, "total", None)
    if total is not None and not total.is_empty:
        return total.words(language)
    return money_words(Decimal(str(row.amount)), language) if row.amount else _("undisclosed")


def _status_words(row) -> str:
    statuses = getattr(row, "statuses", None) or {}
    if len(statuses) == 1:
        return str(DealStatus(next(iter(statuses))).label)
    return ", ".join(
        f"{DealStatus(status).label} ({count:,})"
        for status, count in sorted(statuses.items(), key=lambda item: -item[1])
    )


def _node_label(stage: str, name: str) -> str:
    if stage == "runs_on":
        return _("%(vendor)s chips") % {"vendor": name}
    return name


def money_sankey(links: pd.DataFrame, language: str | None = None) -> go.Figure:
    """Money from investors to labs to clouds and chip vendors, and the chips compute runs on.

    `links`: kind, source_stage, source, source_name, target_stage, target, target_name,
    amount (USD, stated figures at face value: the links' widths), deals, and from
    `analytics.sankey_links` total and statuses (the words). A company in two stages gets a
    node in each. Flows of undisclosed amount have no width: a note under the chart counts
    them, and the table lists them.
    """
    arabic = reader_is_arabic(language)
    if "statuses" not in links:
        links = links.assign(statuses=[{}] * len(links))
    unknown = links[links["amount"] <= 0]
    links = links[links["amount"] > 0]
    keys: list[tuple[str, int]] = []
    labels = []
    for stage, node, name in [
        *zip(links["source_stage"], links["source"], links["source_name"], strict=True),
        *zip(links["target_stage"], links["target"], links["target_name"], strict=True),
    ]:
        if (stage, node) not in keys:
            keys.append((stage, node))
            labels.append(plain(short(_node_label(stage, str(name)), 22)))
    index = {key: position for position, key in enumerate(keys)}
    # A node's size is the larger of what flows in and what flows out.
    flowing = (
        pd.concat(
            [
                links.groupby(["source_stage", "source"])["amount"].sum(),
                links.groupby(["target_stage", "target"])["amount"].sum(),
            ]
        )
        .groupby(level=[0, 1])
        .max()
    )
    node_words = []
    for stage, node in keys:
        touching = links[
            ((links["source_stage"] == stage) & (links["source"] == node))
            | ((links["target_stage"] == stage) & (links["target"] == node))
        ]
        if stage == "runs_on":
            words = _("compute on these chips: %(amount)s; no payment to the vendor reported") % {
                "amount": _sum_words(touching, language)
            }
        else:
            paid = touching[touching["kind"] != "runs_on"]
            words = _sum_words(paid, language)
        node_words.append(plain(words))
    # Each stage in its own column (a cloud whose chips are unknown stays among the clouds),
    # mirrored for Arabic; inside a column, the biggest on top.
    columns = [stage for stage in STAGE_LABELS if any(key[0] == stage for key in keys)]
    xs, ys = [], []
    for stage, node in keys:
        column = columns.index(stage)
        x = 0.01 + 0.98 * column / (len(columns) - 1) if len(columns) > 1 else 0.5
        members = sorted((k for k in keys if k[0] == stage), key=lambda k: -flowing.get(k, 0))
        total = sum(flowing.get(k, 0) for k in members) or 1
        above = sum(flowing.get(k, 0) for k in members[: members.index((stage, node))])
        xs.append(1 - x if arabic else x)
        ys.append(0.02 + 0.96 * (above + flowing.get((stage, node), 0) / 2) / total)
    kind_words = _kind_words()
    hover = []
    for row in links.itertuples(index=False):
        line = (
            f"{plain(row.source_name)} {kind_words[row.kind]} {plain(row.target_name)}: "
            f"{plain(_amount_words(row, language))}"
        )
        if row.statuses:
            line += "<br>" + _("Status: %(status)s") % {"status": _status_words(row)}
        if row.kind == "runs_on":
            line += "<br>" + _("Not a payment: the whole deal's worth, on these chips.")
        hover.append(line)
    figure = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": labels,
                "x": xs,
                "y": ys,
                "customdata": node_words,
                "pad": 18,
                "thickness": 14,
                "color": ["#9ca3af" if key[0] == "runs_on" else "#4f5b67" for key in keys],
                "hovertemplate": "%{label}: %{customdata}<extra></extra>",
            },
            link={
                "source": [
                    index[key] for key in zip(links["source_stage"], links["source"], strict=True)
                ],
                "target": [
                    index[key] for key in zip(links["target_stage"], links["target"], strict=True)
                ],
                "value": list(links["amount"]),
                "color": [LINK_COLOURS[kind] for kind in links["kind"]],
                "customdata": hover,
                "hovertemplate": "%{customdata}<extra></extra>",
            },
        )
    )
    notes = []
    if (links["kind"] == "runs_on").any():
        notes.append(
            _(
                "Grey links: compute that runs on a vendor's chips, worth the whole deal; no "
                "payment to the vendor is reported. Coloured links are money paid."
            )
        )
    if len(unknown):
        notes.append(
            ngettext(
                "Not drawn: %(count)s flow of undisclosed amount (listed in the table).",
                "Not drawn: %(count)s flows of undisclosed amount (listed in the table).",
                len(unknown),
            )
            % {"count": f"{len(unknown):,}"}
        )
    layout(
        figure,
        _("Where the money goes: investors → labs → clouds → chip vendors"),
        language,
        height=max(380, 40 * len(keys) // 2 + 260) + 22 * len(notes),
    )
    # Plotly puts the columns evenly across the width, one per stage present.
    for position, stage in enumerate(columns):
        x = position / (len(columns) - 1) if len(columns) > 1 else 0.5
        x = 1 - x if arabic else x
        figure.add_annotation(
            x=x, y=1.06, xref="paper", yref="paper", text=f"<b>{STAGE_LABELS[stage]}</b>",
            showarrow=False, xanchor="left" if x == 0 else "right" if x == 1 else "center",
            font={"size": 12, "color": "#4f5b67"},
        )  # fmt: skip
    for line, note in enumerate(notes):
        figure.add_annotation(
            x=1 if arabic else 0, y=0, yshift=-18 - 20 * line, xref="paper", yref="paper",
            text=note, showarrow=False, xanchor="right" if arabic else "left", yanchor="top",
            font={"size": 12, "color": "#4f5b67"},
        )  # fmt: skip
    figure.update_layout(margin={"t": 80, "b": 10 + 22 * len(notes)})
    return figure


def _sum_words(links: pd.DataFrame, language: str | None = None) -> str:
    """The honest sum of some links' totals (their bare amounts when they carry none)."""
    totals = [total for total in links.get("total", []) if total is not None]
    if totals:
        summed = totals[0]
        for total in totals[1:]:
            summed = summed + total
        return summed.words(language)
    return money_words(Decimal(str(links["amount"].sum())), language)


def sankey_table(links: pd.DataFrame) -> dict:
    """The Sankey's links as a table: from, to, which flow, how much (qualifiers and standings
    kept), in which status, how many deals; flows of undisclosed amount included."""
    flow_words = _flow_words()
    if "statuses" not in links:
        links = links.assign(statuses=[{}] * len(links))
    return {
        "columns": [_("From"), _("To"), _("Flow"), _("Amount"), _("Status"), _("Deals")],
        "rows": [
            (
                row.source_name,
                _node_label(row.target_stage, row.target_name),
                flow_words[row.kind],
                _amount_words(row),
                _status_words(row),
                row.deals,
            )
            for row in links.itertuples(index=False)
        ],
    }


def sankey_description(links: pd.DataFrame) -> str:
    """The Sankey's text alternative: what is drawn, what is not a payment, what is unknown."""
    text = _(
        "A flow diagram from investors to labs to clouds and chip vendors, widths proportional "
        "to the stated amounts."
    )
    if len(links) and (links["kind"] == "runs_on").any():
        text += " " + _(
            "Grey links show the chips a cloud's compute runs on; no payment to the chip vendor "
            "is reported."
        )
    unknown = int((links["amount"] <= 0).sum()) if len(links) else 0
    if unknown:
        text += " " + ngettext(
            "%(count)s flow of undisclosed amount is not drawn; the table lists it.",
            "%(count)s flows of undisclosed amount are not drawn; the table lists them.",
            unknown,
        ) % {"count": f"{unknown:,}"}
    return text
