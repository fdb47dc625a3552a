"""The API's response shapes: the export's entries (docs/export.md), field for field.

The endpoints return the dicts `deals.export` builds, so the API and the export speak one
vocabulary; these models only describe them for the OpenAPI document and check every response
against it. Numbers are JSON numbers (whole amounts as integers), dates ISO text, other records
their ids.
"""

import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from companies.models import ChipPlatform, Company
from deals.models import Article, DataCenterProject, DatePrecision, DealStatus, DealType, Qualifier


def _one_of(choices) -> type:
    return Literal[tuple(choices.values)]


QualifierValue = _one_of(Qualifier)
PrecisionValue = _one_of(DatePrecision)
Number = int | float


class Entry(BaseModel):
    """An entry of the export (or of the summary). A field the export gains reaches the API
    at once (extra fields pass through) and tests/test_api.py asks for it to be described
    here."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Shape(BaseModel):
    """A shape of the API's own (totals, pages, errors): exactly these fields."""

    model_config = ConfigDict(extra="forbid")


class Source(Entry):
    article: str = Field(description="The cited article's id.")
    quote: str = Field(description="The sentence, verbatim as in the article.")


class DealSource(Source):
    reported_amount_usd: Number | None
    reported_amount_qualifier: QualifierValue | None
    reported_power_gw: Number | None
    reported_power_qualifier: QualifierValue | None


class Tranche(Entry):
    amount_usd: Number | None
    amount_qualifier: QualifierValue
    paid_on: datetime.date
    date_precision: PrecisionValue
    reference_url: str


class StatusChange(Entry):
    status: _one_of(DealStatus)
    changed_on: datetime.date
    date_precision: PrecisionValue
    article: str | None
    quote: str
    reference_url: str


class SiteStatusChange(Entry):
    """One dated, cited step of a data centre's history (a deal's StatusChange, for a site)."""

    status: _one_of(DataCenterProject.Status)
    changed_on: datetime.date
    date_precision: PrecisionValue
    article: str | None
    quote: str
    reference_url: str


class ReportedFigure(Entry):
    figure: Literal["amount_usd", "power_gw"]
    value: Number
    qualifier: QualifierValue | None
    article: str
    quote: str


class Deal(Entry):
    """A deal as the export writes it (docs/export.md, "deal")."""

    id: str
    type: _one_of(DealType)
    from_: str = Field(alias="from", description="The payer's id: investor or buyer.")
    to: str = Field(description="The payee's id: investee or provider.")
    cloud: str | None
    amount_usd: Number | None = Field(description="US dollars; null when undisclosed.")
    amount_qualifier: QualifierValue
    status: _one_of(DealStatus)
    announced_on: datetime.date | None
    date_precision: PrecisionValue
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    term_years: int | None
    power_gw: Number | None
    power_qualifier: QualifierValue
    chip_platforms: list[str]
    data_center: str | None
    summary: str
    summary_ar: str
    reference_url: str
    tranches: list[Tranche] = Field(description="Payments, oldest first.")
    sources: list[DealSource] = Field(description="Citations, oldest article first.")
    status_history: list[StatusChange] = Field(description="Oldest first.")
    reported_figures: list[ReportedFigure] = Field(description="Empty unless sources disagree.")


class Company(Entry):
    id: str
    name: str
    name_ar: str
    aliases: list[str] = Field(description="Every spelling, in both scripts, sorted.")
    kind: _one_of(Company.Kind)
    parent: str | None
    website: str


class Cloud(Entry):
    id: str
    name: str
    name_ar: str
    aliases: list[str]
    operator: str


class ChipPlatform(Entry):
    id: str
    name: str
    name_ar: str
    aliases: list[str]
    vendor: str
    kind: _one_of(ChipPlatform.Kind)


