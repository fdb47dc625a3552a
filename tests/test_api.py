"""The read API's contract: every answer matches the OpenAPI document it publishes.

`get` fetches a URL and validates the body against the document's schema for that path and
status (openapi-schema-validator), after the document itself has been checked
(openapi-spec-validator). The other API tests (paging, access) use it too.
"""

import json
import re
from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate as validate_spec

from deals.pages.filters import deal_filter

OPENAPI = "/api/v1/openapi.json"
_documents: dict = {}


def openapi() -> dict:
    """The published document, checked once per test run."""
    if not _documents:
        response = Client().get(OPENAPI)
        assert response.status_code == 200
        document = response.json()
        validate_spec(document)
        _documents["api"] = document
    return _documents["api"]


def _operation(path: str) -> dict:
    for template, item in openapi()["paths"].items():
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), path):
            return item["get"]
    raise AssertionError(f"{path} is not in the OpenAPI document")


def check(response) -> dict | None:
    """The response's JSON, after validating it against the document (None for a 304)."""
    if response.status_code == 304:
        assert response.content == b""
        return None
    answers = _operation(response.wsgi_request.path)["responses"]
    assert str(response.status_code) in answers, f"status {response.status_code} not documented"
    assert response["Content-Type"].startswith("application/json")
    schema = answers[str(response.status_code)]["content"]["application/json"]["schema"]
    body = response.json()
    OAS31Validator({**schema, "components": openapi()["components"]}).validate(body)
    return body


def get(client, url: str, **headers):
    """GET `url` and check its answer against the document; the response, its `.body` set."""
    response = client.get(url, **headers)
    response.body = check(response)
    return response


# -- the document ------------------------------------------------------------------------------


def test_the_document_is_valid_openapi_and_lists_every_endpoint(client):
    paths = set(openapi()["paths"])
    assert {
        "/api/v1/deals/",
        "/api/v1/deals/{deal_id}/",
        "/api/v1/summary/",
        "/api/v1/companies/",
        "/api/v1/companies/{company_id}/",
        "/api/v1/clouds/",
        "/api/v1/chip-platforms/",
        "/api/v1/data-centers/",
        "/api/v1/data-centers/{data_center_id}/",
        "/api/v1/articles/",
        "/api/v1/articles/{article_id}/",
    } <= paths
    parameters = {p["name"] for p in openapi()["paths"]["/api/v1/deals/"]["get"]["parameters"]}
    assert parameters == set(deal_filter(None).filters) | {"cursor", "limit"}


def test_the_documentation_page_is_served_from_this_site(client):
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert not re.search(r"""(src|href)=["']https?://""", html), "nothing from another host"
    assert client.get("/api/v1/").headers["Location"] == "/api/v1/docs/"


def test_deal_fields_are_the_exports(client):
    """One vocabulary: the deal schema names exactly the export schema's deal fields."""
    with open("docs/export.schema.json") as handle:
        export = json.load(handle)["$defs"]
    schemas = openapi()["components"]["schemas"]
    for ours, theirs in [
        ("Deal", "deal"),
        ("Company", "company"),
        ("Cloud", "cloud"),
        ("ChipPlatform", "chip_platform"),
        ("DataCenter", "data_center"),
        ("Valuation", "valuation"),
        ("DealSource", "deal_source"),
        ("StatusChange", "status_change"),
        ("SiteStatusChange", "site_status_change"),
        ("Tranche", "tranche"),
    ]:
        definition = export[theirs]
        parts = [definition, *definition.get("allOf", [])]
        fields = {name for part in parts for name in part.get("properties", {})}
        assert set(schemas[ours]["properties"]) == fields, ours


# -- on the seed -------------------------------------------------------------------------------

SEED_URLS = [
    "/api/v1/deals/",
    "/api/v1/deals/?company=anthropic&role=investee",
    "/api/v1/deals/?company=أنثروبيك",
    "/api/v1/deals/?type=compute_commitment&limit=1",
    "/api/v1/deals/amazon-anthropic-investment-8b/",
    "/api/v1/summary/",
    "/api/v1/summary/?company=anthropic",
    "/api/v1/companies/",
    "/api/v1/companies/anthropic/",
    "/api/v1/clouds/",
    "/api/v1/chip-platforms/",
    "/api/v1/data-centers/",
    "/api/v1/data-centers/project-rainier/",
    "/api/v1/articles/",
    "/api/v1/articles/article-000/",
]


@pytest.mark.parametrize("url", SEED_URLS)
def test_every_endpoint_answers_with_what_the_document_says(client, seeded, url):
    response = get(client, url)
    assert response.status_code == 200
    assert response["ETag"] and response["Last-Modified"]


def test_a_deal_carries_its_sources_quotes_history_and_disagreements(client, seeded):
    deal = get(client, "/api/v1/deals/anthropic-azure-compute-30b/").body
    assert deal["from"] == "anthropic" and deal["to"] == "microsoft"
    assert len(deal["sources"]) >= 2 and all(source["quote"] for source in deal["sources"])
    assert {figure["figure"] for figure in deal["reported_figures"]} == {"amount_usd"}
    assert deal["status_history"]


def test_a_data_centre_carries_its_dated_cited_status_history(client, seeded):
    site = get(client, "/api/v1/data-centers/project-rainier/").body
    (step,) = site["status_history"]
    assert (step["status"], step["changed_on"], step["date_precision"]) == (
        "under_construction",
        "2025-07-10",
        "day",
    )
    assert step["article"] == "article-000" and step["quote"].startswith("ضمن شراكتهما")
    assert site["status"] == step["status"] and site["location_article"] == "article-000"
    listed = get(client, "/api/v1/data-centers/").body["results"]
    assert [s for s in listed if s["id"] == "project-rainier"] == [site]


