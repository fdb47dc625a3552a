"""Data-centre sites in the investment graph, drawn as what they are: places, not companies.

A site is a square of its own colour in a column of its own (`network_layout.LAYERS`), tied
by thin dotted lines to the company that runs it and to those that rent it; its name is a
link to its page. It carries no money, so it is never sized or summed like a company.
"""

import pandas as pd
import plotly.graph_objects as go
from django.urls import reverse
from django.utils.translation import gettext as _

from deals.models import DataCenterProject
from dealwatch.language import reader_is_arabic

from .common import plain, short
from .site_map import power_words

SITE_KIND = "site"
SITE_COLOUR = "#a16207"
SITE_SIZE = 16


def site_node(slug: str) -> str:
    """A site's id among the graph's nodes (companies are numbers, sites never are)."""
    return f"site:{slug}"


def with_sites(nodes: pd.DataFrame, sites: pd.DataFrame | None) -> pd.DataFrame:
    """The graph's nodes (id, kind) with the sites after them, for the layout."""
    if sites is None or sites.empty:
        return nodes
    placed = pd.DataFrame({"id": [site_node(s) for s in sites["slug"]], "kind": SITE_KIND})
    return pd.concat([nodes[["id", "kind"]], placed], ignore_index=True)


def site_traces(sites, positions: dict, names: dict, language: str | None = None) -> list:
    """The sites' links to their operator and tenants, and the sites themselves."""
    if sites is None or sites.empty:
        return []
    xs, ys = [], []
    for site in sites.itertuples(index=False):
        here = positions[site_node(site.slug)]
        for company in [site.operator_id, *site.tenant_ids]:
            if company in positions:
                xs += [positions[company][0], here[0], None]
                ys += [positions[company][1], here[1], None]
    arabic_names = [site.name_ar or site.name for site in sites.itertuples(index=False)]
    shown = arabic_names if reader_is_arabic(language) else list(sites["name"])
    links = go.Scatter(
        x=xs,
        y=ys,
        mode="lines",
        line={"color": SITE_COLOUR, "width": 1.2, "dash": "dot"},
        hoverinfo="skip",
        name=_("Runs or rents the site"),
        legendgroup="sites",
    )
    urls = [reverse("datacentres:detail", args=[slug]) for slug in sites["slug"]]
    markers = go.Scatter(
        x=[positions[site_node(slug)][0] for slug in sites["slug"]],
        y=[positions[site_node(slug)][1] for slug in sites["slug"]],
        mode="markers+text",
        marker={"symbol": "square", "size": SITE_SIZE, "color": SITE_COLOUR},
        text=[
            f'<a href="{url}" target="_self">{plain(short(name, 22))}</a>'
            for url, name in zip(urls, shown, strict=True)
        ],
        textposition="bottom center",
        textfont={"size": 12, "color": SITE_COLOUR},
        hovertext=[
            _hover(site, name, names, language)
            for site, name in zip(sites.itertuples(index=False), shown, strict=True)
        ],
        hoverinfo="text",
        customdata=urls,
        name=_("Data-centre site"),
        legendgroup="sites",
    )
    return [links, markers]


def _hover(site, name: str, names: dict, language: str | None) -> str:
    operator = names.get(site.operator_id)  # already plain text (see investment_graph)
    lines = [
        f"<b>{plain(name)}</b>",
        power_words(site.power_gw, site.power_qualifier, language),
        str(DataCenterProject.Status(site.status).label),
    ]
    if operator:
        lines.insert(1, _("Run by %(operator)s") % {"operator": operator})
    return "<br>".join(lines)
