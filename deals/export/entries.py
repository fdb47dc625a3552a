"""One entry of each list of the export, from a record or a row: the values' JSON forms.

Numbers are JSON numbers (`number`), dates ISO text (`iso`); references are the records' slugs.
The deal entry is built in `rows.py`, from the field map and its row.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from companies.models import ChipPlatform, CloudPlatform, Company
from deals.models import Article, DataCenterProject, Valuation

# Joins lists of ids in the CSV form and in the SQL that reads a deal's chip platforms.
LIST_SEPARATOR = "|"

# What a spreadsheet reads as the start of a formula (tab and carriage return too: some
# programs drop them and read the next character). OWASP's "CSV injection".
FORMULA_STARTS = frozenset("=+-@\t\r")


def spreadsheet_text(value: str) -> str:
    """A text cell of the CSV form that no spreadsheet runs as a formula: one that starts like
    a formula gets a leading apostrophe, the usual mark of "this is text". Numbers are never
    passed here, so they stay numbers; the JSON form keeps every text exactly."""
    return "'" + value if value[:1] in FORMULA_STARTS else value


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


def sorted_ids(joined: str | None) -> list[str]:
    """Ids joined with LIST_SEPARATOR (in any order) as a sorted list."""
    return sorted(joined.split(LIST_SEPARATOR)) if joined else []


def _blank_to_none(value: str) -> str | None:
    return value or None


def company(company: Company) -> dict:
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


def cloud(cloud: CloudPlatform) -> dict:
    return {
        "id": cloud.slug,
        "name": cloud.name,
        "name_ar": cloud.name_ar,
        "aliases": list(cloud.aliases),
        "operator": cloud.operator.slug,
    }


def chip(chip: ChipPlatform) -> dict:
    return {
        "id": chip.slug,
        "name": chip.name,
        "name_ar": chip.name_ar,
        "aliases": list(chip.aliases),
        "vendor": chip.vendor.slug,
        "kind": chip.kind,
    }


def source(citation) -> dict:
    return {"article": citation.article.slug, "quote": citation.quote}


def data_center(center: DataCenterProject) -> dict:
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
        "aliases": list(center.aliases),
        "country": center.country,
        "country_ar": center.country_ar,
        "state": center.state,
        "state_ar": center.state_ar,
        "latitude": number(center.latitude),
        "longitude": number(center.longitude),
        "location_precision": center.location_precision or None,
        # Read with select_related("location_article") by the document.
        "location_article": center.location_article.slug if center.location_article else None,
        "location_quote": center.location_quote,
        "location_reference_url": center.location_reference_url,
        "sources": [source(citation) for citation in center.citations.all()],
        "status_history": [site_status_change(change) for change in center.status_history.all()],
    }


def site_status_change(change) -> dict:
    """A site's status change, keyed as a deal's (`status_change`): oldest first in the list."""
    return {
        "status": change.status,
        "changed_on": iso(change.changed_on),
        "date_precision": change.date_precision,
        "article": change.article.slug if change.article_id else None,
        "quote": change.quote,
        "reference_url": change.reference_url,
    }


def article(article: Article) -> dict:
    return {
        "id": article.slug,
        "title": article.title,
        "language": article.language,
        "published_on": iso(article.published_on),
        "source_file": article.source_file,
        "url": article.url,
        "body": article.body,
    }


def deal_source(row: dict) -> dict:
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


def status_change(row: dict) -> dict:
    return {
        "status": row["status"],
        "changed_on": iso(row["changed_on"]),
        "date_precision": row["date_precision"],
        "article": row["article__slug"],
        "quote": row["quote"],
        "reference_url": row["reference_url"],
    }


def tranche(row: dict) -> dict:
    return {
        "amount_usd": number(row["amount_usd"]),
        "amount_qualifier": row["amount_qualifier"],
        "paid_on": iso(row["paid_on"]),
        "date_precision": row["date_precision"],
        "reference_url": row["reference_url"],
    }


def valuations(valuations: Iterable[Valuation]) -> list[dict]:
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
                "sources": [source(citation) for citation in valuation.citations.all()],
            }
        )
    return entries
