"""An optional model-backed extractor, for teams that run one: `DEALWATCH_EXTRACTOR=llm`.

It asks any OpenAI-compatible chat endpoint (`DEALWATCH_LLM_BASE_URL`, for instance a local
llama.cpp, vLLM or Ollama server, or a hosted API; `DEALWATCH_LLM_MODEL`,
`DEALWATCH_LLM_API_KEY`) for JSON following `llm_schema.SCHEMA`, then trusts nothing it says
that the article does not: a draft whose quote is not verbatim in the article, or whose party
is not named in it, is dropped. Parties, clouds and chips are matched to the database as the
rules match them. On any error (no answer, a time-out, an HTTP error, an answer that is not
the schema's JSON) the rules extract instead, and the extraction carries a note saying so.
The rules stay the default: DealWatch works offline.
"""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

import jsonschema
from django.conf import settings

from companies.text import normalize_name
from deals.models import DealStatus, Qualifier

from .drafts import DraftCompany, DraftDeal, Extraction
from .entities import Lexicon, _key
from .extract import extract_drafts
from .llm_schema import INSTRUCTIONS, SCHEMA


class ModelUnusable(Exception):
    """The model gave nothing usable; the message says why, for the editor's note."""


@dataclass(frozen=True)
class Endpoint:
    base_url: str
    model: str
    api_key: str
    timeout: float

    @classmethod
    def from_settings(cls) -> "Endpoint":
        return cls(
            base_url=settings.DEALWATCH_LLM_BASE_URL,
            model=settings.DEALWATCH_LLM_MODEL,
            api_key=settings.DEALWATCH_LLM_API_KEY,
            timeout=float(settings.DEALWATCH_LLM_TIMEOUT),
        )


def extract_article(
    text: str, lexicon: Lexicon | None = None, *, published_on: date | None = None
) -> Extraction:
    """The drafts of `text` by the configured extractor: the rules unless
    `DEALWATCH_EXTRACTOR` is "llm", and the rules again, with a note, when the model fails.
    `published_on`, the article's date, lets the rules read "yesterday" and "on Monday"."""
    lexicon = lexicon or Lexicon.from_db()
    if settings.DEALWATCH_EXTRACTOR != "llm":
        return extract_drafts(text, lexicon, published_on=published_on)
    try:
        return drafts_from_answer(text, ask(Endpoint.from_settings(), text), lexicon)
    except ModelUnusable as error:
        extraction = extract_drafts(text, lexicon, published_on=published_on)
        extraction.notes.append(
            f"The model-backed extractor could not be used ({error}); "
            "these drafts come from the rules."
        )
        return extraction


def ask(endpoint: Endpoint, text: str) -> dict:
    """The model's answer to `text`, checked against the schema."""
    if not (endpoint.base_url and endpoint.model):
        raise ModelUnusable("DEALWATCH_LLM_BASE_URL and DEALWATCH_LLM_MODEL must both be set")
    if not endpoint.base_url.startswith(("http://", "https://")):
        raise ModelUnusable("DEALWATCH_LLM_BASE_URL must be an http(s) URL")
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        endpoint.base_url.rstrip("/") + "/chat/completions",
        data=json.dumps(_request_body(endpoint, text)).encode(),
        headers={"Content-Type": "application/json"}
        | ({"Authorization": f"Bearer {endpoint.api_key}"} if endpoint.api_key else {}),
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=endpoint.timeout) as response:  # noqa: S310
            reply = json.loads(response.read())
    except urllib.error.HTTPError as error:
        raise ModelUnusable(f"the endpoint answered HTTP {error.code}") from error
    except TimeoutError as error:
        raise ModelUnusable(f"no answer within {endpoint.timeout:g} s") from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise ModelUnusable(f"no answer within {endpoint.timeout:g} s") from error
        raise ModelUnusable(f"the endpoint could not be reached: {error.reason}") from error
    except (OSError, ValueError) as error:
        raise ModelUnusable(f"the endpoint's reply was not JSON: {error}") from error
    return _answer(reply)


