"""The deal timeline at /deals/: order, month groups, filters, bad input, htmx, query counts."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache

from deals.filters import DealFilter
from deals.models import Deal, DealStatus, DealType, Qualifier
from deals.selectors import timeline as selectors
from deals.selectors.timeline import deal_timeline
from tests.conftest import count_queries
from tests.factories import (
    ArticleFactory,
    ChipPlatformFactory,
    CloudPlatformFactory,
    CompanyFactory,
    DealCitationFactory,
    DealFactory,
)

pytestmark = pytest.mark.django_db

URL = "/deals/"


def shown_ids(response) -> list[str]:
    return re.findall(r'data-deal-id="([^"]+)"', response.content.decode())


@pytest.fixture
def world():
    """Anthropic raises from Amazon and Google and buys Azure compute; OpenAI buys from Oracle."""
    anthropic = CompanyFactory(slug="anthropic", name="Anthropic", name_ar="أنثروبيك")
    openai = CompanyFactory(slug="openai", name="OpenAI", name_ar="أوبن إيه آي")
    amazon = CompanyFactory(slug="amazon", name="Amazon", name_ar="أمازون")
    google = CompanyFactory(slug="google", name="Google", name_ar="غوغل")
    microsoft = CompanyFactory(slug="microsoft", name="Microsoft", name_ar="مايكروسوفت")
    oracle = CompanyFactory(slug="oracle", name="Oracle", name_ar="أوراكل")
    azure = CloudPlatformFactory(slug="azure", name="Microsoft Azure", operator=microsoft)
    oci = CloudPlatformFactory(slug="oci", name="Oracle Cloud", operator=oracle)
    trainium = ChipPlatformFactory(slug="trainium", name="Trainium", vendor=amazon)
    gb300 = ChipPlatformFactory(slug="gb300", name="GB300", vendor=microsoft)
    deals = {
        "amazon-anthropic": DealFactory(
            slug="amazon-anthropic",
            payer=amazon,
            payee=anthropic,
            amount_usd=Decimal("8e9"),
            announced_on=datetime.date(2024, 11, 22),
            status=DealStatus.COMPLETED,
        ),
        "google-anthropic": DealFactory(
            slug="google-anthropic",
            payer=google,
            payee=anthropic,
            amount_usd=None,
            amount_qualifier=Qualifier.UNDISCLOSED,
            announced_on=datetime.date(2025, 10, 23),
        ),
        "anthropic-azure": DealFactory(
            slug="anthropic-azure",
            deal_type=DealType.COMPUTE_COMMITMENT,
            payer=anthropic,
            payee=microsoft,
            cloud=azure,
            amount_usd=Decimal("30e9"),
            power_gw=Decimal("1"),
            power_qualifier=Qualifier.UP_TO,
            announced_on=datetime.date(2025, 11, 18),
            status=DealStatus.SIGNED,
        ),
        "openai-oracle": DealFactory(
            slug="openai-oracle",
            deal_type=DealType.COMPUTE_COMMITMENT,
            payer=openai,
            payee=oracle,
            cloud=oci,
            amount_usd=Decimal("300e9"),
            amount_qualifier=Qualifier.ABOUT,
            announced_on=datetime.date(2025, 9, 10),
        ),
        "microsoft-openai": DealFactory(
            slug="microsoft-openai",
            payer=microsoft,
            payee=openai,
            amount_usd=Decimal("10e9"),
            amount_qualifier=Qualifier.UP_TO,
            announced_on=datetime.date(2023, 1, 23),
            status=DealStatus.RUMORED,
        ),
    }
    deals["amazon-anthropic"].chip_platforms.add(trainium)
    deals["anthropic-azure"].chip_platforms.add(gb300)
    return deals


def test_deals_are_newest_first_grouped_by_month(client, world):
    response = client.get(URL)
    assert response.status_code == 200
    assert shown_ids(response) == [
        "anthropic-azure",
        "google-anthropic",
        "openai-oracle",
        "amazon-anthropic",
        "microsoft-openai",
    ]
    html = response.content.decode()
    headings = re.findall(r'<h2 class="timeline-month-heading">([^<]+)</h2>', html)
    assert headings == [
        "November 2025",
        "October 2025",
        "September 2025",
        "November 2024",
        "January 2023",
    ]


def test_each_deal_shows_parties_amount_in_words_status_cloud_chips(client, world):
    html = client.get(URL).content.decode()
    card = html.split('data-deal-id="anthropic-azure"')[1].split("</article>")[0]
    assert 'href="/companies/anthropic/"' in card
    assert 'href="/companies/microsoft/"' in card
    assert "$30B" in card
    assert "Microsoft Azure" in card
    assert "GB300" in card
    assert "up to 1 GW" in card
    assert "signed" in card
    assert "compute commitment" in card
    assert "undisclosed" in html.split('data-deal-id="google-anthropic"')[1].split("</article>")[0]
    assert "up to $10B" in html.split('data-deal-id="microsoft-openai"')[1].split("</article>")[0]


def test_each_deal_links_to_the_quote_that_supports_it(client, world):
    article = ArticleFactory(slug="azure-article")
    citation = DealCitationFactory(deal=world["anthropic-azure"], article=article)
    html = client.get(URL).content.decode()
    card = html.split('data-deal-id="anthropic-azure"')[1].split("</article>")[0]
    assert f'href="/articles/azure-article/#quote-{citation.pk}"' in card


def test_filtering_by_anthropic_lists_only_its_deals(client, world):
    response = client.get(URL, {"company": "anthropic"})
    expected = set(
        Deal.objects.involving(Deal.objects.get(slug="amazon-anthropic").payee).values_list(
            "slug", flat=True
        )
    )
    assert (
        set(shown_ids(response))
        == expected
        == {
            "amazon-anthropic",
            "google-anthropic",
            "anthropic-azure",
        }
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("investee", {"amazon-anthropic", "google-anthropic"}),
        ("investor", set()),
        ("buyer", {"anthropic-azure"}),
        ("provider", set()),
    ],
)
def test_filtering_by_company_in_one_role(client, world, role, expected):
    response = client.get(URL, {"company": "anthropic", "role": role})
    assert set(shown_ids(response)) == expected


def test_microsoft_as_provider_and_as_investor(client, world):
    as_provider = client.get(URL, {"company": "microsoft", "role": "provider"})
    as_investor = client.get(URL, {"company": "microsoft", "role": "investor"})
    assert shown_ids(as_provider) == ["anthropic-azure"]
    assert shown_ids(as_investor) == ["microsoft-openai"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "compute_commitment"}, {"anthropic-azure", "openai-oracle"}),
        ({"status": "rumored"}, {"microsoft-openai"}),
        ({"cloud": "azure"}, {"anthropic-azure"}),
        ({"chip": "trainium"}, {"amazon-anthropic"}),
        ({"from": "2025-01-01"}, {"anthropic-azure", "google-anthropic", "openai-oracle"}),
        ({"to": "2024-12-31"}, {"amazon-anthropic", "microsoft-openai"}),
        ({"from": "2025-09-01", "to": "2025-10-31"}, {"google-anthropic", "openai-oracle"}),
        ({"min_amount": "30000000000"}, {"anthropic-azure", "openai-oracle"}),
        ({"min_amount": "30B"}, {"anthropic-azure", "openai-oracle"}),
        ({"min_amount": "$9.5B"}, {"anthropic-azure", "openai-oracle", "microsoft-openai"}),
        ({"min_amount": "1T"}, set()),
        ({"company": "openai", "type": "investment"}, {"microsoft-openai"}),
    ],
)
def test_each_filter(client, world, params, expected):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert set(shown_ids(response)) == expected
    assert 'role="alert"' not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"company": "no-such-company"}, "no-such-company"),
        ({"company": "'; DROP TABLE deals_deal; --"}, "There is no company"),
        ({"cloud": "aws-moon"}, "aws-moon"),
        ({"chip": "<script>"}, "&lt;script&gt;"),
        ({"type": "loan"}, "loan"),
        ({"status": "maybe"}, "maybe"),
        ({"role": "foo"}, "“foo” is not a role"),
        ({"role": "investor"}, "A role only makes sense with a company"),
        ({"from": "2025-13-45"}, "YYYY-MM-DD"),
        ({"to": "yesterday"}, "YYYY-MM-DD"),
        ({"from": "2025-12-01", "to": "2025-01-01"}, "end date is before the start date"),
        ({"min_amount": "abc"}, "Enter an amount"),
        ({"min_amount": "-5B"}, "cannot be negative"),
        ({"company": "anthropic\x00"}, "Null characters"),
    ],
)
def test_bad_parameters_show_a_message_and_no_deals(client, world, params, named):
    response = client.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    alert = html.split('role="alert"')[1].split("</div>")[0]
    assert named in alert
    assert "no deals are shown" in alert
    # Every deal under the message would read as the filter's results: none are listed.
    assert shown_ids(response) == []
    assert "No deals match these filters." not in html


def test_a_broken_older_deals_link_shows_the_newest_deals_and_says_so(client, world):
    response = client.get(URL, {"cursor": "garbage"})
    alert = response.content.decode().split('role="alert"')[1].split("</div>")[0]
    assert "not valid" in alert
    assert len(shown_ids(response)) == len(world)


def test_repeated_parameters_are_reported(client, world):
    response = client.get(f"{URL}?company=anthropic&company=openai")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Give one value for “company”" in html.split('role="alert"')[1]
    assert shown_ids(response) == []


def test_one_bad_filter_among_good_ones_shows_no_deals_and_keeps_what_was_typed(client, world):
    response = client.get(URL, {"company": "anthropic", "min_amount": "lots"})
    html = response.content.decode()
    assert shown_ids(response) == []
    assert "Enter an amount" in html
    # Nothing the reader typed is lost: both boxes still hold it.
    assert 'name="company" value="Anthropic"' in html
    assert 'value="lots"' in html


def test_filter_form_works_without_javascript_and_is_enhanced_by_htmx(client, world):
    html = client.get(URL, {"company": "anthropic"}).content.decode()
    form = html.split('<form class="deal-filters')[1].split("</form>")[0]
    assert 'method="get"' in form
    assert 'data-hx-get="/deals/"' in form
    assert 'data-hx-target="#timeline-results"' in form
    assert 'data-hx-swap="outerHTML"' in form
    assert 'data-hx-push-url="true"' in form
    # static/js/timeline.js sends "filters-change" once per committed change.
    assert 'data-hx-trigger="filters-change"' in form
    assert " hx-" not in html  # the Nu HTML Checker refuses hx-*; htmx reads data-hx-* too
    assert 'type="submit"' in form
    for name in ["company", "role", "type", "status", "cloud", "chip", "from", "to", "min_amount"]:
        assert f'name="{name}"' in form
        assert f'for="id_{name}"' in form
    # The company box shows the chosen company's name (the URL keeps its id), and suggests
    # the most active companies by name, in the reader's language.
    assert 'name="company" value="Anthropic"' in form
    assert 'list="id_company-suggestions"' in form
    assert '<option value="Anthropic">anthropic</option>' in form
    arabic = client.get(f"/ar{URL}").content.decode()
    assert '<option value="أنثروبيك">anthropic</option>' in arabic


def test_htmx_request_gets_only_the_results_and_a_tidy_url(client, world):
    response = client.get(
        URL,
        {"company": "anthropic", "role": "", "type": "", "min_amount": ""},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="timeline-results",
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "<form" not in html
    # Swapped as outerHTML: the results replace themselves, one #deal-list afterwards.
    assert html.count('id="timeline-results"') == 1
    assert html.count('id="deal-list"') == 1
    assert set(shown_ids(response)) == {"amazon-anthropic", "google-anthropic", "anthropic-azure"}
    assert response["HX-Push-Url"] == "/deals/?company=anthropic"


def test_htmx_history_restore_gets_the_full_page(client, world):
    response = client.get(URL, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.content.decode()


def test_htmx_errors_are_inside_the_swapped_list(client, world):
    response = client.get(URL, {"from": "2025-13-45"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_sources_disagree_badge(client, world):
    deal = world["anthropic-azure"]
    DealCitationFactory(
        deal=deal, reported_amount_usd=Decimal("30e9"), reported_amount_qualifier="exact"
    )
    html = client.get(URL).content.decode()
    assert "sources disagree" not in html
    DealCitationFactory(
        deal=deal,
        quote="Beta will buy compute from Gamma.",
        reported_amount_usd=Decimal("35e9"),
        reported_amount_qualifier="about",
    )
    html = client.get(URL).content.decode()
    card = html.split('data-deal-id="anthropic-azure"')[1].split("</article>")[0]
    assert "sources disagree" in card
    assert html.count("sources disagree") == 1


def many_deals(count: int) -> None:
    cloud = CloudPlatformFactory(slug="big-cloud")
    chip = ChipPlatformFactory(slug="big-chip")
    investor = CompanyFactory(slug="big-investor")
    article = ArticleFactory()
    for n in range(count):
        deal = DealFactory(
            payer=investor,
            announced_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=7 * n),
            cloud=cloud,
        )
        deal.chip_platforms.add(chip)
        DealCitationFactory(deal=deal, article=article)


def cold_and_warm(client, url, **headers) -> tuple[int, int]:
    """Queries of the first request after a change (nothing cached), then of the next one."""
    cache.clear()
    return count_queries(client, url, **headers), count_queries(client, url, **headers)


@pytest.mark.parametrize(
    "url",
    [
        URL,
        f"{URL}?company=big-investor&role=investor",
        f"{URL}?cloud=big-cloud&chip=big-chip&from=2020-01-01&min_amount=1M",
    ],
)
def test_query_count_does_not_grow_with_the_data(client, url):
    many_deals(55)  # more than a page: the count of matching deals is one bounded query more
    assert 'role="alert"' not in client.get(url).content.decode()
    few = cold_and_warm(client, url)
    few_htmx = cold_and_warm(client, url, HTTP_HX_REQUEST="true")
    many_deals(60)
    assert cold_and_warm(client, url) == few
    assert cold_and_warm(client, url, HTTP_HX_REQUEST="true") == few_htmx


def test_timeline_query_count(client, django_assert_num_queries):
    many_deals(60)
    # Dated and undated deals of the page, then for the cards not yet cached: the deals (with
    # parties and cloud), their chips and their citations (with articles); and the company,
    # cloud and chip suggestions of the filter form, cached too. The cards also read their
    # tranches (a running total is dated by their span) and status history (a status only a
    # reference backs says so): two more. A page with older deals after it also counts the
    # matching deals (one COUNT, stopped at pages.timeline.COUNT_LIMIT). The flow charts above
    # the list (pages.over_time) read the filtered deals in 5 more, cached too.
    with django_assert_num_queries(16):
        client.get(URL)
    # Cached: only the page's deals and their count.
    with django_assert_num_queries(3):
        client.get(URL)
    with django_assert_num_queries(3):
        client.get(URL, HTTP_HX_REQUEST="true")
    # "Older deals" needs no count: once its cards are cached, only its deals.
    older = {"cursor": selectors.encode_cursor(Deal.objects.newest_first().first())}
    client.get(URL, older, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="older-deals")
    with django_assert_num_queries(2):
        client.get(URL, older, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="older-deals")
    cache.clear()
    with django_assert_num_queries(13):
        client.get(URL, HTTP_HX_REQUEST="true")


def test_cached_cards_show_an_edit_at_once(client):
    deal = DealFactory(amount_usd=Decimal("2000000000"))
    assert "$2B" in client.get(URL).content.decode()
    deal.amount_usd = Decimal("3000000000")
    deal.save()
    html = client.get(URL).content.decode()
    assert "$3B" in html
    assert "$2B" not in html


def test_cached_cards_are_per_language(client):
    DealFactory(payer__name="Lab One", payer__name_ar="مختبر واحد")
    assert "Lab One" in client.get(URL).content.decode()
    arabic = client.get(f"/ar{URL}").content.decode()
    assert "مختبر واحد" in arabic
    assert 'href="/ar/companies/' in arabic


def test_a_deal_deleted_between_the_two_reads_is_left_out(client, monkeypatch):
    deals = DealFactory.create_batch(3)
    gone = deals[1]
    real = selectors.timeline_cards

    def delete_first(pks):
        Deal.objects.filter(pk=gone.pk).delete()
        return real(pks)

    monkeypatch.setattr(selectors, "timeline_cards", delete_first)
    response = client.get(URL)
    assert response.status_code == 200
    assert set(shown_ids(response)) == {deals[0].slug, deals[2].slug}


def test_the_timeline_shows_fifty_deals_a_page_with_an_older_deals_link(client):
    many_deals(120)
    first = client.get(URL)
    ids = shown_ids(first)
    assert len(ids) == 50
    older = re.search(r'<a class="button" href="\?([^"]+)"', first.content.decode())
    assert older
    second = client.get(f"{URL}?{older.group(1).replace('&amp;', '&')}")
    second_ids = shown_ids(second)
    assert len(second_ids) == 50
    assert not set(ids) & set(second_ids)
    expected = list(Deal.objects.timeline().values_list("slug", flat=True)[:100])
    assert ids + second_ids == expected


def test_load_more_keeps_filters_and_appends_only_the_next_page(client):
    many_deals(60)
    cloud = CloudPlatformFactory(slug="other-cloud")
    DealFactory.create_batch(3, cloud=cloud)
    filters = DealFilter({"cloud": "big-cloud"}, queryset=Deal.objects.all())
    page = deal_timeline(deals=filters.qs)
    assert page.next_cursor
    response = client.get(
        URL,
        {"cloud": "big-cloud", "cursor": page.next_cursor},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="older-deals",
    )
    html = response.content.decode()
    assert 'id="deal-list"' not in html
    assert len(shown_ids(response)) == 10
    assert "older-deals" not in html  # the last page has no further link


def test_undated_deals_come_last_and_page_correctly(client):
    dated = DealFactory.create_batch(3)
    undated = DealFactory.create_batch(4, announced_on=None)
    first = deal_timeline(size=5)
    rest = deal_timeline(size=5, cursor=first.next_cursor)
    slugs = [d.slug for d in first.deals + rest.deals]
    assert slugs[:3] == [d.slug for d in sorted(dated, key=lambda d: -d.pk)]
    assert set(slugs[3:]) == {d.slug for d in undated}
    assert len(slugs) == 7
    assert rest.next_cursor is None
