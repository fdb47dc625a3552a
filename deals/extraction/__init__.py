"""Reading an article and proposing the deals it reports, for an editor to review.

`extract_drafts(text)` returns an `Extraction`: `DraftDeal`s (type, payer, payee, amount and
qualifier, power, term, status, chips, cloud, and the exact sentence as quote) and
`DraftCompany`s for names no alias knows. Rules only: it needs the database for names, and
nothing from the network. See docs/extraction.md.
"""

from .extract import DraftCompany, DraftDeal, Extraction, Quote, extract_drafts, find_duplicate

__all__ = ["DraftCompany", "DraftDeal", "Extraction", "Quote", "extract_drafts", "find_duplicate"]
