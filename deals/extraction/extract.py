"""From an article's text to draft deals, each with the sentence that supports it.

The rules, sentence by sentence:

1. Find the names (`entities`), the money, power and terms (`numbers`) and the cue words
   (`cues`). Split the sentence into clauses at "،", ";", ":" and "بينما" / "while".
2. Each figure of money is a candidate deal. Its type comes from the nearest cue (invest →
   investment, buy/lease/compute/cloud → compute commitment, chips + supply → chip supply).
   Figures next to valuation, revenue, spending or "together/معاً" are not deals.
3. The payer is the organisation that is the subject (no preposition before it), nearest
   the figure; the payee is the one after "في"/"in" (investment) or "من"/"from"/"مع"/
   "with", or the cloud named (compute). "جمعت/raised" turns this round. A clause that
   names only one side borrows the other from the earlier clauses of the same sentence, and
   "الشركة الناشئة"/"the startup" points back to the latest AI lab named.
4. No draft without two different organisations. A cue with an explicit payer and payee but
   no figure gives an undisclosed draft.
5. Power, chips and terms join the compute deal of their sentence (or of the sentences just
   before); status comes from the most decisive cue of the clause, else of the sentence.
6. Drafts of one article that agree on type, payer, payee and figure are merged.

Each step has its module: `sentences` (clauses, what governs each name, type and status
cues), `parties` (who pays whom: steps 2-4), `assembly` (power, chips and terms, merging, and
the names no company knows: steps 5-6). `drafts` holds what comes out, and its stored shape.
"""

from .assembly import attach_details, merge, new_companies, prefer_cloud_operator
from .drafts import Extraction
from .entities import Lexicon, Mention
from .parties import sentence_drafts
from .sentences import read_sentences


def extract_drafts(text: str, lexicon: Lexicon | None = None) -> Extraction:
    """Read `text` and propose the deals it reports. Needs the database for names only."""
    lexicon = lexicon or Lexicon.from_db()
    sentences = read_sentences(text, lexicon)
    drafts = []
    history: list[Mention] = []  # every organisation named so far, for "الشركة الناشئة"
    for sentence in sentences:
        found = sentence_drafts(sentence, history)
        attach_details(sentence, found, drafts)
        drafts += found
        history += [m for m in sentence.mentions if m.is_organisation]
    for draft in drafts:
        prefer_cloud_operator(draft, lexicon)
    drafts = merge(drafts)
    companies = list({m.company.pk: m.company for m in history if m.company}.values())
    return Extraction(text, drafts, new_companies(sentences, drafts), companies)
