"""The article reader's highlighting: a pure function over text and quote spans."""

from deals.highlighting import QuoteLink, Segment, find_span, paragraphs, render_paragraphs, segment


def link(key, number=1):
    return QuoteLink(
        anchor=f"quote-{key}", href=f"/deals/{key}/", label=f"Deal {key}", number=number
    )


def test_text_without_quotes_is_one_plain_segment():
    assert segment("Plain text.", []) == [Segment("Plain text.")]


def test_a_quote_in_the_middle_splits_the_text_in_three():
    body = "Alpha invested $1B in Beta. Then more."
    start, end = find_span(body, "$1B in Beta")
    assert segment(body, [(start, end, "7")]) == [
        Segment("Alpha invested "),
        Segment("$1B in Beta", ("7",)),
        Segment(". Then more."),
    ]


def test_quotes_at_the_very_start_and_end_leave_no_empty_segments():
    body = "First words, middle, last words"
    pieces = segment(body, [(0, 11, "a"), (len(body) - 10, len(body), "b")])
    assert pieces == [
        Segment("First words", ("a",)),
        Segment(", middle, "),
        Segment("last words", ("b",)),
    ]


def test_overlapping_quotes_merge_into_one_highlight_with_both_keys():
    body = "0123456789abcdef"
    pieces = segment(body, [(6, 12, "late"), (2, 8, "early")])
    assert pieces == [Segment("01"), Segment("23456789ab", ("early", "late")), Segment("cdef")]


def test_a_nested_quote_merges_into_the_quote_around_it():
    body = "The whole sentence, with a clause inside it."
    outer = find_span(body, body)
    inner = find_span(body, "a clause")
    pieces = segment(body, [(*inner, "inner"), (*outer, "outer")])
    assert pieces == [Segment(body, ("outer", "inner"))]


def test_adjacent_quotes_stay_two_highlights():
    body = "One. Two."
    pieces = segment(body, [(0, 4, "one"), (4, 9, "two")])
    assert pieces == [Segment("One.", ("one",)), Segment(" Two.", ("two",))]


def test_the_same_quote_cited_twice_is_one_highlight_with_two_keys():
    body = "Nvidia will invest up to $10B."
    pieces = segment(body, [(0, len(body), "3"), (0, len(body), "4")])
    assert pieces == [Segment(body, ("3", "4"))]


def test_spans_outside_the_text_are_clipped_and_empty_ones_dropped():
    body = "short"
    assert segment(body, [(-5, 2, "a"), (3, 99, "b"), (4, 4, "empty"), (9, 12, "past")]) == [
        Segment("sh", ("a",)),
        Segment("o"),
        Segment("rt", ("b",)),
    ]


def test_segments_always_join_back_to_the_text():
    body = "ab\ncd\n\nef gh ij"
    spans = [(1, 4, "x"), (3, 9, "y"), (11, 13, "z"), (12, 15, "w")]
    assert "".join(piece.text for piece in segment(body, spans)) == body


def test_a_quote_that_is_not_in_the_text_is_not_found():
    assert find_span("Alpha and Beta", "Gamma") is None
    assert find_span("Alpha and Beta", "   ") is None
    assert find_span("Alpha and Beta", " and Beta ") == (6, 14)


def test_lines_become_paragraphs_and_blank_lines_vanish():
    result = paragraphs(segment("First.\n\n  \nSecond.\n", []))
    assert [[piece.text for piece in paragraph] for paragraph in result] == [
        ["First."],
        ["Second."],
    ]


def test_a_quote_across_a_line_break_opens_once():
    body = "Start of quote\nend of quote. After."
    span = find_span(body, "of quote\nend of quote.")
    result = paragraphs(segment(body, [(*span, "k")]))
    assert [[(p.text, p.opens) for p in paragraph if p.keys] for paragraph in result] == [
        [("of quote", True)],
        [("end of quote.", False)],
    ]
    html = render_paragraphs(body, [(*span, "k")], {"k": link("k")})
    assert html.count('id="quote-k"') == 1
    assert html.count("<p>") == 2


def test_html_in_the_article_is_escaped_inside_and_outside_highlights():
    body = '<script>alert("x")</script> said <b>bold</b> & more'
    span = find_span(body, "<b>bold</b> &")
    html = render_paragraphs(body, [(*span, "5")], {"5": link("5")})
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;" in html
    assert '<mark class="quote" id="quote-5">&lt;b&gt;bold&lt;/b&gt; &amp;' in html


def test_a_merged_highlight_carries_every_anchor_and_link():
    body = "Nvidia will invest up to $10B and Microsoft up to $5B."
    spans = [(0, len(body), "3"), (0, len(body), "valuation-4")]
    links = {"3": link("3", 1), "valuation-4": link("valuation-4", 2)}
    html = render_paragraphs(body, spans, links)
    assert html.count("<mark") == 1
    assert 'id="quote-3"' in html
    assert 'id="quote-valuation-4"' in html
    assert 'href="/deals/3/"' in html
    assert 'href="/deals/valuation-4/"' in html


def test_label_and_link_text_are_escaped_too():
    body = "Quote here."
    evil = QuoteLink(anchor="quote-1", href='/x/"onclick="y', label="<i>label</i>", number=1)
    html = render_paragraphs(body, [(0, 5, "1")], {"1": evil})
    assert "<i>" not in html
    assert '"onclick="' not in html
