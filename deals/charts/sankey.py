"""Where the money goes: investors → labs → clouds → chip vendors, as a Sankey diagram."""

from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deals.formatting import money_words
from dealwatch.language import reader_is_arabic

from .common import layout, short

STAGE_LABELS = {
    "investor": gettext_lazy("Investors"),
    "lab": gettext_lazy("Labs and other buyers"),
    "cloud": gettext_lazy("Clouds"),
    "chips": gettext_lazy("Chip vendors"),
}


def money_sankey(links: pd.DataFrame, language: str | None = None) -> go.Figure:
    """Money from investors to labs to clouds to chip vendors.

    `links`: kind, source_stage, source, source_name, target_stage, target, target_name,
    amount (USD). A company in two stages gets a node in each.
    """
    arabic = reader_is_arabic(language)
    links = links[links["amount"] > 0]
    keys: list[tuple[str, int]] = []
    labels = []
    for stage, node, name in [
        *zip(links["source_stage"], links["source"], links["source_name"], strict=True),
        *zip(links["target_stage"], links["target"], links["target_name"], strict=True),
    ]:
        if (stage, node) not in keys:
            keys.append((stage, node))
            labels.append(short(str(name), 20))
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
    node_words = [money_words(Decimal(str(flowing.get(key, 0))), language) for key in keys]
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
    kind_words = {
        "investment": _("invests in"),
        "compute": _("buys compute from"),
        "runs_on": _("runs compute on chips of"),
        "chips": _("buys chips from"),
    }
    colours = {
        "investment": "rgba(107,79,187,0.45)",
        "compute": "rgba(11,92,173,0.45)",
        "runs_on": "rgba(21,128,61,0.45)",
        "chips": "rgba(21,128,61,0.45)",
    }
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
                "color": "#4f5b67",
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
                "color": [colours[kind] for kind in links["kind"]],
                "customdata": [
                    f"{source} {kind_words[kind]} {target}: "
                    f"{money_words(Decimal(str(amount)), language)}"
                    for source, kind, target, amount in zip(
                        links["source_name"],
                        links["kind"],
                        links["target_name"],
                        links["amount"],
                        strict=True,
                    )
                ],
                "hovertemplate": "%{customdata}<extra></extra>",
            },
        )
    )
    layout(
        figure,
        _("Where the money goes: investors → labs → clouds → chip vendors"),
        language,
        height=max(380, 40 * len(keys) // 2 + 260),
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
    figure.update_layout(margin={"t": 80})
    return figure


def sankey_table(links: pd.DataFrame) -> dict:
    """The Sankey's links as a table: from, to, which flow, how much, how many deals."""
    flow_words = {
        "investment": _("investment"),
        "compute": _("compute purchase"),
        "runs_on": _("compute on these chips"),
        "chips": _("chip purchase"),
    }
    return {
        "columns": [_("From"), _("To"), _("Flow"), _("Amount"), _("Deals")],
        "rows": [
            (
                row.source_name,
                row.target_name,
                flow_words[row.kind],
                money_words(row.amount) if row.amount else _("undisclosed"),
                row.deals,
            )
            for row in links.itertuples(index=False)
        ],
    }
