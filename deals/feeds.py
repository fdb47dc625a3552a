"""Atom feeds of deals and their status changes: any filtered timeline, a company, a data centre.

`/deals/feed/?company=…&type=…` takes every filter of the timeline (the same `deal_filter`,
the same ids and messages; a filter that cannot be read answers 400 with the messages, not a
feed of every deal). `/companies/<id>/feed/` and `/data-centres/<id>/feed/` are the same feed
for one company or one site. Under /ar/ every word, name and amount is in Arabic.

An entry is a deal (its amount in words with its qualifier, status, date and source) or a
step of a deal's status history after its first (the first is the deal itself). The newest
FEED_DEALS deals of the timeline are read the timeline's way (one keyset page, then the cards'
five queries), so a feed costs the same few queries at any size of data. The entries' HTML is
built with `format_html`: every name, summary and title from the data is escaped.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urljoin

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from companies.models import Company
from deals.formatting import date_words, format_money, format_power
from deals.models import Article, DataCenterProject, Deal, DealStatusChange
from deals.pages.filters import deal_filter
from deals.pages.timeline import filter_summary
from deals.selectors.timeline import deal_timeline, timeline_cards
from dealwatch.language import reader_is_arabic

FEED_DEALS = 30
_ID_PREFIX = "tag:dealwatch,2025:"


@dataclass
class FeedSubject:
    """What one feed is about: its title, the page it mirrors, and the deals it lists."""

    title: str
    link: str
    self_link: str
    """The feed's own absolute address, also its Atom id."""
    deals: list[QuerySet]
    site: str
    """The site's root URL, e.g. "https://dealwatch.example/": links inside an entry's HTML
    must be absolute, since a feed reader shows it away from the site."""


@dataclass
class FeedEntry:
    deal: Deal
    change: DealStatusChange | None
    when: datetime.date | None
    site: str


def feed_entries(subject: FeedSubject) -> list[FeedEntry]:
    """The newest deals of the subject (the timeline's first page, FEED_DEALS long) and the
    status changes of each after its first, newest first. Seven queries."""
    page = deal_timeline(deals=subject.deals, size=FEED_DEALS)
    loaded = timeline_cards([deal.pk for deal in page.deals])
    entries = []
    for light in page.deals:
        deal = loaded.get(light.pk)
        if deal is None:  # deleted since its page was read
            continue
        entries.append(FeedEntry(deal, None, deal.announced_on, subject.site))
        changes = list(deal.status_history.all())[1:]
        entries += [FeedEntry(deal, change, change.changed_on, subject.site) for change in changes]
    changes = [entry.change for entry in entries if entry.change is not None]
    prefetch_related_objects(changes, Prefetch("article", Article.objects.defer("body")))
    undated = datetime.date.min
    return sorted(entries, key=lambda entry: entry.when or undated, reverse=True)


def _parties(deal: Deal) -> dict[str, str]:
    return {"payer": deal.payer.display_name, "payee": deal.payee.display_name}


def deal_headline(deal: Deal) -> str:
    """ "Amazon to Anthropic: investment, up to $8B": a deal in one line (feeds, digests)."""
    return _("%(payer)s to %(payee)s: %(type)s, %(amount)s") % {
        **_parties(deal),
        "type": deal.get_deal_type_display(),
        "amount": format_money(deal.amount_usd, deal.amount_qualifier),
    }


def status_headline(deal: Deal, change) -> str:
    """ "Amazon and OpenAI: status now “signed”": a step of a deal's status history."""
    return _("%(payer)s and %(payee)s: status now “%(status)s”") % {
        **_parties(deal),
        "status": change.get_status_display(),
    }


def _source_html(entry: FeedEntry) -> str:
    """ "Source: <a>…</a>": the cited sentence in the article reader, or the outside reference."""
    deal, change = entry.deal, entry.change
    if change is None and deal.supporting_citation is not None:
        citation = deal.supporting_citation
        url = reverse("deals:article", args=[citation.article.slug]) + f"#quote-{citation.pk}"
        return format_html(
            '{}: <a href="{}">{}</a>', _("Source"), urljoin(entry.site, url), citation.article.title
        )
    if change is not None and change.article is not None:
        url = urljoin(entry.site, reverse("deals:article", args=[change.article.slug]))
        return format_html('{}: <a href="{}">{}</a>', _("Source"), url, change.article.title)
    reference = change.reference_url if change is not None else deal.reference_url
    if reference:
        return format_html('{}: <a href="{}">{}</a>', _("Source"), reference, reference)
    return ""


