"""The extractor scored on paragraphs it was not written against, on the seed-only database
(what `make run` loads: no tests/extraction_cases/companies.json).

- `heldout3_*`: written from the style of real Arabic and English deal news and scored before
  any rule was changed. The kinds of text it missed were then worked on (against tune4), so it
  is no longer a clean held-out estimate.
- `tune3_*`: the set the first round of rules was tuned on.
- `heldout4_*`: 20 paragraphs (14 Arabic, 6 English) written from the style of real news and
  scored before the next round of rules; never tuned on. Each case gives the article's date
  (`published_on`), so that "yesterday" and "on Monday" can be read.
- `tune4_*`: the set that round of rules was tuned on (with the misses the issue listed).
- `heldout5_*`: 20 paragraphs (14 Arabic, 6 English) with analysts, backlogs, unit costs,
  ranges and market sizes beside real deals, written and scored before round 3; never tuned on.
- `tune5_*`: the set round 3 was tuned on (with the kinds of misses heldout4 showed).

Besides type, payer, payee, amount and qualifier, a case may expect a right draft's status,
power, term, chips and date ("2026-03-10", or "2025-11" for a month): scored apart, as
"details".

A draft counts as right when its type, payer, payee, amount and qualifier match. A junk company
is a proposed new company the paragraph does not name as one. Run with `-s` to see the numbers.
"""

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from deals.extraction import extract_drafts
from deals.extraction.why import rendered

CASES = Path(__file__).parent / "extraction_cases"
KEYS = ("type", "from", "to", "amount_usd", "amount_qualifier")
# What else a case may expect of a right draft; scored apart, as "details".
DETAILS = ("status", "power_gw", "term_years", "chips", "announced_on")

# Measured on the seed-only database; see README "Extraction" and docs/extraction.md. The
# floors are the scores after the latest round (round 3, tuned on tune5 and on the kinds of
# misses heldout4 showed), so a change that loses ground fails.
# heldout5, written and scored before round 3: recall 7/17, precision 7/13, no junk, details
# 7/19; after: 12/17, 12/12, no junk, 13/19. heldout4 (its kinds of misses were worked on in
# round 3, so no longer held out): 8/18, 8/11 before round 2; 13/18, 13/17, 1 junk after it;
# 18/18, 18/18, no junk after round 3. heldout3: 14/17, 14/16. tune3: 16/16, 16/16. tune4:
# 20/20, 20/20. tune5: 4/18, 4/13, 1 junk → 17/18, 17/17, no junk.
FLOORS = {
    "heldout3": {"recall": 14 / 17, "precision": 14 / 16, "junk": 0},
    "tune3": {"recall": 16 / 16, "precision": 16 / 16, "junk": 0},
    "heldout4": {"recall": 18 / 18, "precision": 18 / 18, "junk": 0},
    "tune4": {"recall": 20 / 20, "precision": 20 / 20, "junk": 0},
    "heldout5": {"recall": 12 / 17, "precision": 12 / 12, "junk": 0},
    "tune5": {"recall": 17 / 18, "precision": 17 / 17, "junk": 0},
}


@dataclass
class Score:
    expected: int = 0
    matched: int = 0
    proposed: int = 0
    junk: int = 0
    details_expected: int = 0
    details_right: int = 0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.proposed if self.proposed else 1.0


def _key(draft: dict) -> tuple:
    return tuple(draft[k] for k in KEYS)


def _extract(case: dict) -> dict:
    """The extractor's drafts for a case, given the article's date where the case has one."""
    published = case.get("published_on")
    published_on = date.fromisoformat(published) if published else None
    return extract_drafts(case["text"], published_on=published_on).as_json()


def _details(wanted: dict, found: list[dict]) -> tuple[int, int]:
    """(fields expected, fields right) of the details a right draft should also carry."""
    same = [d for d in found if _key(d) == _key(wanted)]
    fields = [k for k in DETAILS if k in wanted]
    if not same:
        return len(fields), 0
    return len(fields), sum(_detail_right(same[0], wanted, k) for k in fields)


def _detail_right(found: dict, wanted: dict, field: str) -> bool:
    """A date is written "2026-03-10" (to the day) or "2025-11" (to the month)."""
    if field != "announced_on":
        return found.get(field) == wanted[field]
    day, written = found.get("announced_on") or "", wanted["announced_on"]
    precision = "day" if len(written) == 10 else "month"
    return day.startswith(written) and found.get("date_precision") == precision


