"""The optional model-backed extractor, against a fake OpenAI-compatible server in this
process: good, malformed, slow and hallucinated answers, and the rules as the fallback."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import call_command

from deals.extraction.llm import extract_article
from deals.extraction.llm_schema import SCHEMA

pytestmark = pytest.mark.django_db

# Our own sentence, in the style of the news; the seed knows both companies.
ARTICLE = (
    "أعلنت مايكروسوفت يوم الثلاثاء أنها ستستثمر ما يصل إلى 5 مليارات دولار في أنثروبيك. "
    "وقالت شركة نوفا لابس إنها ستشتري خدمات سحابية من أمازون بقيمة 200 مليون يورو."
)
MICROSOFT_QUOTE = (
    "أعلنت مايكروسوفت يوم الثلاثاء أنها ستستثمر ما يصل إلى 5 مليارات دولار في أنثروبيك."
)


def deal(**fields) -> dict:
    return {
        "type": "investment",
        "payer": "مايكروسوفت",
        "payee": "أنثروبيك",
        "amount": 5_000_000_000,
        "currency": "USD",
        "amount_qualifier": "up_to",
        "power_gw": None,
        "term_years": None,
        "status": "announced",
        "chips": [],
        "cloud": None,
        "quote": MICROSOFT_QUOTE,
    } | fields


class FakeModel:
    """Answers POST /v1/chat/completions with `self.content` (or `self.status`), after
    `self.delay` seconds; keeps each request's headers and JSON body."""

    def __init__(self):
        self.content, self.status, self.delay, self.requests = "", 200, 0.0, []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append((self.path, dict(self.headers), body))
                time.sleep(fake.delay)
                reply = {"choices": [{"message": {"role": "assistant", "content": fake.content}}]}
                data = json.dumps(reply).encode()
                try:
                    self.send_response(fake.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the slow case)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, *deals):
        self.content = json.dumps({"deals": list(deals)}, ensure_ascii=False)


@pytest.fixture
def model(settings, seed):
    fake = FakeModel()
    settings.DEALWATCH_EXTRACTOR = "llm"
    settings.DEALWATCH_LLM_BASE_URL = fake.url
    settings.DEALWATCH_LLM_MODEL = "local-model"
    settings.DEALWATCH_LLM_API_KEY = "secret-key"
    settings.DEALWATCH_LLM_TIMEOUT = 1
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


@pytest.fixture
def seed(db):
    call_command("loaddata", "seed", verbosity=0)


def test_a_good_answer_becomes_drafts_matched_to_known_companies(model):
    model.answer(deal())
    extraction = extract_article(ARTICLE)
    [draft] = extraction.drafts
    assert (draft.payer.slug, draft.payee.slug) == ("microsoft", "anthropic")
    assert (draft.amount_usd, draft.amount_qualifier) == (5_000_000_000, "up_to")
    assert ARTICLE[draft.start : draft.end] == draft.quote
    assert extraction.notes == []
    path, headers, body = model.requests[0]
    assert path == "/v1/chat/completions"
    assert headers["Authorization"] == "Bearer secret-key"
    assert body["model"] == "local-model"
    assert body["response_format"]["json_schema"]["schema"] == SCHEMA
    assert body["messages"][-1]["content"] == ARTICLE


def test_unknown_parties_are_new_companies_and_other_currencies_are_not_dollars(model):
    quote = "وقالت شركة نوفا لابس إنها ستشتري خدمات سحابية من أمازون بقيمة 200 مليون يورو."
    model.answer(
        deal(
            type="compute_commitment",
            payer="نوفا لابس",
            payee="أمازون",
            amount=200_000_000,
            currency="EUR",
            amount_qualifier="exact",
            quote=quote,
        )
    )
    extraction = extract_article(ARTICLE)
    [draft] = extraction.drafts
    assert draft.payer is None and draft.payer_name == "نوفا لابس"
    assert [c.name for c in extraction.new_companies] == ["نوفا لابس"]
    assert draft.amount_usd is None and draft.amount_qualifier == "undisclosed"
    assert "200,000,000 EUR" in extraction.notes[0]


def test_hallucinated_quotes_and_parties_are_dropped_with_a_note(model):
    model.answer(
        deal(quote="Microsoft will invest $5 billion in Anthropic."),  # not in the article
        deal(payee="OpenAI"),  # the article never names it
        deal(),
    )
    extraction = extract_article(ARTICLE)
    assert len(extraction.drafts) == 1
    assert "quote is not in the article" in extraction.notes[0]
    assert "“OpenAI”" in extraction.notes[1]


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        (lambda m: setattr(m, "content", "Sure! Here are the deals: ..."), "was not JSON"),
        (lambda m: m.answer(deal(type="merger")), "does not follow the schema"),
        (lambda m: setattr(m, "status", 500), "HTTP 500"),
        (lambda m: (m.answer(deal()), setattr(m, "delay", 2.5)), "no answer within 1 s"),
    ],
    ids=["malformed", "off-schema", "server-error", "slow"],
)
def test_any_failure_falls_back_to_the_rules_with_a_visible_note(model, setup, reason):
    setup(model)
    extraction = extract_article(ARTICLE)
    assert reason in extraction.notes[0]
    assert "these drafts come from the rules" in extraction.notes[0]
    # The rules' own reading of the Microsoft sentence.
    assert ("microsoft", "anthropic") in [(d.payer_key, d.payee_key) for d in extraction.drafts]


def test_an_unreachable_or_unset_endpoint_falls_back(settings, seed):
    settings.DEALWATCH_EXTRACTOR = "llm"
    settings.DEALWATCH_LLM_BASE_URL = ""
    assert "must both be set" in extract_article(ARTICLE).notes[0]
    settings.DEALWATCH_LLM_BASE_URL = "http://127.0.0.1:9/v1"  # nothing listens on port 9
    settings.DEALWATCH_LLM_MODEL = "m"
    assert "could not be reached" in extract_article(ARTICLE).notes[0]


def test_the_rules_stay_the_default_and_ask_no_server(seed, settings):
    assert settings.DEALWATCH_EXTRACTOR == "rules"
    extraction = extract_article(ARTICLE)
    assert extraction.notes == []
    assert extraction.drafts


def test_the_published_schema_is_the_one_sent():
    published = Path(__file__).parent.parent / "docs" / "llm_extraction.schema.json"
    assert json.loads(published.read_text()) == SCHEMA
