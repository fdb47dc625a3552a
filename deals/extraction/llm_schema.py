"""The JSON a model-backed extractor must answer with: published as
docs/llm_extraction.schema.json (tests keep the two equal) and sent with every request as
the `response_format`, so servers that support structured output (llama.cpp, vLLM, Ollama,
hosted APIs) constrain the model to it."""

from deals.models import DealStatus, DealType, Qualifier

QUALIFIERS = [q.value for q in Qualifier]

DRAFT = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "type",
        "payer",
        "payee",
        "amount",
        "currency",
        "amount_qualifier",
        "power_gw",
        "term_years",
        "status",
        "chips",
        "cloud",
        "quote",
    ],
    "properties": {
        "type": {"enum": [t.value for t in DealType]},
        "payer": {"type": "string", "description": "Who pays, as the article writes the name."},
        "payee": {"type": "string", "description": "Who is paid, as the article writes it."},
        "amount": {
            "type": ["number", "null"],
            "description": "The deal's total in units of `currency`; null when not given.",
        },
        "currency": {"type": ["string", "null"], "description": "ISO 4217 code, e.g. USD."},
        "amount_qualifier": {"enum": QUALIFIERS},
        "power_gw": {"type": ["number", "null"]},
        "term_years": {"type": ["integer", "null"]},
        "status": {"enum": [s.value for s in DealStatus]},
        "chips": {"type": "array", "items": {"type": "string"}},
        "cloud": {"type": ["string", "null"]},
        "quote": {
            "type": "string",
            "description": "The sentence that reports the deal, copied verbatim from the article.",
        },
    },
}

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://dealwatch.example/llm_extraction.schema.json",
    "title": "DealWatch model-backed extraction",
    "type": "object",
    "additionalProperties": False,
    "required": ["deals"],
    "properties": {"deals": {"type": "array", "items": DRAFT}},
}

INSTRUCTIONS = """You read one news article (Arabic or English) about AI infrastructure and list
the deals it reports: investments (payer invests in payee), compute commitments (payer buys
cloud compute from payee), chip supply (payer buys chips from payee). The payer is whoever
pays, whatever the word order. Never list market sizes, revenues, losses, valuations or unit
costs as deals. Copy each quote verbatim from the article: one sentence, unchanged. Write
company names exactly as the article writes them. Use null for what the article does not
give; give the amount in the currency the article uses. Answer with JSON only."""