class DataCenter(Entry):
    id: str
    name: str
    name_ar: str
    operator: str
    tenants: list[str]
    location: str
    location_ar: str
    power_gw: Number | None
    power_qualifier: QualifierValue
    chip_platforms: list[str]
    status: _one_of(DataCenterProject.Status)
    online_on: datetime.date | None
    reference_url: str
    sources: list[Source]
    status_history: list[SiteStatusChange] = Field(
        description="Oldest first, each dated as precisely as its source; the last is `status`."
    )
    # Where the site is (docs/export.md): optional in the export, left out when it has none.
    aliases: list[str] | None = None
    country: str | None = None
    country_ar: str | None = None
    state: str | None = None
    state_ar: str | None = None
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    location_precision: Literal["site", "city", "state", "country"] | None = None
    location_article: str | None = None
    location_quote: str | None = None
    location_reference_url: str | None = None


class ArticleMetadata(Entry):
    id: str
    title: str
    language: _one_of(Article.Language)
    published_on: datetime.date | None
    source_file: str
    url: str


class CitedQuote(Entry):
    quote: str
    cites: Literal["deal", "status_change", "data_center", "valuation"] = Field(
        description="What the sentence is cited for."
    )
    id: str = Field(description="The id of the deal, data centre or valuation it supports.")


class Article(ArticleMetadata):
    body: str = Field(description="The article's text, verbatim.")
    quotes: list[CitedQuote] = Field(description="The sentences cited from it, in its order.")


class Valuation(Entry):
    id: str
    company: str
    amount_usd: Number | None
    amount_qualifier: QualifierValue
    as_of: datetime.date
    date_precision: PrecisionValue
    is_projection: bool
    reference_url: str
    sources: list[Source]


# -- the honest totals (docs/summary.schema.json) -----------------------------------------------


class Part(Entry):
    certain: Number = Field(description="What the stated figures guarantee.")
    possible: Number | None = Field(description="The most they allow; null: no ceiling.")
    stated: int
    undisclosed: int = Field(description="Amounts not disclosed: counted, never added as 0.")


class ByStanding(Entry):
    firm: Part
    promised: Part
    reported: Part


class Words(Entry):
    en: str
    ar: str


class Total(Part):
    unit: Literal["usd", "gw"]
    by_standing: ByStanding
    words: Words


class Figure(Entry):
    deals: int
    money: Total
    power: Total


class ByDealType(Entry):
    investment: Figure
    compute_commitment: Figure
    chip_supply: Figure


class BySide(Entry):
    paid: Figure
    received: Figure


class DataCenterTotals(Entry):
    projects: int
    power: Total


class Summary(Entry):
    """The totals of the deals a filter selects, as /export/summary.json gives them."""

    schema_version: Literal[1]
    filters: dict[str, str]
    deals: int
    cancelled: int
    money: Total
    power: Total
    by_deal_type: ByDealType
    by_side: BySide | None
    data_centers: DataCenterTotals


class CompanyDetail(Company):
    totals: Summary = Field(description="Its deals' honest totals, paid and received.")
    valuations: list[Valuation]
    deals: str = Field(description="The API link to its deals, newest first.")


# -- pages and errors ---------------------------------------------------------------------------


def page_of(item: type, name: str) -> type:
    """A page of `item`s with the link to the next one."""
    return type(
        name,
        (Shape,),
        {
            "__annotations__": {"results": list[item], "next": str | None},
            "__doc__": f"Up to `limit` {item.__name__} entries and the link to the next page "
            "(null on the last).",
        },
    )


DealPage = page_of(Deal, "DealPage")
CompanyPage = page_of(Company, "CompanyPage")
CloudPage = page_of(Cloud, "CloudPage")
ChipPlatformPage = page_of(ChipPlatform, "ChipPlatformPage")
DataCenterPage = page_of(DataCenter, "DataCenterPage")
ArticlePage = page_of(ArticleMetadata, "ArticlePage")


class Error(Shape):
    detail: str = Field(description="What was wrong, in a sentence.")
    errors: list[str] = Field(default_factory=list, description="Each problem on its own.")


def answers(shape: type, *refusals: int) -> dict[int, type]:
    """An endpoint's documented responses: `shape` on success, an Error for each of
    `refusals`, for a missing or refused token (401) and for too many requests (429)."""
    return {200: shape} | dict.fromkeys((*refusals, 401, 429), Error)
