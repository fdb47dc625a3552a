"""What the data-centre pages show: the filtered list with its map, and one site's page.

The filters' choices and each list's map are cached per language and data generation (maps
for filters are a bounded kind, pages.keys); the sites themselves are read each time (three
queries). One site's page is a handful of queries, whatever the data.
"""

from django.http import Http404
from django.templatetags.static import static
from django.utils.translation import gettext as _

from deals.analytics.sites import site_frame, site_power
from deals.charts.site_map import map_json, site_map, site_map_description, site_table
from deals.models import DataCenterProject
from deals.selectors.datacentres import (
    filter_choices,
    filtered_sites,
    site_deals,
    site_detail,
    site_list,
)
from deals.site_filters import SiteFilterForm
from dealwatch.language import reader_language

from .cache import cached

TOPOJSON_FOLDER = "vendor/topojson/"


def site_filter_form(data) -> SiteFilterForm:
    """The list's filter form for the request's `data` (None when nothing was sent)."""
    language = reader_language()
    choices = cached("datacentre-choices", filter_choices, language)
    return SiteFilterForm(data, choices=choices, language=language)


def site_list_page(form: SiteFilterForm) -> dict:
    """The list's context: the sites matching the usable filters, their map and total power."""
    filters = form.site_filters()
    language = reader_language()
    sites = filtered_sites(filters=filters)
    params = form.canonical()  # valid values only: a refused one makes no new entry
    figures = cached(
        "datacentre-map:filtered" if params else "datacentre-map",
        lambda: map_figures(sites, language),
        language,
        params,
    )
    return {
        "filter_form": {"form": form},  # as includes/filter_fields.html reads it
        "problems": form.problems,
        "sites": site_list(filters=filters),
        "power_total": site_power(sites).words(language),
        **figures,
    }


def map_figures(sites, language: str, title: str | None = None) -> dict:
    """The map of `sites` as an includes/chart.html context."""
    frame = site_frame(sites, language)
    title = title or _("Where the data centres are")
    figure = site_map(frame, title, language)
    return {
        "map_chart": {
            "chart_id": "site-map",
            "title": title,
            "figure": map_json(figure, static(TOPOJSON_FOLDER), language),
            "table": site_table(frame, language),
            "description": site_map_description(frame),
        }
    }


def site_page(slug: str) -> dict:
    """One site's context; Http404 when no site has the id `slug`."""
    try:
        site = site_detail(slug=slug)
    except DataCenterProject.DoesNotExist as error:
        raise Http404(_("No data centre has the id “%(id)s”.") % {"id": slug}) from error
    context = {"site": site, "location_link": location_link(site), "deals": site_deals(site=site)}
    if site.latitude is not None:  # one marker; a site no source places has no map
        one, language = DataCenterProject.objects.filter(pk=site.pk), reader_language()
        # One entry per site and language (sites are few): drawing the map is the slow part.
        context |= cached(
            "datacentre-site-map",
            lambda: map_figures(one, language, title=_("Where it is")),
            language,
            site.slug,
        )
    return context


def location_link(site: DataCenterProject) -> str:
    """Where the location's quote is highlighted: the site's citation that holds it, in the
    article reader, or the article itself; empty when no article states the location."""
    if site.location_article is None:
        return ""
    for citation in site.citations.all():
        if (
            citation.article_id == site.location_article_id
            and site.location_quote in citation.quote
        ):
            return f"{site.location_article.get_absolute_url()}#quote-datacenter-{citation.pk}"
    return site.location_article.get_absolute_url()