def score(prefix: str) -> Score:
    """Score every `<prefix>_*.json` paragraph; prints each miss so a regression is legible."""
    total = Score()
    for path in sorted(CASES.glob(f"{prefix}_*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        found = _extract(case)
        wanted = {_key(d) for d in case["drafts"]}
        got = [_key(d) for d in found["drafts"]]
        junk = set(found["new_companies"]) - set(case["new_companies"])
        total.expected += len(wanted)
        total.matched += len(wanted & set(got))
        total.proposed += len(got)
        total.junk += len(junk)
        for draft in case["drafts"]:
            fields, right = _details(draft, found["drafts"])
            total.details_expected += fields
            total.details_right += right
        if wanted != set(got) or junk:
            print(f"  {path.stem}: wanted {sorted(wanted, key=str)} got {got} junk {sorted(junk)}")
    return total


@pytest.mark.parametrize("prefix", list(FLOORS))
def test_scores_on_the_seed_only_database(seeded, prefix):
    assert list(CASES.glob(f"{prefix}_*.json")), f"no {prefix} paragraphs"
    result = score(prefix)
    print(
        f"\n{prefix}: recall {result.matched}/{result.expected} = {result.recall:.2f}, "
        f"precision {result.matched}/{result.proposed} = {result.precision:.2f}, "
        f"junk companies {result.junk}, "
        f"details {result.details_right}/{result.details_expected}"
    )
    floor = FLOORS[prefix]
    assert result.recall >= floor["recall"]
    assert result.precision >= floor["precision"]
    assert result.junk <= floor["junk"]


def test_the_sets_are_big_enough_and_mostly_arabic():
    """Twenty paragraphs or more, at least 70% of them Arabic (heldout4: 14 of 20)."""
    for prefix in FLOORS:
        texts = [
            json.loads(p.read_text(encoding="utf-8"))["text"]
            for p in CASES.glob(f"{prefix}_*.json")
        ]
        arabic = [t for t in texts if any("\u0600" <= ch <= "\u06ff" for ch in t)]
        assert len(texts) >= 20 and len(arabic) >= 0.7 * len(texts), prefix


# --- the rules these sets asked for ------------------------------------------------------


def test_a_per_year_figure_is_a_rate_not_a_total():
    from deals.extraction.folding import Folded
    from deals.extraction.numbers import find_money

    for text in ("مقابل ما يقارب 30 مليار دولار سنوياً", "worth around $30 billion a year"):
        (money,) = find_money(Folded.of(text))
        assert money.amount_usd is None and money.rate


def test_euros_riyals_and_dirhams_are_never_taken_for_dollars():
    from deals.extraction.folding import Folded
    from deals.extraction.numbers import find_money

    for text in ("ضخ 750 مليون ريال", "1.3 مليار يورو", "3.67 مليار درهم", "500 million euros"):
        (money,) = find_money(Folded.of(text))
        assert money.amount_usd is None and money.currency


def test_quoted_names_are_new_companies_and_known_names_spelled_otherwise_are_matched(seeded):
    text = "ستشتري شركة «نوفا لابس» الناشئة خدمات حوسبة سحابية من سوفت بنك بقيمة مليار دولار."
    found = extract_drafts(text)
    assert [c.name for c in found.new_companies] == ["نوفا لابس"]
    assert "softbank" in {c.slug for c in found.companies}


def test_a_preposition_is_never_swallowed_into_a_fuzzy_match(seeded):
    from deals.extraction.entities import Lexicon
    from deals.extraction.folding import Folded

    mentions = Lexicon.from_db().find(Folded.of("طاقة حوسبة من مايكروسوفت أزور"))
    assert [(m.kind, m.text) for m in mentions] == [("cloud", "مايكروسوفت أزور")]


def test_a_denied_deal_is_cancelled_and_each_draft_says_why(seeded):
    text = "نفت مايكروسوفت نيتها استثمار 5 مليارات دولار في أنثروبيك."
    (draft,) = extract_drafts(text).drafts
    assert draft.status == "cancelled"
    reasons = rendered(draft.to_stored()["why"])
    assert any("نفت" in reason for reason in reasons)
    assert any("5 مليارات دولار" in reason for reason in reasons)


# --- the rules heldout4 and tune4 asked for -------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "published", "day", "precision"),
    [
        ("أبرمت الشركة في 12 فبراير 2026 عقداً", None, "2026-02-12", "day"),
        ("وقعت الشركة في 3 مارس عقداً", "2026-03-05", "2026-03-03", "day"),
        ("قالت إنفيديا أمس الثلاثاء إنها ستزوّد", "2026-03-11", "2026-03-10", "day"),
        ("أعلنت «أنثروبيك» اليوم الخميس", "2026-03-12", "2026-03-12", "day"),
        ("وُقّع العقد في نوفمبر الماضي", "2026-03-05", "2025-11-01", "month"),
        ("Nvidia said yesterday", "2026-02-20", "2026-02-19", "day"),
        ("the companies said on Friday", "2026-01-31", "2026-01-30", "day"),
        ("closed on 15 March 2026", None, "2026-03-15", "day"),
        ("announced March 15, 2026", None, "2026-03-15", "day"),
    ],
)
def test_dates_absolute_and_relative_are_read(sentence, published, day, precision):
    from deals.extraction.dates import find_dates
    from deals.extraction.folding import Folded

    base = date.fromisoformat(published) if published else None
    (found,) = find_dates(Folded.of(sentence), base)
    assert (found.day.isoformat(), found.precision) == (day, precision)


def test_a_date_after_the_article_or_without_a_year_and_a_base_is_not_the_deals():
    from deals.extraction.dates import find_dates
    from deals.extraction.folding import Folded

    assert find_dates(Folded.of("deliveries start on 15 March 2027"), date(2026, 3, 1)) == []
    assert find_dates(Folded.of("وقعت الشركة في 3 مارس عقداً"), None) == []
    assert find_dates(Folded.of("بقيمة 5 مليارات دولار حتى عام 2032"), date(2026, 3, 1)) == []


def test_the_draft_carries_the_date_of_its_sentence_and_says_where_it_read_it(seeded):
    text = "وقّعت «إكس إيه آي» في 3 مارس عقداً لاستئجار خوادم من أوراكل بقيمة 5 مليارات دولار."
    (draft,) = extract_drafts(text, published_on=date(2026, 3, 4)).drafts
    assert (draft.announced_on, draft.date_precision) == (date(2026, 3, 3), "day")
    assert any("3 مارس" in reason for reason in rendered(draft.to_stored()["why"]))


def test_the_former_and_the_latter_are_the_pair_named_before(seeded):
    text = "التقت مايكروسوفت وأنثروبيك الأسبوع الماضي. وستستثمر الأولى 5 مليارات دولار في الأخيرة."
    (draft,) = extract_drafts(text).drafts
    assert (draft.payer.slug, draft.payee.slug) == ("microsoft", "anthropic")
    reasons = rendered(draft.to_stored()["why"])
    assert any("الأولى" in reason and "مايكروسوفت" in reason for reason in reasons)


def test_an_ordinal_after_a_definite_noun_is_not_an_anaphor(seeded):
    text = "جمعت أنثروبيك 5 مليارات دولار من غوغل في الجولة الأولى."
    (draft,) = extract_drafts(text).drafts
    assert (draft.payer.slug, draft.payee.slug) == ("google", "anthropic")


def test_a_company_named_in_the_headline_keeps_the_amount_of_the_body(seeded):
    text = (
        "مايكروسوفت تستثمر في «ماغما إيه آي»\n"
        "قالت الشركة الأمريكية إنها ستضخ 1.5 مليار دولار في المختبر الناشئ."
    )
    (draft,) = extract_drafts(text).drafts
    assert (draft.payer.slug, draft.payee_name, draft.amount_usd) == (
        "microsoft",
        "ماغما إيه آي",
        Decimal("1500000000"),
    )


@pytest.mark.parametrize(
    "text",
    [
        "ستزوّد إيه إم دي شركة «أوبن إيه آي» بمعالجات رسومية بقدرة 2 غيغاواط.",
        "AMD to supply OpenAI with 6 gigawatts of Instinct GPUs",
        "أعلنت إيه إم دي عن اتفاق لتوريد معالجات رسومية بقدرة 6 غيغاواط إلى أوبن إيه آي.",
    ],
)
def test_a_chip_deal_sized_in_gigawatts_with_the_seller_as_subject(seeded, text):
    (draft,) = extract_drafts(text).drafts
    assert (draft.type, draft.payer.slug, draft.payee.slug) == ("chip_supply", "openai", "amd")
    assert draft.amount_qualifier == "undisclosed" and draft.power_gw


def test_an_english_seller_subject_is_paid_by_the_one_it_serves(seeded):
    text = "Oracle agreed to supply Meta with cloud computing capacity worth about $20 billion."
    (draft,) = extract_drafts(text).drafts
    assert (draft.type, draft.payer_name, draft.payee.slug) == (
        "compute_commitment",
        "Meta",
        "oracle",
    )


def test_a_valuation_verb_makes_no_deal_of_its_figure(seeded):
    text = "قيّمت جولة التمويل الأخيرة شركة «ديب ماتر» بنحو 6 مليارات دولار."
    assert extract_drafts(text).drafts == []


def test_reasons_are_shown_in_the_editors_language(seeded):
    from django.utils import translation

    text = "نفت مايكروسوفت نيتها استثمار 5 مليارات دولار في أنثروبيك."
    (draft,) = extract_drafts(text).drafts
    stored = json.loads(json.dumps(draft.to_stored()))  # as the proposal keeps it
    with translation.override("ar"):
        arabic = rendered(stored["why"])
    english = rendered(stored["why"])
    assert any("ملغاة" in reason for reason in arabic)  # the status, as Arabic names it
    assert any("cancelled" in reason for reason in english)
    assert rendered(["Added by an editor."]) == ["Added by an editor."]


def test_an_agreement_with_a_chipmaker_sized_only_in_power_is_a_chip_deal(seeded):
    text = "اتفقت أوبن إيه آي مع إنفيديا على نشر أنظمة بقدرة 10 غيغاواط على الأقل."
    (draft,) = extract_drafts(text).drafts
    assert (draft.type, draft.payer.slug, draft.payee.slug) == ("chip_supply", "openai", "nvidia")
    assert (draft.amount_qualifier, draft.power_gw) == ("undisclosed", Decimal(10))


def test_using_a_chipmakers_systems_is_no_deal_with_it(seeded):
    text = "ستستخدم أنثروبيك ما يصل إلى جيجاواط واحد من طاقة الحوسبة من إنفيديا."
    assert [d.type for d in extract_drafts(text).drafts] != ["chip_supply"]


def test_a_qualifier_glued_to_its_figure(seeded):
    from deals.extraction.folding import Folded
    from deals.extraction.numbers import find_money

    (money,) = find_money(Folded.of("بقيمة تقدر بملياري دولار"))
    assert (money.amount_usd, money.qualifier) == (Decimal(2_000_000_000), "about")


def test_a_draft_never_takes_the_date_of_another_deal(seeded):
    text = (
        "وقّعت «إكس إيه آي» في 3 مارس عقداً لاستئجار خوادم من أوراكل بقيمة 5 مليارات دولار. "
        "وستستثمر مايكروسوفت 5 مليارات دولار في أنثروبيك."
    )
    drafts = extract_drafts(text, published_on=date(2026, 3, 4)).drafts
    dates = {d.payer_key: d.announced_on for d in drafts}
    assert dates == {"إكس إيه آي": date(2026, 3, 3), "microsoft": None}


# --- the rules heldout4's misses and tune5 asked for (round 3) ----------------------------


@pytest.mark.parametrize(
    ("text", "high"),
    [
        ("تجري محادثات لاستثمار ما بين 15 و25 مليار دولار", 25_000_000_000),
        ("بقيمة تتراوح بين 3 و5 مليارات دولار", 5_000_000_000),
        ("an investment of between $2 billion and $4 billion", 4_000_000_000),
        ("worth $20-30 billion", 30_000_000_000),
    ],
)
def test_a_range_is_up_to_its_high_end_and_keeps_its_words(text, high):
    from deals.extraction.folding import Folded
    from deals.extraction.numbers import find_money

    (money,) = find_money(Folded.of(text))
    assert (money.amount_usd, money.qualifier) == (Decimal(high), "up_to")
    assert money.written_range.split()[-1] in text


def test_a_change_from_one_figure_to_another_is_no_range():
    from deals.extraction.folding import Folded
    from deals.extraction.numbers import find_money

    found = find_money(Folded.of("رفعت التزامها من 10 مليارات إلى 20 مليار دولار"))
    assert [m.qualifier for m in found] == ["exact", "exact"]


def test_the_reasons_of_a_range_quote_it(seeded):
    text = "تجري سوفت بانك محادثات لاستثمار ما بين 15 و25 مليار دولار في «إكس إيه آي»."
    (draft,) = extract_drafts(text).drafts
    assert any("ما بين 15 و25 مليار دولار" in r for r in rendered(draft.to_stored()["why"]))


@pytest.mark.parametrize(
    "text",
    [
        "ضخت إنفيديا وأمازون 6 مليارات دولار مجتمعتين في «بوينت لابز».",
        "Nvidia and Microsoft will invest $12 billion combined in Vela AI.",
        "CoreWeave said on Monday that its contracted backlog rose to $55.6 billion.",
        "ارتفعت التزامات الأداء المتبقية لدى أوراكل إلى 523 مليار دولار بعقود مع «ميتا».",
        "يقدّر محللو «بيرنشتاين» أن تكلفة ميغاواط واحد تبلغ 35 مليون دولار، منها 15 مليون "
        "دولار لرقائق إنفيديا.",
        "Each Blackwell rack costs roughly $3 million, according to Jefferies.",
    ],
)
def test_shared_totals_backlogs_and_unit_costs_are_no_deals(seeded, text):
    found = extract_drafts(text)
    assert found.drafts == [] and found.new_companies == []


def test_an_analysts_bank_or_an_outlet_is_never_a_party(seeded):
    text = "According to Bernstein, Oracle will invest $2 billion in Helix Labs."
    found = extract_drafts(text)
    assert [(d.payer_key, d.payee_key) for d in found.drafts] == [("oracle", "Helix Labs")]
    assert [c.name for c in found.new_companies] == ["Helix Labs"]


@pytest.mark.parametrize(
    ("text", "payer", "payee"),
    [
        ("ستدفع أوبن إيه آي لشركة سيريبراس أكثر من 10 مليارات دولار مقابل حوسبة.", "openai",
         "سيريبراس"),
        ("أنهت أوراكل استحواذها على «كلاود ماتريكس» مقابل 900 مليون دولار.", "oracle",
         "كلاود ماتريكس"),
        ("AMD closed its $4.9 billion purchase of server maker ZT Systems.", "amd", "ZT Systems"),
        ("وقّعت «نيبيوس» عقداً مع مايكروسوفت لتزويدها بقدرات حوسبة بقيمة 4 مليارات دولار.",
         "microsoft", "نيبيوس"),
    ],
)  # fmt: skip
def test_unquoted_names_acquisitions_and_a_pronoun_served(seeded, text, payer, payee):
    (draft,) = extract_drafts(text).drafts
    assert (draft.payer_key, draft.payee_key) == (payer, payee)


@pytest.mark.parametrize(
    ("text", "meta", "epithet"),
    [
        ("وقّعت «ميتا» اتفاقاً مع أوراكل. وستدفع مالكة فيسبوك 3 مليارات دولار لأوراكل مقابل "
         "خدمات سحابية.", "ميتا", "مالكة فيسبوك"),
        ("Meta met Oracle. The Facebook owner will pay Oracle $3 billion for cloud capacity.",
         "Meta", "The Facebook owner"),
    ],
)  # fmt: skip
def test_a_products_owner_stands_for_the_company_named_before(seeded, text, meta, epithet):
    (draft,) = extract_drafts(text).drafts
    assert (draft.payer_name, draft.payee_key) == (meta, "oracle")
    assert any(epithet in r for r in rendered(draft.to_stored()["why"]))


def test_a_described_company_is_the_subject_named_before(seeded):
    text = (
        "أوراكل توسّع شراكتها مع «أوبن إيه آي»\n"
        "قالت شركة البرمجيات الأمريكية إنها ستوفر للمختبر قدرات حوسبة بقيمة 8 مليارات دولار."
    )
    (draft,) = extract_drafts(text).drafts
    assert (draft.type, draft.payer_key, draft.payee_key) == (
        "compute_commitment",
        "openai",
        "oracle",
    )


def test_a_sentence_without_a_subject_continues_the_one_before(seeded):
    text = (
        "OpenAI keeps adding compute suppliers. "
        "The newest is a $10 billion, three-year contract with Cerebras for inference capacity."
    )
    (draft,) = extract_drafts(text).drafts
    assert (draft.payer_key, draft.payee_key, draft.term_years) == ("openai", "Cerebras", 3)
    assert any("earlier" in r for r in rendered(draft.to_stored()["why"]))
