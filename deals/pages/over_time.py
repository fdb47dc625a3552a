"""Deal flow over time, on the overview, the timeline (above the list) and each company page.

One function, `flow_over_time`, gives the charts for the deals a page shows, as their section's
HTML: every deal on the overview, the filtered deals on the timeline (the same `DealFilter` as
its list, so the charts follow every filter and htmx swap), a company's own deals on its page.
Cached per language and filter (or company) until the data change; filtered and per-company
entries are bounded kinds (pages.keys.KIND_LIMITS), so endless filter values cannot fill the
cache.
"""

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from companies.models import Company
from deals.analytics import over_time as analytics
from deals.charts import deal_marks, figure_json
from deals.charts import over_time as charts
from deals.filters import DealFilter
from deals.models import Deal
from deals.totals import MONEY, POWER
from dealwatch.language import reader_language

from .cache import cached, per_round
from .fragments import rendered
from .keys import filter_key
from .overview import deal_type_labels

SECTION_TEMPLATE = "includes/_flow_over_time_section.html"


def flow_over_time(
    *, filters: DealFilter | None = None, company: Company | None = None
) -> SafeString | None:
    """The flow charts of the page's deals as their section's HTML (empty when there is
    nothing to draw); None when a filter was refused (the page then shows no deals at all,
    and neither do its charts)."""
    language = reader_language()
    if company is not None:
        deals = Deal.objects.involving(company)
        return cached("over-time:company", lambda: flow_section(deals), company.pk, language)

    def of_every_deal():
        return flow_section(Deal.objects.all(), every_deal=True)

    if filters is None:
        return cached("over-time", of_every_deal, language, [])
    if filters.is_bound and not filters.form.is_valid():
        return None
    # Canonical, validated values: the unfiltered timeline shares the overview's entry.
    params = filter_key(filters)
    if not params:
        return cached("over-time", of_every_deal, language, [])
    deals = filters.qs
    return cached("over-time:filtered", lambda: flow_section(deals), language, params)


def flow_section(deals, every_deal: bool = False) -> SafeString:
    """The section of `deals`' flow charts, rendered (`pages.fragments`)."""
    return rendered(SECTION_TEMPLATE, {"flow": flow_figures(deals, every_deal)})


def flow_figures(deals, every_deal: bool = False) -> dict:
    """Money and power over time, and the deals as marks: six queries, whatever their number.

    The sums name no language: those of every deal (`every_deal`) are computed once for both
    languages of a warm round (`per_round`)."""
    if every_deal:
        flow = per_round("over-time:flow", lambda: analytics.flow_over_time(deals))
        marked = per_round("over-time:marks", lambda: analytics.timeline_deals(deals))
    else:
        flow = analytics.flow_over_time(deals)
        marked = analytics.timeline_deals(deals)
    labels = {str(key): str(label) for key, label in deal_type_labels().items()}
    step = _("month") if flow.step == analytics.MONTH else _("quarter")
    money = {
        "chart_id": "flow-money",
        "title": _("Money committed per %(step)s, by type and standing (US$ billions)")
        % {"step": step},
        "figure": figure_json(charts.flow_figure(flow, MONEY, labels)),
        "table": charts.flow_table(flow, MONEY, labels),
        "description": charts.flow_description(flow, MONEY, labels),
    }
    power = None
    if flow.power:
        power = {
            "chart_id": "flow-power",
            "title": _("Computing power committed per %(step)s (GW)") % {"step": step},
            "figure": figure_json(charts.flow_figure(flow, POWER, labels)),
            "table": charts.flow_table(flow, POWER, labels),
            "description": charts.flow_description(flow, POWER, labels),
        }
    return {
        "is_empty": flow.is_empty,
        "money": money if flow.money else None,
        "power": power,
        "marks": _marks(marked, labels),
        "undated_words": _undated_words(flow),
    }


def _marks(marked: list, labels: dict[str, str]) -> dict | None:
    if not marked:
        return None
    return {
        "chart_id": "flow-deals",
        "title": _("The deals, each at its date and sized by its amount"),
        "figure": figure_json(deal_marks.deal_marks(marked, labels)),
        "table": deal_marks.deal_marks_table(marked, labels),
        "description": ngettext(
            "%(count)s deal as a mark at its date; click one to open it.",
            "%(count)s deals as marks at their dates; click one to open it.",
            len(marked),
        )
        % {"count": f"{len(marked):,}"},
        "shown": len(marked),
        "is_bounded": len(marked) >= analytics.DRAWN_DEALS,
    }


def _undated_words(flow) -> str:
    """How many figures have no date (they are in the tables, not on the time axis)."""
    count = sum(
        slots[analytics.UNDATED].deal_count
        for slots in flow.money.values()
        if analytics.UNDATED in slots
    )
    if not count:
        return ""
    return ngettext(
        "%(count)s deal has no date: it is in the tables under “No date”, not on the time axis.",
        "%(count)s deals have no date: they are in the tables under “No date”, not on the time "
        "axis.",
        count,
    ) % {"count": f"{count:,}"}