def _request_body(endpoint: Endpoint, text: str) -> dict:
    return {
        "model": endpoint.model,
        "temperature": 0,
        "messages": [
            {"role": "system", "content": INSTRUCTIONS},
            {"role": "user", "content": text},
        ],
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "deal_drafts", "schema": SCHEMA, "strict": True},
        },
    }


def _answer(reply: dict) -> dict:
    try:
        content = reply["choices"][0]["message"]["content"]
        answer = json.loads(content)
    except (KeyError, IndexError, TypeError, ValueError) as error:
        raise ModelUnusable("the model's answer was not JSON") from error
    try:
        jsonschema.validate(answer, SCHEMA)
    except jsonschema.ValidationError as error:
        raise ModelUnusable(
            f"the model's answer does not follow the schema: {error.message}"
        ) from error
    return answer


def drafts_from_answer(text: str, answer: dict, lexicon: Lexicon) -> Extraction:
    """The answer's deals as drafts, keeping only what the article itself says."""
    folded_text = normalize_name(text)
    drafts, new, known, notes = [], {}, {}, []
    for item in answer["deals"]:
        quote = item["quote"].strip()
        start = text.find(quote) if quote else -1
        if start < 0:
            notes.append(f"Dropped a deal whose quote is not in the article: “{quote[:80]}”.")
            continue
        missing = [
            name
            for name in (item["payer"], item["payee"])
            if not name.strip() or normalize_name(name) not in folded_text
        ]
        if missing:
            notes.append(f"Dropped a deal naming “{missing[0]}”, which the article does not name.")
            continue
        parties = [_party(name, lexicon) for name in (item["payer"], item["payee"])]
        for company, name in parties:
            if company is None:
                new.setdefault(name, DraftCompany(name, quote, start, start + len(quote)))
            else:
                known.setdefault(company.pk, company)
        amount, qualifier, note = _amount(item)
        if note:
            notes.append(note)
        drafts.append(
            DraftDeal(
                type=item["type"],
                payer=parties[0][0],
                payer_name=parties[0][1],
                payee=parties[1][0],
                payee_name=parties[1][1],
                amount_usd=amount,
                amount_qualifier=qualifier,
                status=item["status"] or DealStatus.ANNOUNCED,
                quote=quote,
                start=start,
                end=start + len(quote),
                power_gw=_decimal(item["power_gw"]),
                power_qualifier=Qualifier.EXACT if item["power_gw"] else Qualifier.UNDISCLOSED,
                term_years=item["term_years"],
                chips=[c.slug for c in _known(item["chips"], lexicon.chips)],
                cloud=next((c.slug for c in _known([item["cloud"] or ""], lexicon.clouds)), None),
            )
        )
    return Extraction(text, drafts, list(new.values()), list(known.values()), notes)


def _party(name: str, lexicon: Lexicon):
    mention = lexicon.lookup(_key(name))
    return (mention.company if mention else None), name.strip()


def _known(names: list[str], table: dict) -> list:
    found = []
    for name in names:
        thing = table.get(_key(name))
        if thing is not None and thing not in found:
            found.append(thing)
    return found


def _decimal(value) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number >= 0 else None


def _amount(item: dict) -> tuple[Decimal | None, str, str]:
    """The amount in dollars and its qualifier, and a note when it is not in dollars (no rate
    is ever guessed: the amount is left for the editor, who sees the quote)."""
    amount = _decimal(item["amount"])
    if amount is None:
        return None, Qualifier.UNDISCLOSED, ""
    currency = (item["currency"] or "USD").upper()
    if currency != "USD":
        return (
            None,
            Qualifier.UNDISCLOSED,
            f"An amount of {amount:,f} {currency} was left for the editor: "
            "DealWatch stores dollars and converts only at a stated rate.",
        )
    qualifier = item["amount_qualifier"]
    if qualifier == Qualifier.UNDISCLOSED:  # a figure is given, so it is at least stated
        qualifier = Qualifier.EXACT
    return amount, qualifier, ""
