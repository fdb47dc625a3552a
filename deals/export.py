"""The public export: every deal with its companies, platforms, sources and history.

One JSON document (described by `docs/export.schema.json`, explained in `docs/export.md`) that
other tools read and that is complete enough to rebuild the database. The same document can be
flattened into one CSV table per list (`csv_tables`, `write_csv`).

`export_document()` runs a fixed number of queries whatever the number of deals. The web's CSV
streams `deal_csv_rows()`: one query, read `DEAL_CHUNK_SIZE` rows at a time.
"""

import csv
import datetime
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

from django.db.models import Aggregate, CharField, OuterRef, Prefetch, QuerySet, Subquery, Value

from companies.models import ChipPlatform, CloudPlatform, Company
from deals.models import (
    Article,
    DataCenterCitation,
    DataCenterProject,
    Deal,
    DealCitation,
    DealStatusChange,
    DealTranche,
    Valuation,
    ValuationCitation,
)

SCHEMA_VERSION = 1
DEAL_CHUNK_SIZE = 2000
JSON_ENTRIES_PER_PIECE = 500
LIST_SEPARATOR = "|"

TOP_LEVEL_LISTS = (
    "companies",
    "clouds",
    "chip_platforms",
    "data_centers",
    "articles",
    "deals",
    "valuations",
)


# ---------------------------------------------------------------------------------------------
# Values