class DealFeed(Feed):
    """The shared shape of every deal feed; subclasses say which deals (`get_object`)."""

    feed_type = Atom1Feed
    author_name = "DealWatch"

    def title(self, subject: FeedSubject) -> str:
        return _("DealWatch: %(subject)s") % {"subject": subject.title}

    def subtitle(self, subject: FeedSubject) -> str:
        return _("New deals and status changes, every figure cited to its source.")

    def link(self, subject: FeedSubject) -> str:
        return subject.link

    def feed_url(self, subject: FeedSubject) -> str:
        return subject.self_link

    def feed_guid(self, subject: FeedSubject) -> str:
        return subject.self_link

    def items(self, subject: FeedSubject) -> list[FeedEntry]:
        return feed_entries(subject)

    def item_title(self, entry: FeedEntry) -> str:
        if entry.change is not None:
            return status_headline(entry.deal, entry.change)
        return deal_headline(entry.deal)

    def item_description(self, entry: FeedEntry) -> str:
        deal, change = entry.deal, entry.change
        facts = [
            (_("Amount"), format_money(deal.amount_usd, deal.amount_qualifier)),
            (_("Status"), (change or deal).get_status_display()),
            (_("Date"), self._date(entry)),
        ]
        power = format_power(deal.power_gw, deal.power_qualifier)
        if power:
            facts.append((_("Power"), power))
        summary = deal.summary_ar if reader_is_arabic() and deal.summary_ar else deal.summary
        source = _source_html(entry)
        return format_html(
            "<ul>{}</ul>{}{}",
            format_html_join("", "<li>{}: {}</li>", facts),
            format_html("<p>{}</p>", summary) if summary else "",
            format_html("<p>{}</p>", source) if source else "",
        )

    def _date(self, entry: FeedEntry) -> str:
        if entry.change is not None:
            return date_words(entry.change.changed_on, entry.change.date_precision)
        return date_words(entry.deal.announced_on, entry.deal.date_precision)

    def item_link(self, entry: FeedEntry) -> str:
        return entry.deal.get_absolute_url()

    def item_guid(self, entry: FeedEntry) -> str:
        if entry.change is not None:
            return f"{_ID_PREFIX}status-change/{entry.change.pk}"
        return f"{_ID_PREFIX}deal/{entry.deal.slug}"

    def item_pubdate(self, entry: FeedEntry) -> datetime.datetime:
        if entry.when is None:
            return entry.deal.created_at
        return datetime.datetime.combine(entry.when, datetime.time(), tzinfo=datetime.UTC)

    def item_updateddate(self, entry: FeedEntry) -> datetime.datetime:
        # A deal's entry changes when the deal is edited; a status change never does.
        return entry.deal.updated_at if entry.change is None else self.item_pubdate(entry)

    def item_categories(self, entry: FeedEntry) -> list[str]:
        return [
            entry.deal.get_deal_type_display(),
            (entry.change or entry.deal).get_status_display(),
        ]


class TimelineFeed(DealFeed):
    """/deals/feed/?…: the timeline's deals for its filters."""

    def __call__(self, request, *args, **kwargs):
        filters = deal_filter(request.GET or None)
        if filters.error_messages:
            return HttpResponseBadRequest(
                "\n".join(filters.error_messages) + "\n", content_type="text/plain; charset=utf-8"
            )
        request.deal_filter = filters
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request) -> FeedSubject:
        filters = request.deal_filter
        query = _querystring(filters.active_params)
        return FeedSubject(
            title=filter_summary(filters) or _("all deals"),
            link=_with_query(reverse("deals:timeline"), query),
            self_link=request.build_absolute_uri(_with_query(request.path, query)),
            deals=filters.split_by_side(),
            site=request.build_absolute_uri("/"),
        )


class CompanyFeed(DealFeed):
    """/companies/<id>/feed/: every deal the company is party to."""

    def get_object(self, request, slug: str) -> FeedSubject:
        company = get_object_or_404(Company, slug=slug)
        deals = Deal.objects.all()
        return FeedSubject(
            title=company.display_name,
            link=company.get_absolute_url(),
            self_link=request.build_absolute_uri(request.path),
            deals=[deals.filter(payer=company), deals.filter(payee=company)],
            site=request.build_absolute_uri("/"),
        )


class DataCentreFeed(DealFeed):
    """/data-centres/<id>/feed/: the deals that name the data centre."""

    def get_object(self, request, slug: str) -> FeedSubject:
        project = get_object_or_404(DataCenterProject, slug=slug)
        name = project.name_ar if reader_is_arabic() and project.name_ar else project.name
        return FeedSubject(
            title=name,
            link=_data_centre_page(project) or request.path,
            self_link=request.build_absolute_uri(request.path),
            deals=[Deal.objects.filter(data_center=project)],
            site=request.build_absolute_uri("/"),
        )


def _data_centre_page(project: DataCenterProject) -> str:
    """The data centre's page, where the site has one (the `datacentres` pages)."""
    try:
        return reverse("datacentres:detail", args=[project.slug])
    except NoReverseMatch:
        return ""


def _querystring(params: dict[str, str]) -> str:
    query = QueryDict(mutable=True)
    query.update(params)
    return query.urlencode()


def _with_query(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path
