"""From an article's text to draft deals, each with the sentence that supports it.

The rules, sentence by sentence:

1. Find the names (`entities`), the money, power and terms (`numbers`) and the cue words
   (`cues`). Split the sentence into clauses at "،", ";", ":" and "بينما" / "while".
   Replace each anaphor ("الشركة", "الأولى", "the chipmaker") by the organisation named
   before it that it stands for (`references`), the headline's included.
2. Each figure of money is a candidate deal. Its type comes from the nearest cue (invest →
   investment, buy/lease/compute/cloud → compute commitment, chips + supply → chip supply).
   Figures next to valuation, revenue, spending or "together/معاً" are not deals.
3. The payer is the organisation that is the subject (no preposition before it), nearest
   the figure; the payee is the one after "في"/"in" (investment) or "من"/"from"/"مع"/
   "with", or the cloud named (compute). "جمعت/raised" turns this round, and so does a verb
   of providing ("ستزوّد X Y", "X to supply Y"). A clause that names only one side borrows
   the other from the earlier clauses of the same sentence.
4. No draft without two different organisations. A cue with an explicit payer and payee but
   no figure gives an undisclosed draft; so does an agreement with a chipmaker sized only in
   gigawatts.
5. Power, chips and terms join the compute deal of their sentence (or of the sentences just
   before); status comes from the most decisive cue of the clause, else of the sentence.
6. Drafts of one article that agree on type, payer, payee and figure are merged; each takes
   the date its sentence gives (`dates`).

Each step has its module: `sentences` (clauses, what governs each name, type and status
cues), `references` (anaphors), `parties` (who pays whom: steps 2-4), `assembly` (power,
chips and terms, dates, merging, and the names no company knows: steps 5-6). `drafts` holds
what comes out, and its stored shape.
"""

from datetime import date

from .assembly import attach_dates, attach_details, merge, new_companies, prefer_cloud_operator
from .drafts import Extraction
from .entities import Lexicon
from .parties import sentence_drafts
from .references import Named, implied_subject, resolve_references
from .sentences import read_sentences, roles_of


def extract_drafts(
    text: str, lexicon: Lexicon | None = None, *, published_on: date | None = None
) -> Extraction:
    """Read `text` and propose the deals it reports. Needs the database for names only;
    `published_on`, the article's date, dates "yesterday" and "on Monday"."""
    lexicon = lexicon or Lexicon.from_db()
    sentences = read_sentences(text, lexicon)
    drafts = []
    history: list[Named] = []  # every organisation named so far, for the anaphors
    for i, sentence in enumerate(sentences):
        sentence = sentences[i] = resolve_references(sentence, history)
        sentence.implied_subject = implied_subject(sentence, history)
        found = sentence_drafts(sentence)
        attach_details(sentence, found, drafts)
        drafts += found
        history += [
            Named(role.mention, sentence.index, not role.slot)
            for role in roles_of(sentence)
            if role.mention.is_organisation and not role.mention.anaphor
        ]
    for draft in drafts:
        prefer_cloud_operator(draft, lexicon)
    drafts = merge(drafts)
    attach_dates(sentences, drafts, published_on)
    companies = list(
        {n.mention.company.pk: n.mention.company for n in history if n.mention.company}.values()
    )
    return Extraction(text, drafts, new_companies(sentences, drafts), companies)
