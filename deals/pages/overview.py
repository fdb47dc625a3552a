"""What the overview shows: headline figures, how much of the money is promises, what deals run
on, the latest deals, the loops."""

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deals import analytics, charts
from deals.models import Deal, DealType
from deals.totals import Total
from dealwatch.language import reader_language

from .cache import cached, per_round
from .flows import loops_html
from .fragments import chart_html, standing_chart_html

LATEST = 6


def overview_page() -> dict:
    """The overview's context. The headline is read at each request from the tally the
    database keeps in every write (exact once a write commits, whatever process made it); the
    charts that sum over every deal are cached until the data change."""
    return (
        headline_parts(analytics.headline_of_every_deal())
        | cached("overview", overview_charts, reader_language())
        | {
            "loops_html": loops_html(),
            # The latest dated deals, straight from the timeline index: cheap, never stale.
            # (With "NULLS LAST" PostgreSQL could not use the index and would sort every deal.)
            "latest": Deal.objects.filter(announced_on__isnull=False)
            .select_related("payer", "payee")
            .order_by("-announced_on", "-pk")[:LATEST],
        }
    )


def headline_parts(headline: analytics.Headline) -> dict:
    """The headline cards and the "how much of it is promises?" chart of `headline`."""
    return {
        "headline": headline_cards(headline),
        "promises_html": promises_chart(headline),
        "promises_figures": [
            (label, headline.by_type[deal_type].money)
            for deal_type, label in deal_type_labels().items()
        ],
    }


def overview_charts() -> dict:
    """Everything on the overview that sums over every deal but the headline, as its HTML."""
    charts_html = "".join(chart_html(chart) for chart in runs_on_charts(Deal.objects.all()))
    return {"runs_on_html": mark_safe(charts_html)}  # noqa: S308 - rendered and escaped


def runs_on_charts(deals) -> list[dict]:
    """The "runs on" charts of every deal (`deals`): money and GW by cloud and by chip
    vendor, and buyer × cloud."""
    # The sums name no language: a warm round computes them once for both (`per_round`).
    by_buyer = per_round("runs-on:by-buyer", lambda: analytics.compute_by_buyer_and_cloud(deals))
    by_cloud = analytics.money_by_cloud(deals, by_buyer=by_buyer)
    chip_rows = per_round("runs-on:by-chip", lambda: analytics.chip_vendor_rows(deals))
    by_chip = analytics.money_by_chip_vendor(deals, rows=chip_rows)
    matrix = analytics.lab_cloud_matrix(deals, by_buyer=by_buyer)
    placed = [
        {
            "chart_id": "by-cloud",
            "title": _("Compute bought, by cloud"),
            "figure": charts.figure_json(
                charts.runs_on_bars(by_cloud, _("Money and power by cloud"))
            ),
            "table": charts.runs_on_table(by_cloud, _("Cloud")),
            "description": _(
                "Bar charts of the money committed to compute and the gigawatts, per cloud: %s."
            )
            % charts.runs_on_amounts(by_cloud),
        },
        {
            "chart_id": "by-chip",
            "title": _("Compute and chips bought, by chip vendor"),
            "figure": charts.figure_json(
                charts.runs_on_bars(by_chip, _("Money and power by chip vendor"))
            ),
            "table": charts.runs_on_table(by_chip, _("Chip vendor")),
            "description": _(
                "Bar charts of the money and gigawatts of deals running on each vendor's chips: %s."
            )
            % charts.runs_on_amounts(by_chip),
        },
    ]
    if not matrix.empty:
        placed.append(
            {
                "chart_id": "lab-cloud",
                "title": _("Who buys compute from which cloud"),
                "figure": charts.figure_json(charts.lab_cloud_heatmap(matrix)),
                "table": charts.lab_cloud_table(matrix),
                "description": charts.lab_cloud_description(matrix),
            }
        )
    return placed


def count_text(number: int) -> str:
    """A count with its thousands grouped: "1,000,000" (a bare "1000000" is hard to read)."""
    return number_format(number, force_grouping=True)