def number(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON number: an integer when whole, else the shortest exact decimal.

    `Decimal("8000000000.00")` becomes `8000000000`, `Decimal("1.500")` becomes `1.5`. Every
    value the models can hold with up to 15 significant digits reads back exactly.
    """
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _blank_to_none(value: str) -> str | None:
    return value or None


# ---------------------------------------------------------------------------------------------
# One entry of each list


def _company(company: Company) -> dict:
    return {
        "id": company.slug,
        "name": company.name,
        "name_ar": company.name_ar,
        "aliases": sorted(
            {alias.name for alias in company.aliases.all()} | {company.name, company.name_ar} - {""}
        ),
        "kind": company.kind,
        "parent": company.parent.slug if company.parent_id else None,
        "website": company.website,
    }


def _cloud(cloud: CloudPlatform) -> dict:
    return {
        "id": cloud.slug,
        "name": cloud.name,
        "name_ar": cloud.name_ar,
        "aliases": list(cloud.aliases),
        "operator": cloud.operator.slug,
    }


def _chip(chip: ChipPlatform) -> dict:
    return {
        "id": chip.slug,
        "name": chip.name,
        "name_ar": chip.name_ar,
        "aliases": list(chip.aliases),
        "vendor": chip.vendor.slug,
        "kind": chip.kind,
    }


def _source(citation) -> dict:
    return {"article": citation.article.slug, "quote": citation.quote}


def _data_center(center: DataCenterProject) -> dict:
    return {
        "id": center.slug,
        "name": center.name,
        "name_ar": center.name_ar,
        "operator": center.operator.slug,
        "tenants": sorted(company.slug for company in center.tenants.all()),
        "location": center.location,
        "location_ar": center.location_ar,
        "power_gw": number(center.power_gw),
        "power_qualifier": center.power_qualifier,
        "chip_platforms": sorted(chip.slug for chip in center.chip_platforms.all()),
        "status": center.status,
        "online_on": iso(center.online_on),
        "reference_url": center.reference_url,
        "sources": [_source(citation) for citation in center.citations.all()],
    }


def _article(article: Article) -> dict:
    return {
        "id": article.slug,
        "title": article.title,
        "language": article.language,
        "published_on": iso(article.published_on),
        "source_file": article.source_file,
        "url": article.url,
        "body": article.body,
    }


def _deal_source(row: dict) -> dict:
    return {
        "article": row["article__slug"],
        "quote": row["quote"],
        "reported_amount_usd": number(row["reported_amount_usd"]),
        "reported_amount_qualifier": _blank_to_none(row["reported_amount_qualifier"]),
        "reported_power_gw": number(row["reported_power_gw"]),
        "reported_power_qualifier": _blank_to_none(row["reported_power_qualifier"]),
    }


def reported_figures(sources: list[dict]) -> list[dict]:
    """Each source's figure, for every figure (amount, power) on which the sources disagree.

    Sources that give no figure neither agree nor disagree; an empty list means the sources
    that report figures all report the same ones.
    """
    if len(sources) < 2:  # the common case: one source cannot disagree with itself
        return []
    figures = []
    for figure, unit in (("amount", "usd"), ("power", "gw")):
        value_key, qualifier_key = f"reported_{figure}_{unit}", f"reported_{figure}_qualifier"
        reporting = [source for source in sources if source[value_key] is not None]
        if len({(source[value_key], source[qualifier_key]) for source in reporting}) < 2:
            continue
        figures.extend(
            {
                "figure": f"{figure}_{unit}",
                "value": source[value_key],
                "qualifier": source[qualifier_key],
                "article": source["article"],
                "quote": source["quote"],
            }
            for source in reporting
        )
    return figures


def _status_change(row: dict) -> dict:
    return {
        "status": row["status"],
        "changed_on": iso(row["changed_on"]),
        "date_precision": row["date_precision"],
        "article": row["article__slug"],
        "quote": row["quote"],
        "reference_url": row["reference_url"],
    }


def _tranche(row: dict) -> dict:
    return {
        "amount_usd": number(row["amount_usd"]),
        "amount_qualifier": row["amount_qualifier"],
        "paid_on": iso(row["paid_on"]),
        "date_precision": row["date_precision"],
        "reference_url": row["reference_url"],
    }


class _JoinedSlugs(Aggregate):
    """A group's slugs joined with LIST_SEPARATOR, in no set order (sorted in Python after).

    STRING_AGG on PostgreSQL, GROUP_CONCAT on SQLite: Django 5.2 has no portable one.
    """

    function = "STRING_AGG"

    def __init__(self, expression, **extra):
        super().__init__(expression, Value(LIST_SEPARATOR), output_field=CharField(), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


# The columns of `deal_rows`: the deal's own fields, its companies', cloud's and data centre's
# ids, and its chip platforms' ids joined by "|".
DEAL_ROW_FIELDS = (
    "pk",
    "slug",
    "deal_type",
    "payer__slug",
    "payee__slug",
    "cloud__slug",
    "amount_usd",
    "amount_qualifier",
    "status",
    "announced_on",
    "date_precision",
    "starts_on",
    "ends_on",
    "term_years",
    "power_gw",
    "power_qualifier",
    "chip_platform_slugs",
    "data_center__slug",
    "summary",
    "summary_ar",
    "reference_url",
)


def deal_rows(deals: QuerySet[Deal]) -> QuerySet:
    """`deals` as named tuples of DEAL_ROW_FIELDS, in their order: one query, chips included.

    Plain tuples rather than model instances with select_related: building a Deal and four
    related objects per row cost more than the query itself on tens of thousands of deals.
    """
    links = (
        Deal.chip_platforms.through.objects.filter(deal_id=OuterRef("pk"))
        .order_by()
        .values("deal_id")
        .annotate(slugs=_JoinedSlugs("chipplatform__slug"))
        .values("slugs")
    )
    return (
        deals.prefetch_related(None)
        .annotate(chip_platform_slugs=Subquery(links))
        .values_list(*DEAL_ROW_FIELDS, named=True)
    )


def _sorted_ids(joined: str | None) -> list[str]:
    return sorted(joined.split(LIST_SEPARATOR)) if joined else []


def deal_csv_rows(deals: QuerySet[Deal]) -> Iterator[tuple]:
    """The deals table of the CSV form, one tuple of cells (CSV_COLUMNS["deals"]) per deal.

    Streamed (`iterator`, a server-side cursor on PostgreSQL) in one query: memory stays
    bounded whatever the number of deals. The cells are those `csv_tables` gives for the
    document's deals.
    """
    for deal in deal_rows(deals).iterator(chunk_size=DEAL_CHUNK_SIZE):
        chips = deal.chip_platform_slugs or ""
        if LIST_SEPARATOR in chips:
            chips = LIST_SEPARATOR.join(sorted(chips.split(LIST_SEPARATOR)))
        yield (
            deal.slug,
            deal.deal_type,
            deal.payer__slug,
            deal.payee__slug,
            deal.cloud__slug or "",
            "" if deal.amount_usd is None else number(deal.amount_usd),
            deal.amount_qualifier,
            deal.status,
            deal.announced_on.isoformat() if deal.announced_on else "",
            deal.date_precision,
            deal.starts_on.isoformat() if deal.starts_on else "",
            deal.ends_on.isoformat() if deal.ends_on else "",
            "" if deal.term_years is None else deal.term_years,
            "" if deal.power_gw is None else number(deal.power_gw),
            deal.power_qualifier,
            chips,
            deal.data_center__slug or "",
            deal.summary,
            deal.summary_ar,
            deal.reference_url,
        )


def _deal(deal, parts: dict[str, dict[int, list]]) -> dict:
    """A deal's entry from its row of `deal_rows` and the nested lists of `_deal_parts`."""
    sources = [_deal_source(source) for source in parts["sources"].get(deal.pk, [])]
    return {
        "id": deal.slug,
        "type": deal.deal_type,
        "from": deal.payer__slug,
        "to": deal.payee__slug,
        "cloud": deal.cloud__slug,
        "amount_usd": number(deal.amount_usd),
        "amount_qualifier": deal.amount_qualifier,
        "status": deal.status,
        "announced_on": iso(deal.announced_on),
        "date_precision": deal.date_precision,
        "starts_on": iso(deal.starts_on),
        "ends_on": iso(deal.ends_on),
        "term_years": deal.term_years,
        "power_gw": number(deal.power_gw),
        "power_qualifier": deal.power_qualifier,
        "chip_platforms": _sorted_ids(deal.chip_platform_slugs),
        "data_center": deal.data_center__slug,
        "summary": deal.summary,
        "summary_ar": deal.summary_ar,
        "reference_url": deal.reference_url,
        "tranches": [_tranche(row) for row in parts["tranches"].get(deal.pk, [])],
        "sources": sources,
        "status_history": [_status_change(row) for row in parts["status_history"].get(deal.pk, [])],
        "reported_figures": reported_figures(sources),
    }


def _grouped(rows: Iterable[dict]) -> dict[int, list[dict]]:
    groups: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        groups[row["deal_id"]].append(row)
    return groups


def _deal_parts(deal_ids: QuerySet | None) -> dict[str, dict[int, list]]:
    """The nested lists of the deals whose ids `deal_ids` selects (None: every deal), by deal.

    Three queries whatever the number of deals, each in its list's order; plain rows rather
    than prefetch_related, which clones a queryset per deal and relation.
    """

    def of_deals(model):
        rows = model.objects.all()
        return rows if deal_ids is None else rows.filter(deal_id__in=deal_ids)

    return {
        "tranches": _grouped(
            of_deals(DealTranche)
            .order_by("paid_on", "pk")
            .values(
                "deal_id",
                "amount_usd",
                "amount_qualifier",
                "paid_on",
                "date_precision",
                "reference_url",
            )
        ),
        "sources": _grouped(
            of_deals(DealCitation)
            .order_by("article__published_on", "pk")
            .values(
                "deal_id",
                "article__slug",
                "quote",
                "reported_amount_usd",
                "reported_amount_qualifier",
                "reported_power_gw",
                "reported_power_qualifier",
            )
        ),
        "status_history": _grouped(
            of_deals(DealStatusChange)
            .order_by("changed_on", "pk")
            .values(
                "deal_id",
                "status",
                "changed_on",
                "date_precision",
                "article__slug",
                "quote",
                "reference_url",
            )
        ),
    }


def _deal_entries(deals: QuerySet[Deal], *, everything: bool) -> list[dict]:
    """The deals' entries in four queries: the deals (chips included), then each nested list."""
    parts = _deal_parts(None if everything else deals.values("pk"))
    return [_deal(row, parts) for row in deal_rows(deals).iterator(chunk_size=DEAL_CHUNK_SIZE)]


def _valuations(valuations: Iterable[Valuation]) -> list[dict]:
    """Valuations have no id of their own; theirs is company + date (+ a counter if needed)."""
    entries, seen = [], {}
    for valuation in valuations:
        key = f"{valuation.company.slug}-{valuation.as_of.isoformat()}"
        seen[key] = seen.get(key, 0) + 1
        entries.append(
            {
                "id": key if seen[key] == 1 else f"{key}-{seen[key]}",
                "company": valuation.company.slug,
                "amount_usd": number(valuation.amount_usd),
                "amount_qualifier": valuation.amount_qualifier,
                "as_of": iso(valuation.as_of),
                "date_precision": valuation.date_precision,
                "is_projection": valuation.is_projection,
                "reference_url": valuation.reference_url,
                "sources": [_source(citation) for citation in valuation.citations.all()],
            }
        )
    return entries


# ---------------------------------------------------------------------------------------------
# The document


def _citations(model):
    """Citations with only their article's id loaded (article bodies are exported once)."""
    citations = model.objects.select_related("article").only(
        *[f.attname for f in model._meta.concrete_fields], "article__slug"
    )
    # Citations without a Meta ordering are listed in the order they were entered, so the
    # same data always exports the same way (PostgreSQL returns unordered rows in any order).
    return citations if model._meta.ordering else citations.order_by("pk")


def export_document(deals: QuerySet[Deal] | None = None) -> dict:
    """The export as JSON-ready Python data (dicts, lists, str, int, float, bool, None).

    With no argument, everything in the database. Given a deal queryset (e.g. the timeline's
    filtered one), its deals in its order, plus only what they reference: their companies
    (and those companies' parent companies), clouds, chip platforms, data centres (and those
    centres' chips and companies), the valuations of the included companies, and every
    article any included deal, status change, data centre or valuation cites.
    """
    everything = deals is None
    if everything:
        deals = Deal.objects.all()
    deal_entries = _deal_entries(deals, everything=everything)

    data_centers = DataCenterProject.objects.select_related("operator").prefetch_related(
        "tenants", "chip_platforms", Prefetch("citations", queryset=_citations(DataCenterCitation))
    )
    if not everything:
        data_centers = data_centers.filter(
            slug__in={deal["data_center"] for deal in deal_entries} - {None}
        )
    data_center_entries = [_data_center(center) for center in data_centers.order_by("slug")]

    chips = ChipPlatform.objects.select_related("vendor")
    clouds = CloudPlatform.objects.select_related("operator")
    if not everything:
        chips = chips.filter(
            slug__in={
                slug
                for entry in [*deal_entries, *data_center_entries]
                for slug in entry["chip_platforms"]
            }
        )
        clouds = clouds.filter(slug__in={deal["cloud"] for deal in deal_entries} - {None})
    chip_entries = [_chip(chip) for chip in chips.order_by("slug")]
    cloud_entries = [_cloud(cloud) for cloud in clouds.order_by("slug")]

    companies = Company.objects.select_related("parent").prefetch_related("aliases")
    if not everything:
        wanted = {deal[side] for deal in deal_entries for side in ("from", "to")}
        wanted |= {cloud["operator"] for cloud in cloud_entries}
        wanted |= {chip["vendor"] for chip in chip_entries}
        for center in data_center_entries:
            wanted |= {center["operator"], *center["tenants"]}
        # Only the (few) companies that have a parent: loading every company with its aliases
        # to keep a handful cost more than the rest of a small export.
        parents = dict(
            Company.objects.filter(parent__isnull=False).values_list("slug", "parent__slug")
        )
        for slug in list(wanted):
            while slug in parents and parents[slug] not in wanted:
                slug = parents[slug]
                wanted.add(slug)
        companies = companies.filter(slug__in=wanted)
    company_entries = [_company(company) for company in companies.order_by("slug")]

    valuations = (
        Valuation.objects.select_related("company")
        .prefetch_related(Prefetch("citations", queryset=_citations(ValuationCitation)))
        .order_by("company__slug", "as_of", "pk")
    )
    if not everything:
        valuations = valuations.filter(company__slug__in=[c["id"] for c in company_entries])
    valuation_entries = _valuations(valuations)

    articles = Article.objects.order_by("slug")
    if not everything:
        cited = {s["article"] for d in deal_entries for s in d["sources"]}
        cited |= {c["article"] for d in deal_entries for c in d["status_history"]} - {None}
        cited |= {s["article"] for c in data_center_entries for s in c["sources"]}
        cited |= {s["article"] for v in valuation_entries for s in v["sources"]}
        articles = articles.filter(slug__in=cited)
    article_entries = [_article(article) for article in articles]

    return {
        "schema_version": SCHEMA_VERSION,
        "companies": company_entries,
        "clouds": cloud_entries,
        "chip_platforms": chip_entries,
        "data_centers": data_center_entries,
        "articles": article_entries,
        "deals": deal_entries,
        "valuations": valuation_entries,
    }


def document_json(document: dict) -> Iterator[str]:
    """The document as JSON text in pieces, each entry of a list on a line of its own.

    One entry per line reads and diffs well, and every entry goes through json's C encoder:
    an indented dump runs the pure-Python encoder, two thirds of the time of a 10,000-deal
    export. Pieces of JSON_ENTRIES_PER_PIECE entries, so the text is never held whole.
    """
    encode = json.JSONEncoder(ensure_ascii=False).encode
    opening = "{"
    for key, value in document.items():
        yield f"{opening}\n{encode(key)}: "
        opening = ","
        if not isinstance(value, list) or not value:
            yield encode(value)
            continue
        for start in range(0, len(value), JSON_ENTRIES_PER_PIECE):
            entries = value[start : start + JSON_ENTRIES_PER_PIECE]
            yield ("," if start else "[") + ",".join("\n" + encode(entry) for entry in entries)
        yield "\n]"
    yield "\n}\n"


# ---------------------------------------------------------------------------------------------
# CSV

# Columns of every table, in order; nested lists become tables of their own keyed by parent id.
CSV_COLUMNS: dict[str, list[str]] = {
    "companies": ["id", "name", "name_ar", "aliases", "kind", "parent", "website"],
    "clouds": ["id", "name", "name_ar", "aliases", "operator"],
    "chip_platforms": ["id", "name", "name_ar", "aliases", "vendor", "kind"],
    "data_centers": [
        "id",
        "name",
        "name_ar",
        "operator",
        "tenants",
        "location",
        "location_ar",
        "power_gw",
        "power_qualifier",
        "chip_platforms",
        "status",
        "online_on",
        "reference_url",
    ],
    "data_center_sources": ["data_center", "position", "article", "quote"],
    "articles": ["id", "title", "language", "published_on", "source_file", "url", "body"],
    "deals": [
        "id",
        "type",
        "from",
        "to",
        "cloud",
        "amount_usd",
        "amount_qualifier",
        "status",
        "announced_on",
        "date_precision",
        "starts_on",
        "ends_on",
        "term_years",
        "power_gw",
        "power_qualifier",
        "chip_platforms",
        "data_center",
        "summary",
        "summary_ar",
        "reference_url",
    ],
    "deal_tranches": [
        "deal",
        "position",
        "amount_usd",
        "amount_qualifier",
        "paid_on",
        "date_precision",
        "reference_url",
    ],
    "deal_sources": [
        "deal",
        "position",
        "article",
        "quote",
        "reported_amount_usd",
        "reported_amount_qualifier",
        "reported_power_gw",
        "reported_power_qualifier",
    ],
    "deal_status_history": [
        "deal",
        "position",
        "status",
        "changed_on",
        "date_precision",
        "article",
        "quote",
        "reference_url",
    ],
    "deal_reported_figures": [
        "deal",
        "position",
        "figure",
        "value",
        "qualifier",
        "article",
        "quote",
    ],
    "valuations": [
        "id",
        "company",
        "amount_usd",
        "amount_qualifier",
        "as_of",
        "date_precision",
        "is_projection",
        "reference_url",
    ],
    "valuation_sources": ["valuation", "position", "article", "quote"],
}

# (top-level list, nested list key, child table, name of the column holding the parent's id)
_NESTED = [
    ("data_centers", "sources", "data_center_sources", "data_center"),
    ("deals", "tranches", "deal_tranches", "deal"),
    ("deals", "sources", "deal_sources", "deal"),
    ("deals", "status_history", "deal_status_history", "deal"),
    ("deals", "reported_figures", "deal_reported_figures", "deal"),
    ("valuations", "sources", "valuation_sources", "valuation"),
]


def _cell(value) -> str | int | float:
    """A CSV cell: lists joined with "|", null as empty, booleans as true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    return value


def csv_tables(document: dict) -> dict[str, list[dict]]:
    """The document as flat tables: one per top-level list, one per nested list.

    Rows hold exactly the columns of `CSV_COLUMNS[table]`; nested rows carry their parent's id
    and their 1-based position in the parent's list, so order survives the flattening.
    """
    tables: dict[str, list[dict]] = {name: [] for name in CSV_COLUMNS}
    for name in TOP_LEVEL_LISTS:
        columns = CSV_COLUMNS[name]
        for entry in document[name]:
            tables[name].append({column: _cell(entry[column]) for column in columns})
    for parent_table, key, table, parent_column in _NESTED:
        columns = CSV_COLUMNS[table][2:]
        for entry in document[parent_table]:
            for position, child in enumerate(entry[key], start=1):
                row = {parent_column: entry["id"], "position": position}
                row |= {column: _cell(child[column]) for column in columns}
                tables[table].append(row)
    return tables


def write_csv(document: dict, directory: str | Path) -> list[Path]:
    """Write one `<table>.csv` per table (UTF-8, header row first) into `directory`.

    Creates the directory if needed; raises OSError (e.g. NotADirectoryError) if it cannot.
    Returns the paths written.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in csv_tables(document).items():
        path = directory / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS[name])
            writer.writeheader()
            writer.writerows(rows)
        written.append(path)
    return written
