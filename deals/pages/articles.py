"""What the article pages show: the list of sources, and one article as a reader.

Every quote that cites the article becomes a highlight in its text, numbered in reading
order, and an entry in its "facts from this article" list, labelled in the reader's language.
"""

from dataclasses import dataclass, field

from django.core.paginator import Page
from django.utils.translation import gettext as _

from deals.formatting import format_money, format_power
from deals.highlighting import QuoteLink, find_span, render_paragraphs
from deals.models import Article
from deals.selectors.articles import article_citations, article_page
from dealwatch.language import reader_is_arabic, text_direction

ARTICLES_PER_PAGE = 50


def article_list(page_number) -> Page:
    """One page of the sources, newest first, each with how many quotes cite it."""
    return article_page(page_number=page_number, per_page=ARTICLES_PER_PAGE)


@dataclass
class Fact:
    """One quote of the article and the fact it supports."""

    kind: str  # deal, valuation, datacenter, status, site_status
    label: str
    href: str
    quote: str
    link: QuoteLink | None = None  # None when the quote is not found verbatim in the body

    @property
    def anchor(self) -> str | None:
        return self.link.anchor if self.link else None


@dataclass
class ArticleReading:
    article: Article
    body_html: str
    facts: list[Fact] = field(default_factory=list)

    @property
    def direction(self) -> str:
        return text_direction(self.article.language)

    @property
    def unplaced(self) -> list[Fact]:
        return [fact for fact in self.facts if fact.link is None]


def _flow(deal) -> str:
    """ "Amazon → Anthropic"; the arrow is not mirrored by bidi, so Arabic gets "←"."""
    arrow = "←" if reader_is_arabic() else "→"
    return f"{deal.payer.display_name} {arrow} {deal.payee.display_name}"


def _deal_label(deal) -> str:
    parts = [_flow(deal), deal.get_deal_type_display()]
    money = format_money(deal.amount_usd, deal.amount_qualifier)
    power = format_power(deal.power_gw, deal.power_qualifier)
    return " · ".join([*parts, money, *([power] if power else [])])


def _valuation_label(valuation) -> str:
    label = _("%(company)s valued at %(amount)s") % {
        "company": valuation.company.display_name,
        "amount": format_money(valuation.amount_usd, valuation.amount_qualifier),
    }
    if valuation.is_projection:
        label = _("%(label)s (projected)") % {"label": label}
    return label


def _site_name(center) -> str:
    return center.name_ar if center.name_ar and reader_is_arabic() else center.name


def _data_center_label(center) -> str:
    return _("Data centre: %(name)s") % {"name": _site_name(center)}


def article_reading(slug: str) -> ArticleReading:
    """The article and every fact it is cited for, its quotes highlighted; raises
    Article.DoesNotExist."""
    cited = article_citations(slug=slug)
    article = cited.article
    raw: list[tuple[str, str, str, str, str]] = []  # (key, kind, label, href, quote)
    for citation in cited.deal_citations:
        deal = citation.deal
        raw.append(
            (str(citation.pk), "deal", _deal_label(deal), deal.get_absolute_url(), citation.quote)
        )
    for citation in cited.valuation_citations:
        valuation = citation.valuation
        href = valuation.company.get_absolute_url() + "#valuations"
        raw.append(
            (
                f"valuation-{citation.pk}",
                "valuation",
                _valuation_label(valuation),
                href,
                citation.quote,
            )
        )
    for citation in cited.data_center_citations:
        center = citation.data_center
        raw.append(
            (
                f"datacenter-{citation.pk}",
                "datacenter",
                _data_center_label(center),
                center.get_absolute_url(),
                citation.quote,
            )
        )
    for change in cited.status_changes:
        label = _("%(deal)s: %(status)s") % {
            "deal": _flow(change.deal),
            "status": change.get_status_display(),
        }
        raw.append(
            (f"status-{change.pk}", "status", label, change.deal.get_absolute_url(), change.quote)
        )

    for change in cited.site_status_changes:
        label = _("Data centre: %(name)s (%(status)s)") % {
            "name": _site_name(change.data_center),
            "status": change.get_status_display(),
        }
        href = change.data_center.get_absolute_url() + "#status-history"
        raw.append((f"site-status-{change.pk}", "site_status", label, href, change.quote))

    spans = []
    facts = []
    links = {}
    # Facts are numbered in reading order, so the reference numbers run 1, 2, 3 down the text.
    located = [(find_span(article.body, row[-1]), *row) for row in raw]
    located.sort(key=lambda row: (row[0] is None, row[0] or (0, 0)))
    for number, (span, key, kind, label, href, quote) in enumerate(located, start=1):
        link = None
        if span is not None:
            link = QuoteLink(anchor=f"quote-{key}", href=href, label=label, number=number)
            links[key] = link
            spans.append((span[0], span[1], key))
        facts.append(Fact(kind=kind, label=label, href=href, quote=quote, link=link))
    return ArticleReading(
        article=article, body_html=render_paragraphs(article.body, spans, links), facts=facts
    )
