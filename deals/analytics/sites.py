"""Data-centre sites as frames: where the map places them, and their power added up honestly.

The map's frame has one row per site (sites are few: hundreds, never millions), read with
`values_list` in one query. Power is summed in SQL per (qualifier, status) and kept as a
`Total`, so "about 1.1 GW planned" never becomes a bare number and an undisclosed power is
counted, never drawn or added as zero.
"""

import pandas as pd
from django.db.models import Count, Exists, F, OuterRef, Q, Sum

from deals.models import DataCenterProject
from deals.totals import POWER, SITE_STANDING, Total

from .common import pick_name

SITE_COLUMNS = [
    "slug",
    "name",
    "operator",
    "status",
    "power_gw",
    "power_qualifier",
    "latitude",
    "longitude",
    "precision",
    "place",
]
_FIELDS = {
    "slug": "slug",
    "name": "name",
    "name_ar": "name_ar",
    "operator_name": "operator__name",
    "operator_name_ar": "operator__name_ar",
    "status": "status",
    "power_gw": "power_gw",
    "power_qualifier": "power_qualifier",
    "latitude": "latitude",
    "longitude": "longitude",
    "precision": "location_precision",
    "place_name": "location",
    "place_name_ar": "location_ar",
}


def site_frame(sites, language: str | None = None) -> pd.DataFrame:
    """One row per site of the queryset `sites`, names in the reader's script: 1 query.

    Sites without coordinates are in the frame too (latitude NaN): the map leaves them out and
    says so, the table under it lists them.
    """
    rows = sites.order_by("name", "pk").values_list(*_FIELDS.values())
    frame = pd.DataFrame.from_records(list(rows), columns=list(_FIELDS))
    frame["name"] = pick_name(frame, "", language)
    frame["operator"] = pick_name(frame, "operator_", language)
    frame["place"] = pick_name(frame, "place_", language)
    for column in ("power_gw", "latitude", "longitude"):
        frame[column] = pd.to_numeric(frame[column].astype(object), errors="coerce")
    return frame[SITE_COLUMNS]


def site_power(sites) -> Total:
    """The sites' power added up by qualifier and standing (cancelled sites in none): 1 query."""
    rows = (
        sites.order_by()
        .values_list("power_qualifier", "status")
        .annotate(power=Sum("power_gw"), count=Count("pk"))
    )
    return Total.from_rows(rows, POWER, standings=SITE_STANDING)


GRAPH_SITE_COLUMNS = [
    "slug",
    "name",
    "name_ar",
    "status",
    "power_gw",
    "power_qualifier",
    "operator_id",
    "tenant_ids",
]


def graph_sites(company_ids: list[int], limit: int = 12) -> pd.DataFrame:
    """The sites run or rented by the companies a graph draws, the largest first: 2 queries.

    Columns `GRAPH_SITE_COLUMNS`, `tenant_ids` a list. At most `limit`: a graph is not a map.
    """
    rents = DataCenterProject.tenants.through.objects.filter(
        datacenterproject_id=OuterRef("pk"), company_id__in=company_ids
    )
    rows = (
        DataCenterProject.objects.filter(Q(operator_id__in=company_ids) | Q(Exists(rents)))
        .order_by(F("power_gw").desc(nulls_last=True), "name", "pk")
        .values_list("pk", *GRAPH_SITE_COLUMNS[:-1])[:limit]
    )
    frame = pd.DataFrame.from_records(list(rows), columns=["pk", *GRAPH_SITE_COLUMNS[:-1]])
    tenants = DataCenterProject.tenants.through.objects.filter(
        datacenterproject_id__in=list(frame["pk"])
    ).values_list("datacenterproject_id", "company_id")
    by_site: dict[int, list[int]] = {}
    for site, company in tenants:
        by_site.setdefault(site, []).append(company)
    frame["tenant_ids"] = [by_site.get(pk, []) for pk in frame["pk"]]
    return frame[GRAPH_SITE_COLUMNS]
