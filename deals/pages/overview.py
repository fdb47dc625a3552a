"""What the overview shows: headline figures, what deals run on, the latest deals, the loops."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from deals import analytics, charts
from deals.formatting import format_power, money_words
from deals.models import Deal, Qualifier
from dealwatch.language import reader_language

from .cache import cached
from .flows import circular_loops

LATEST = 6


def overview_page() -> dict:
    """The overview's context: the sums over every deal are cached until the data change."""
    return cached("overview", overview_figures, reader_language()) | {
        "loops": circular_loops(),
        # The latest dated deals, straight from the timeline index: cheap, never stale. (With
        # "NULLS LAST" PostgreSQL could not use the index and would sort every deal.)
        "latest": Deal.objects.filter(announced_on__isnull=False)
        .select_related("payer", "payee")
        .order_by("-announced_on", "-pk")[:LATEST],
    }


def overview_figures() -> dict:
    """Everything on the overview that sums over all deals."""
    deals = Deal.objects.all()
    return {
        "headline": headline_cards(analytics.headline_figures(deals)),
        "charts": runs_on_charts(deals),
    }


def runs_on_charts(deals) -> list[dict]:
    """The "runs on" charts: money and GW by cloud and by chip vendor, and buyer × cloud."""
    by_buyer = analytics.compute_by_buyer_and_cloud(deals)
    by_cloud = analytics.money_by_cloud(deals, by_buyer=by_buyer)
    by_chip = analytics.money_by_chip_vendor(deals)
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
                "description": _("A grid of the money each buyer has committed to each cloud."),
            }
        )
    return placed


def count_text(number: int) -> str:
    """A count with its thousands grouped: "1,000,000" (a bare "1000000" is hard to read)."""
    return number_format(number, force_grouping=True)


def headline_cards(headline: analytics.Headline) -> list[dict]:
    """Each headline figure with the sentence that says what it counts."""

    def qualifiers(figure):
        parts = []
        if figure.up_to:
            parts.append(_("%(n)s stated as “up to”") % {"n": count_text(figure.up_to)})
        if figure.about:
            parts.append(_("%(n)s as “about”") % {"n": count_text(figure.about)})
        if figure.more_than:
            parts.append(
                _("%(n)s as “more than” (counted at the minimum)")
                % {"n": count_text(figure.more_than)}
            )
        return (" (" + ", ".join(parts) + ")") if parts else ""

    invested, compute, power = headline.invested, headline.compute, headline.power
    return [
        {
            "label": _("Money invested"),
            "value": money_words(invested.total) if invested.counted else _("none disclosed"),
            "counts": _(
                "Sum of the disclosed amounts of %(counted)s investment deals%(qualifiers)s, "
                "“up to” and “about” at face value; %(undisclosed)s with no amount not counted."
            )
            % {
                "counted": count_text(invested.counted),
                "qualifiers": qualifiers(invested),
                "undisclosed": count_text(invested.undisclosed),
            },
        },
        {
            "label": _("Money committed to compute"),
            "value": money_words(compute.total) if compute.counted else _("none disclosed"),
            "counts": _(
                "Sum of the disclosed amounts of %(counted)s compute commitments%(qualifiers)s, "
                "at face value; %(undisclosed)s with no amount not counted. Investments are not "
                "added in, so no dollar is counted twice."
            )
            % {
                "counted": count_text(compute.counted),
                "qualifiers": qualifiers(compute),
                "undisclosed": count_text(compute.undisclosed),
            },
        },
        {
            "label": _("Computing power"),
            "value": format_power(power.total, Qualifier.EXACT) if power.counted else "—",
            "counts": _(
                "Power of %(counted)s compute commitments that state it%(qualifiers)s; "
                "%(undisclosed)s give none. Chip-supply deals often describe the same capacity, "
                "so their power is not added."
            )
            % {
                "counted": count_text(power.counted),
                "qualifiers": qualifiers(power),
                "undisclosed": count_text(power.undisclosed),
            },
        },
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
