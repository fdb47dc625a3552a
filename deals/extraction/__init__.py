"""Reading an article and proposing the deals it reports, for an editor to review.

`extract_drafts(text)` returns an `Extraction`: `DraftDeal`s (type, payer, payee, amount and
qualifier, power, term, status, chips, cloud, date, the exact sentence as quote, and why) and
`DraftCompany`s for names no alias knows. Rules only: it reads the names from the database,
and nothing else (the deal a draft may repeat is a read of its own, in
`deals.selectors.drafts`). See docs/extraction.md.
"""

from .drafts import DraftCompany, DraftDeal, Extraction, Quote
from .extract import extract_drafts

__all__ = ["DraftCompany", "DraftDeal", "Extraction", "Quote", "extract_drafts"]
