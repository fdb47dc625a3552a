"""No English left on Arabic pages, and no Arabic interface text on English pages.

Each page of the seed is parsed as a browser would read it. Text that is data is set aside:
whatever sits in an element marked as data (any `dir`, `lang="…"`, `<bdi>`, `<code>`, the
figures' JSON scripts), and the articles' titles and quotes wherever they appear. What is left
is the interface, and it must be in the page's language: on Arabic pages no Latin word of three
letters or more except the few that Arabic tech writing keeps (DealWatch, GW, JSON, …), on
English pages no Arabic letter. The attributes people hear (aria-label, title, placeholder,
alt) are held to the same rule. Every page also declares its language and direction, and its
language switcher leads to the same page, filters included, in the other language.
"""

import re
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest
from django.utils.encoding import iri_to_uri

from companies.models import ChipPlatform, CloudPlatform, Company
from deals.models import (
    Article,
    DataCenterCitation,
    Deal,
    DealCitation,
    DealStatusChange,
    ValuationCitation,
)

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
ARABIC_WORD = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]+")
# Latin words Arabic tech and business writing keeps as they are.
ARABIC_PAGE_ALLOWED = {"DealWatch", "JSON", "CSV", "USD", "AWS", "GPU", "TPU", "CPU"}
# The search box shows one example name in each script, on purpose: it finds either.
SEARCH_EXAMPLES = {"Nvidia", "إنفيديا"}
HEARD_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
SKIPPED_ELEMENTS = {"script", "style", "code", "bdi", "template"}

PAGES = [
    "/",
    "/deals/",
    "/deals/?status=signed&type=compute_commitment",
    "/deals/anthropic-azure-compute-30b/",
    "/graph/",
    "/graph/?company=anthropic",
    "/companies/",
    "/companies/anthropic/",
    "/companies/nvidia/",
    "/articles/",
    "/articles/article-001/",
    "/search/?q=انفيديا",
    "/search/?q=azure",
]


class PageText(HTMLParser):
    """The interface text of a page (data elements left out) and the attributes users hear."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: does it start a data region?
        self.texts: list[str] = []
        self.heard: list[tuple[str, str, str]] = []
        self.html_attrs: dict[str, str] = {}
        self.switcher: dict[str, str] = {}
        self._in_switcher = 0

    @property
    def in_data(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.html_attrs = attributes
            return
        if tag == "nav" and "language-switcher" in (attributes.get("class") or ""):
            self._in_switcher = len(self.stack) + 1
        if self._in_switcher and tag == "a" and attributes.get("hreflang"):
            self.switcher[attributes["hreflang"]] = attributes.get("href") or ""
        is_data = (
            tag in SKIPPED_ELEMENTS
            or "dir" in attributes  # auto for data; ltr/rtl for text in its own direction
            or "lang" in attributes
            or "data-plotly-figure" in attributes
        )
        if not self.in_data:
            for name in HEARD_ATTRIBUTES:
                if attributes.get(name):
                    self.heard.append((tag, name, attributes[name]))
        if tag not in VOID:
            self.stack.append(is_data)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and tag != "html":
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in VOID or tag == "html" or not self.stack:
            return
        self.stack.pop()
        if self._in_switcher and len(self.stack) < self._in_switcher:
            self._in_switcher = 0

    def handle_data(self, data):
        if not self.in_data and data.strip():
            self.texts.append(" ".join(data.split()))


def read(html: str) -> PageText:
    parser = PageText()
    parser.feed(html)
    parser.close()
    return parser


def data_strings(language: str) -> list[str]:
    """Texts that are data on a page in `language`: sources' words and untranslatable names."""
    strings = list(Article.objects.values_list("title", flat=True))
    strings += list(DealCitation.objects.values_list("quote", flat=True))
    strings += list(DealStatusChange.objects.exclude(quote="").values_list("quote", flat=True))
    strings += list(ValuationCitation.objects.values_list("quote", flat=True))
    strings += list(DataCenterCitation.objects.values_list("quote", flat=True))
    for model in (Company, CloudPlatform, ChipPlatform):
        for name, name_ar in model.objects.values_list("name", "name_ar"):
            # A name with no translation is shown in its only script; it is data, not a leak.
            if language == "ar" and not name_ar:
                strings.append(name)
            if language == "en" and not name:
                strings.append(name_ar)
    return sorted({text for text in strings if text}, key=len, reverse=True)


def without_data(text: str, strings: list[str]) -> str:
    """`text` with every data string removed, whole or cut short with an ellipsis."""
    while "…" in text:
        end = text.index("…")
        start = end
        for string in strings:
            for length in range(min(len(string), end), 9, -1):
                if text[end - length : end] == string[:length]:
                    start = min(start, end - length)
                    break
        text = text[:start] + " " + text[end + 1 :]
    for string in strings:
        text = text.replace(string, " ")
    return text


def leaks(text: str, language: str, allowed_latin: set[str]) -> list[str]:
    if language == "ar":
        return [word for word in LATIN_WORD.findall(text) if word not in allowed_latin]
    return ARABIC_WORD.findall(text)


def allowed_for(language: str) -> set[str]:
    if language != "ar":
        return set()
    # Ids (slugs) are identifiers, shown as typed, e.g. the graph's company field example.
    return (
        ARABIC_PAGE_ALLOWED | SEARCH_EXAMPLES | set(Company.objects.values_list("slug", flat=True))
    )


