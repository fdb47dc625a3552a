"""Reads for the article pages: the list of sources and one article with its cited quotes.

Every quote that cites an article becomes a highlight in the reader and an entry in its
"facts from this article" list; both are built here in a fixed number of queries.
"""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .formatting import format_money, format_power
from .highlighting import QuoteLink, find_span, render_paragraphs
from .models import (
    Article,
    DataCenterCitation,
    DealCitation,
    DealStatusChange,
    ValuationCitation,
)


def _count_for_article(queryset):
    """How many rows of `queryset` point at the outer article, as an integer (0 if none)."""
    return Coalesce(
        Subquery(
            queryset.filter(article=OuterRef("pk"))
            .order_by()
            .values("article")
            .annotate(total=Count("pk"))
            .values("total"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def article_page(page_number, per_page: int):
    """One page of articles, newest first, each with how many quotes cite it.

    The counts are computed for the page's articles only (correlated subqueries on 50 rows),
    so a deep page costs the same as the first.
    """
    ids = Paginator(Article.objects.values_list("pk", flat=True), per_page).get_page(page_number)
    counted = (
        Article.objects.defer("body")
        .filter(pk__in=list(ids.object_list))
        .annotate(
            deal_quotes=_count_for_article(DealCitation.objects.all()),
            valuation_quotes=_count_for_article(ValuationCitation.objects.all()),
            data_center_quotes=_count_for_article(DataCenterCitation.objects.all()),
            status_quotes=_count_for_article(DealStatusChange.objects.exclude(quote="")),
        )
        .annotate(
            quotes=F("deal_quotes")
            + F("valuation_quotes")
            + F("data_center_quotes")
            + F("status_quotes")
        )
        .in_bulk()
    )
    ids.object_list = [counted[pk] for pk in ids.object_list if pk in counted]
    return ids


@dataclass
class Fact:
    """One quote of the article and the fact it supports."""

    kind: str  # deal, valuation, datacenter, status
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
        return "rtl" if self.article.language == Article.Language.ARABIC else "ltr"

    @property
    def unplaced(self) -> list[Fact]:
        return [fact for fact in self.facts if fact.link is None]


def _flow(deal) -> str:
    """ "Amazon → Anthropic"; the arrow is not mirrored by bidi, so Arabic gets "←"."""
    arrow = "←" if _is_arabic_interface() else "→"
    return f"{deal.payer.display_name} {arrow} {deal.payee.display_name}"


def _deal_label(deal) -> str:
    parts = [_flow(deal), deal.get_deal_type_display()]
    money = format_money(deal.amount_usd, deal.amount_qualifier)
    power = format_power(deal.power_gw, deal.power_qualifier)
    return " · ".join([*parts, money, *([power] if power else [])])


def article_reading(slug: str) -> ArticleReading:
    """The article and every fact it is cited for, its quotes highlighted (404 if unknown)."""
    article = get_object_or_404(Article, slug=slug)
    raw: list[tuple[str, str, str, str, str]] = []  # (key, kind, label, href, quote)

    for citation in DealCitation.objects.filter(article=article).select_related(
        "deal__payer", "deal__payee"
    ):
        raw.append(
            (
                str(citation.pk),
                "deal",
                _deal_label(citation.deal),
                citation.deal.get_absolute_url(),
                citation.quote,
            )
        )
    for citation in ValuationCitation.objects.filter(article=article).select_related(
        "valuation__company"
    ):
        valuation = citation.valuation
        label = _("%(company)s valued at %(amount)s") % {
            "company": valuation.company.display_name,
            "amount": format_money(valuation.amount_usd, valuation.amount_qualifier),
        }
        if valuation.is_projection:
            label = _("%(label)s (projected)") % {"label": label}
        href = valuation.company.get_absolute_url() + "#valuations"
        raw.append((f"valuation-{citation.pk}", "valuation", label, href, citation.quote))
    for citation in DataCenterCitation.objects.filter(article=article).select_related(
        "data_center__operator"
    ):
        center = citation.data_center
        name = center.name_ar if center.name_ar and _is_arabic_interface() else center.name
        label = _("Data centre: %(name)s") % {"name": name}
        href = center.operator.get_absolute_url()
        raw.append((f"datacenter-{citation.pk}", "datacenter", label, href, citation.quote))
    for change in (
        DealStatusChange.objects.filter(article=article)
        .exclude(quote="")
        .select_related("deal__payer", "deal__payee")
    ):
        label = _("%(deal)s: %(status)s") % {
            "deal": _flow(change.deal),
            "status": change.get_status_display(),
        }
        raw.append(
            (f"status-{change.pk}", "status", label, change.deal.get_absolute_url(), change.quote)
        )

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


def _is_arabic_interface() -> bool:
    return (get_language() or "en").startswith("ar")