def test_a_company_has_aliases_in_both_scripts_and_its_honest_totals(client, seeded):
    company = get(client, "/api/v1/companies/anthropic/").body
    assert "أنثروبيك" in company["aliases"] and "Anthropic" in company["aliases"]
    summary = client.get("/export/summary.json?company=anthropic").json()
    assert company["totals"] == summary
    # Undisclosed amounts are counted, never added in as zero.
    assert company["totals"]["by_side"]["received"]["money"]["undisclosed"] >= 1
    assert company["deals"].endswith("/api/v1/deals/?company=anthropic")


def test_an_article_lists_the_sentences_cited_from_it(client, seeded):
    article = get(client, "/api/v1/articles/article-000/").body
    assert article["quotes"]
    for quote in article["quotes"]:
        assert quote["quote"] in article["body"]


def test_arabic_is_sent_as_text(client, seeded):
    assert "أنثروبيك" in client.get("/api/v1/companies/anthropic/").content.decode()


# -- caching -----------------------------------------------------------------------------------


def test_a_matching_etag_answers_304_and_a_change_moves_it(client, seeded):
    first = get(client, "/api/v1/deals/?company=anthropic")
    again = client.get("/api/v1/deals/?company=anthropic", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    other = client.get("/api/v1/deals/?company=openai", HTTP_IF_NONE_MATCH=first["ETag"])
    assert other.status_code == 200

    from deals.models import Deal

    deal = Deal.objects.get(slug="amazon-anthropic-investment-8b")
    deal.summary = "Corrected summary."
    deal.save()
    changed = client.get("/api/v1/deals/?company=anthropic", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_last_modified_answers_if_modified_since(client, seeded):
    first = get(client, "/api/v1/clouds/")
    again = client.get("/api/v1/clouds/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        {"company": "nobody"},
        {"type": "loan"},
        {"role": "investor"},
        {"from": "2025-02-30"},
        {"from": "2025-10-01", "to": "2025-01-01"},
        {"min_amount": "-5B"},
        {"cloud": "nimbus", "chip": "abacus"},
    ],
)
def test_bad_filters_answer_400_with_the_timelines_own_messages(client, seeded, query):
    response = get(client, f"/api/v1/deals/?{urlencode(query)}")
    assert response.status_code == 400
    expected = deal_filter(_query_dict(query)).error_messages
    assert expected and response.body["errors"] == expected
    assert response.body["detail"] == " ".join(expected)
    assert get(client, f"/api/v1/summary/?{urlencode(query)}").status_code == 400


def _query_dict(query: dict):
    from django.http import QueryDict

    return QueryDict(urlencode(query))


@pytest.mark.parametrize(
    "url",
    ["/api/v1/deals/?limit=0", "/api/v1/deals/?limit=abc", "/api/v1/clouds/?limit=1000"],
)
def test_a_bad_limit_says_what_is_allowed(client, seeded, url):
    response = get(client, url)
    assert response.status_code == 400
    assert "limit" in response.body["detail"]


@pytest.mark.parametrize(
    "url", ["/api/v1/deals/?cursor=nonsense", "/api/v1/companies/?cursor=ZGVhbHM6eA"]
)
def test_a_bad_cursor_answers_400(client, seeded, url):
    response = get(client, url)
    assert response.status_code == 400
    assert "cursor" in response.body["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/deals/nope/",
        "/api/v1/companies/nope/",
        "/api/v1/data-centers/nope/",
        "/api/v1/articles/nope/",
    ],
)
def test_unknown_ids_answer_404_with_a_message(client, seeded, url):
    response = get(client, url)
    assert response.status_code == 404
    assert "“nope”" in response.body["detail"]


def test_an_unknown_address_answers_json_404(client, db):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["detail"]


# Known parameter names (often repeated) and stray ones, with values from nonsense to valid.
NAMES = [*deal_filter(None).filters, "cursor", "limit", "x"]
VALUES = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=30),
    st.sampled_from(["anthropic", "investor", "2025-10-01", "1B", "aws", "-1", "0", "\x00"]),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)


@pytest.mark.parametrize("endpoint", ["/api/v1/deals/", "/api/v1/summary/", "/api/v1/companies/"])
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.lists(st.tuples(st.sampled_from(NAMES), VALUES), max_size=5))
def test_any_query_string_answers_200_or_400_never_500(client, seeded, endpoint, query):
    response = get(client, f"{endpoint}?{urlencode(query)}")
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response.body["detail"].strip()


# -- CORS --------------------------------------------------------------------------------------


def test_reads_are_open_to_other_sites_scripts(client, seeded):
    response = client.get("/api/v1/deals/", HTTP_ORIGIN="https://newsroom.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/deals/",
        HTTP_ORIGIN="https://newsroom.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    assert preflight.status_code == 200
    assert "authorization" in preflight["Access-Control-Allow-Headers"]


def test_the_sites_pages_are_not_opened_to_other_sites(client, seeded):
    response = client.get("/export/summary.json", HTTP_ORIGIN="https://newsroom.example")
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def test_head_answers_like_get_without_a_body(client, seeded):
    response = client.head("/api/v1/deals/?company=anthropic")
    assert response.status_code == 200
    assert response["ETag"] == client.get("/api/v1/deals/?company=anthropic")["ETag"]
    assert response.content == b""