def page_problems(
    html: str, language: str, strings: list[str], allowed: set[str], query: str = ""
) -> list[str]:
    page = read(html)
    strings = strings + ([query] if query else [])
    if language == "en":
        strings = strings + sorted(SEARCH_EXAMPLES)
    problems = []
    for text in page.texts:
        found = leaks(without_data(text, strings), language, allowed)
        if found:
            problems.append(f"text {text!r}: {found}")
    for tag, name, value in page.heard:
        found = leaks(without_data(value, strings), language, allowed)
        if found:
            problems.append(f"<{tag} {name}={value!r}>: {found}")
    return problems


def all_pages() -> list[str]:
    pages = list(PAGES)
    pages += [f"/deals/{slug}/" for slug in Deal.objects.values_list("slug", flat=True)]
    pages += [f"/articles/{slug}/" for slug in Article.objects.values_list("slug", flat=True)]
    pages += [f"/companies/{slug}/" for slug in Company.objects.values_list("slug", flat=True)]
    return list(dict.fromkeys(pages))


# Fragments htmx swaps into a page: the search box's suggestions, the next page of deals.
FRAGMENTS = [
    "/search/?q=انفيديا&suggest=1",
    "/search/?q=amazon&suggest=1",
    "/deals/?company=anthropic",
]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_no_text_in_the_other_language(client, seeded, language):
    prefix = "/ar" if language == "ar" else ""
    problems = {}
    strings, allowed = data_strings(language), allowed_for(language)
    for path in all_pages() + FRAGMENTS:
        headers = {"HX-Request": "true"} if path in FRAGMENTS else {}
        response = client.get(iri_to_uri(prefix + path), headers=headers)  # as a browser sends it
        assert response.status_code == 200, prefix + path
        query = response.wsgi_request.GET.get("q", "")  # the reader's own words
        found = page_problems(response.content.decode(), language, strings, allowed, query)
        if found:
            problems[prefix + path] = found
    assert not problems, "\n".join(
        f"{path}:\n  " + "\n  ".join(found[:15]) for path, found in problems.items()
    )


@pytest.mark.parametrize("path", PAGES)
def test_pages_declare_language_and_direction_and_switch_in_place(client, seeded, path):
    arabic = read(client.get(iri_to_uri("/ar" + path)).content.decode())
    english = read(client.get(iri_to_uri(path)).content.decode())
    assert arabic.html_attrs == {"lang": "ar", "dir": "rtl"}
    assert english.html_attrs == {"lang": "en", "dir": "ltr"}
    # The switcher leads to the same page with the same filters in the other language.
    assert unquote(arabic.switcher["en"]) == path
    assert unquote(english.switcher["ar"]) == "/ar" + path
    assert unquote(arabic.switcher["ar"]) == "/ar" + path


def test_the_check_finds_english_left_on_an_arabic_page():
    """The checker itself: English outside data elements is caught, data is not."""
    html = (
        '<html lang="ar" dir="rtl"><body><h1>الصفقات</h1><p>Deal timeline</p>'
        '<p dir="auto">Microsoft Azure</p><bdi>Grace Blackwell</bdi><code>openai-aws</code>'
        '<input placeholder="Search here"><img alt="شعار"><script>var English = 1;</script>'
        "<p>GW · DealWatch · JSON</p></body></html>"
    )
    page = read(html)
    found = [leaks(text, "ar", ARABIC_PAGE_ALLOWED) for text in page.texts]
    assert [words for words in found if words] == [["Deal", "timeline"]]
    assert [(tag, name) for tag, name, value in page.heard if leaks(value, "ar", set())] == [
        ("input", "placeholder")
    ]


def test_the_check_finds_arabic_interface_text_on_an_english_page():
    page = read('<p>الصفقات</p><p dir="auto">أنثروبيك</p><a title="مصدر">1</a>')
    assert [text for text in page.texts if leaks(text, "en", set())] == ["الصفقات"]
    assert [value for _tag, _name, value in page.heard] == ["مصدر"]


def test_arabic_chart_labels_keep_their_reading_order(seeded):
    """Figures drawn for Arabic start each Arabic line with a right-to-left mark, arrows left."""
    from django.utils import translation

    from deals import analytics, charts

    deals = Deal.objects.all()
    with translation.override("ar"):
        figure = charts.figure_json(
            charts.runs_on_bars(analytics.money_by_cloud(deals), "المال والقدرة حسب السحابة")
        )
    bars = figure["data"][0]
    assert "\u200f38 مليار دولار" in bars["text"]
    assert all(
        line.startswith("\u200f") for text in bars["hovertext"] for line in text.split("<br>")
    )
    with translation.override("en"):
        figure = charts.figure_json(charts.runs_on_bars(analytics.money_by_cloud(deals), "Money"))
    assert "$38B" in figure["data"][0]["text"]
    assert "\u200f" not in str(figure)
    with translation.override("ar"):
        hover = charts.figure_json(
            charts.investment_graph(*analytics.graph_frames(deals, company=None, top_n=25))
        )
    texts = [text for trace in hover["data"] for text in (trace.get("hovertext") or [])]
    assert texts and not any("→" in text for text in texts)
    assert any("←" in text for text in texts)
