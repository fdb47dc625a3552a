"""/export/summary.json: the honest totals of the deals a timeline filter selects.

The same arithmetic as the overview's headline cards and the company pages
(`analytics.headline_figures`, `deals.totals.Total`): per deal type, and per side when a
company is chosen, money and power as certain and possible amounts, the undisclosed count and
the split by standing, with the data-centre projects' power beside. Numbers for other tools,
with the words the pages show in both languages. Documented in docs/export.md and
docs/summary.schema.json.
"""

from companies.models import Company
from deals import analytics
from deals.filters import DealFilter
from deals.totals import Total

from .cache import cached
from .keys import filter_key

SCHEMA_VERSION = 1
# The two sides of a company's deals, by the names a reader of the JSON expects.
SIDE_NAMES = {"payer": "paid", "payee": "received"}


def summary_document(filters: DealFilter) -> dict:
    """The summary of `filters.qs` (its filter must be valid): of every deal, read from the
    tally; of a filter, cached until the data change.

    Keyed by the filter's cleaned values, so "?company=Anthropic" and "?company=anthropic"
    share an entry; filtered entries are a bounded kind (pages.keys) like the filtered graph.
    """
    params = filter_key(filters)
    if not params:
        # Every deal: read from the tally the database keeps, exact once a write commits.
        return summary_json(analytics.headline_of_every_deal(), {}, None)
    company = filters.form.cleaned_data.get("company")
    return cached(
        "summary:filtered",
        lambda: summary_json(
            analytics.headline_figures(filters.qs, company=company), dict(params), company
        ),
        params,
    )


def total_json(total: Total) -> dict:
    """A total's numbers (`Total.as_json`) and the words the pages print for it."""
    return total.as_json() | {"words": {"en": total.words("en"), "ar": total.words("ar")}}


def figure_json(figure: analytics.Figure) -> dict:
    return {
        "deals": figure.deals,
        "money": total_json(figure.money),
        "power": total_json(figure.power),
    }


def summary_json(
    headline: analytics.Headline, filters: dict[str, str], company: Company | None
) -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "filters": filters,
        "deals": headline.deals,
        "cancelled": headline.cancelled,
        # Every type added up: right for one company's deals; over a whole market a dollar
        # invested in a lab and spent by it on compute is in both (docs/export.md says so).
        "money": total_json(headline.everything.money),
        # Compute commitments only, as on the overview: chip deals restate the same capacity.
        "power": total_json(headline.power),
        "by_deal_type": {
            deal_type: figure_json(figure) for deal_type, figure in headline.by_type.items()
        },
        "by_side": (
            {SIDE_NAMES[side]: figure_json(figure) for side, figure in headline.by_side.items()}
            if company is not None
            else None
        ),
        "data_centers": {
            "projects": headline.site_count,
            "power": total_json(headline.sites),
        },
    }
