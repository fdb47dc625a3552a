"""Circularity per company: the ranked table on the graph page and the figure on a company page.

Computed once over every deal (like the loops of `pages.flows`, whatever a page's filter) and
cached until the data change; what a company page shows is cached per company and language.
"""

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from companies.models import Company
from deals.analytics import circularity as analytics
from deals.charts import circularity as charts
from deals.charts import figure_json
from deals.models import Deal
from dealwatch.language import reader_language

from .cache import cached
from .flows import every_flow
from .fragments import rendered

RANKED = 20
# The loops the graph page's ranking lists per company, its largest (its page lists them all):
# each loop carries its steps' deals and sources, and twenty companies' loops made the page
# megabytes long at a million deals.
LOOPS_IN_RANKING = 1

RANKING_TEMPLATE = "includes/_circularity_ranking.html"
COMPANY_TEMPLATE = "includes/_circularity_company.html"


def every_company() -> dict:
    """`analytics.circularity` of every deal, until the data change."""
    return cached(
        "circularity", lambda: analytics.circularity(Deal.objects.all(), flows=every_flow())
    )


def _row(item: analytics.Circularity) -> dict:
    return {
        "item": item,
        "company": item.company,
        "invested": item.invested.words(),
        "returned": charts.span_words(item.returned),
        "firm": charts.span_words(item.levels[0]),
        "promised": charts.span_words(item.levels[1]),
        "share": charts.share_words(item.share),
        "undisclosed": sum(item.undisclosed.values()),
        "loops": item.loop_count,
        "shown_loops": item.loops[:LOOPS_IN_RANKING],
    }


def circularity_ranking() -> SafeString:
    """The companies ranked by how much of their money comes back, the first RANKED, as their
    section's HTML: cached apart, per language, so that a page writes out its twenty rows
    rather than reading every company's loops (a second of unpickling at 100k deals)."""
    return cached(
        "circularity:ranking",
        lambda: rendered(RANKING_TEMPLATE, {"ranking": _ranking()}),
        reader_language(),
    )


def _ranking() -> dict:
    ranking = every_company()["ranking"]
    return {
        "rows": [_row(item) for item in ranking[:RANKED]],
        "more": max(0, len(ranking) - RANKED),
    }


def company_circularity(company: Company) -> SafeString:
    """The company's circularity (its group's, for a subsidiary), with its figure, as its
    section's HTML; empty when it sits on no loop. Cached per company and language: a page
    reads its own few kilobytes, not every company's loops."""

    def section():
        circular = _company(company)
        return rendered(COMPANY_TEMPLATE, {"circular": circular}) if circular else SafeString("")

    return cached("circularity:company", section, company.pk, reader_language())


def _company(company: Company) -> dict | None:
    data = every_company()
    root = data["roots"].get(company.pk, company.pk)
    item = next((item for item in data["ranking"] if item.company.pk == root), None)
    if item is None:
        return None
    return {
        "row": _row(item),
        "chart": _chart(item),
        "group": item.company if root != company.pk else None,
    }


def _chart(item: analytics.Circularity) -> dict:
    title = _("How much of the money %(company)s put in comes back (US$ billions)") % {
        "company": item.company.display_name
    }
    return {
        "chart_id": "circularity",
        "title": title,
        "figure": figure_json(charts.circularity_bars(item, title)),
        "table": charts.circularity_table(item),
        "description": charts.circularity_description(item),
    }