def deal_type_labels() -> dict[str, str]:
    """The rows of the "promises" chart: one per deal type, never added together (a dollar
    invested in a lab and spent by it on compute would count twice)."""
    return {
        DealType.INVESTMENT: _("Investments"),
        DealType.COMPUTE_COMMITMENT: _("Compute commitments"),
        DealType.CHIP_SUPPLY: _("Chip supply"),
    }


def promises_chart(headline: analytics.Headline) -> SafeString:
    """How much of it is promises? The money of each deal type split by standing, as the
    chart's HTML (drawn once for the same sums)."""
    rows = [
        (label, headline.by_type[deal_type].money)
        for deal_type, label in deal_type_labels().items()
        if not headline.by_type[deal_type].money.is_empty
    ]
    return standing_chart_html(
        "promises", rows, _("Money by deal type and standing (US$ billions)"), _("Deal type")
    )


def _money_card(label: str, money: Total, counts: str) -> dict:
    parts = money.parts()
    return {
        "label": label,
        "value": parts[0] if parts else _("none"),
        "more": parts[1:],
        "counts": counts,
    }


def headline_cards(headline: analytics.Headline) -> list[dict]:
    """Each headline figure in words (`deals.totals.Total`: certain and possible apart, by
    standing, undisclosed counted) with the sentence that says what it counts."""
    invested, compute, power = headline.invested, headline.compute, headline.power
    cards = [
        _money_card(
            _("Money invested"),
            invested.money,
            ngettext(
                "%(deals)s investment still on, %(stated)s of them with a stated amount.",
                "%(deals)s investments still on, %(stated)s of them with a stated amount.",
                invested.deals,
            )
            % {
                "deals": count_text(invested.deals),
                "stated": count_text(invested.money.stated_count),
            },
        ),
        _money_card(
            _("Money committed to compute"),
            compute.money,
            ngettext(
                "%(deals)s compute commitment still on, %(stated)s of them with a stated "
                "amount. Investments are not added in, so no dollar is counted twice.",
                "%(deals)s compute commitments still on, %(stated)s of them with a stated "
                "amount. Investments are not added in, so no dollar is counted twice.",
                compute.deals,
            )
            % {
                "deals": count_text(compute.deals),
                "stated": count_text(compute.money.stated_count),
            },
        ),
        _money_card(
            _("Computing power"),
            power,
            ngettext(
                "Stated by %(stated)s of %(deals)s compute commitment still on. Chip-supply "
                "deals often describe the same capacity, so their power is not added.",
                "Stated by %(stated)s of %(deals)s compute commitments still on. Chip-supply "
                "deals often describe the same capacity, so their power is not added.",
                compute.deals,
            )
            % {"deals": count_text(compute.deals), "stated": count_text(power.stated_count)},
        ),
        {
            "label": _("Deals"),
            "value": count_text(headline.deals),
            "counts": _(
                "Investments, compute commitments and chip-supply deals recorded, "
                "%(cancelled)s of them cancelled. Cancelled deals are left out of every sum."
            )
            % {"cancelled": count_text(headline.cancelled)},
        },
    ]
    if headline.site_count:
        cards[2]["beside"] = sites_words(headline)
    return cards


def sites_words(headline: analytics.Headline) -> dict:
    """What the data-centre projects state beside the commitments' power: a value and what
    it counts."""
    sites, count = headline.sites, headline.site_count
    value = (
        _("%(power)s more in data-centre projects") % {"power": sites.span_words()}
        if sites.stated_count
        else _("Data-centre projects: power undisclosed")
    )
    counts = ngettext(
        "%(count)s project named by a deal; no commitment naming it states its power, so "
        "nothing is counted twice.",
        "%(count)s projects named by deals; no commitment naming them states their power, so "
        "nothing is counted twice.",
        count,
    ) % {"count": count_text(count)}
    if sites.stated_count and sites.undisclosed_count:
        counts += " " + ngettext(
            "%(count)s of them gives no power.",
            "%(count)s of them give no power.",
            sites.undisclosed_count,
        ) % {"count": count_text(sites.undisclosed_count)}
    return {"value": value, "counts": counts}
