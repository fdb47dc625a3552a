"""Every spelling the press uses for a company folds to the same search key."""

import pytest

from companies.text import compact_name, normalize_name


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        # Hamza and alef forms: أ إ آ ٱ all read as bare alef.
        ("أنثروبيك", "انثروبيك"),
        ("إنثروبيك", "انثروبيك"),
        ("آنثروبيك", "انثروبيك"),
        ("ٱنثروبيك", "انثروبيك"),
        # Hamza on waw and yaa.
        ("مؤسسة", "موسسة"),
        ("رئيس", "رييس"),
        # Taa marbuta and haa.
        ("شركة", "شركه"),
        # Alef maqsura and yaa (and the Persian yeh).
        ("إنفيدىا", "انفيديا"),
        ("مصطفى", "مصطفي"),
        ("انفیدیا", "انفيديا"),
        # Diacritics: fatha, sukun, damma, kasra, shadda, tanween.
        ("أَنْثْرُوبِيك", "انثروبيك"),
        ("مُحَمَّدٌ", "محمد"),
        # Tatweel (kashida) stretches a word without changing it.
        ("أنثـــروبيك", "انثروبيك"),
        ("مايكـروسـوفت", "مايكروسوفت"),
        # Invisible direction marks pasted from web pages.
        ("\u200fأمازون\u200f", "امازون"),
        # Arabic-Indic digits read as the ASCII ones.
        ("جي ٤٢", "جي 42"),
        # Latin case, spacing, punctuation and accents.
        ("NVIDIA", "nvidia"),
        ("  Nvidia\tCorp. ", "nvidia corp"),
        ("Open-AI", "open ai"),
        ("Nestlé", "nestle"),
    ],
)
def test_each_spelling_variant_folds_to_one_key(variant, canonical):
    assert normalize_name(variant) == normalize_name(canonical)
    assert compact_name(variant) == compact_name(canonical)


def test_normalize_keeps_word_boundaries_and_compact_drops_them():
    assert normalize_name("  Open   AI ") == "open ai"
    assert compact_name("Open AI") == compact_name("OpenAI") == "openai"
    assert compact_name("أوبن إيه آي") == compact_name("اوبن ايه اي") == "اوبنايهاي"


def test_different_names_stay_different():
    # Folding is about spelling, not transliteration: ث and ت are different letters.
    assert compact_name("أنثروبيك") != compact_name("إنتروبيك")
    assert compact_name("Amazon") != compact_name("Microsoft")
    assert compact_name("G42") != compact_name("G4")


@pytest.mark.parametrize("empty", ["", "   ", "---", "ـــ", "\u064e\u0651", None])
def test_text_without_letters_has_an_empty_key(empty):
    assert normalize_name(empty) == ""
    assert compact_name(empty) == ""


def test_presentation_forms_fold_to_plain_letters():
    # Some PDFs and old pages use Arabic presentation forms: "ﻻ" is lam-alef as one glyph.
    assert normalize_name("ﻻ") == normalize_name("لا")
