"""A small news site written for the tests (our own text, in the style of deal news): an RSS
feed, an Atom feed, and article pages with navigation, a sidebar and comments around the
text, so that the reader must find the article itself."""

ARTICLE_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{date}T08:30:00Z">
</head><body>
<header><nav><a href="/">{home}</a> | <a href="/tech">{tech}</a>
 | <a href="/markets">{markets}</a></nav></header>
<aside class="sidebar"><h3>{most_read}</h3><ul><li><a href="/x">{sidebar}</a></li></ul></aside>
<main><article>
<h1>{title}</h1>
<p class="byline">{byline}</p>
{paragraphs}
</article></main>
<section id="comments"><h2>{comments}</h2>
<div class="comment"><p>{comment}</p></div></section>
<footer><p>{footer}</p></footer>
</body></html>"""

ARABIC = {
    "lang": "ar",
    "title": "مايكروسوفت توسع شراكتها مع أنثروبيك باستثمار جديد",
    "date": "2026-11-20",
    "home": "الرئيسية",
    "tech": "تقنية",
    "markets": "أسواق",
    "most_read": "الأكثر قراءة",
    "sidebar": "أسعار الذهب تتراجع في ختام التداولات",
    "byline": "دبي - خاص",
    "paragraphs": (
        "<p>أعلنت شركة مايكروسوفت الأمريكية، يوم الخميس، أنها ستستثمر ما يصل إلى 5 مليارات "
        "دولار في شركة أنثروبيك الناشئة المتخصصة في الذكاء الاصطناعي، في خطوة تعزز التنافس "
        "على تطوير النماذج اللغوية الكبيرة.</p>"
        "<p>وقالت الشركتان في بيان مشترك إن الاتفاق يشمل تعاونا تقنيا يمتد لعدة سنوات، دون "
        "الكشف عن مزيد من التفاصيل حول جدول الدفعات.</p>"
        "<p>ويأتي الإعلان في وقت تتسابق فيه كبرى شركات التقنية على بناء مراكز البيانات "
        "وتأمين الرقائق اللازمة لتدريب النماذج.</p>"
    ),
    "comments": "التعليقات",
    "comment": "تعليق زائر: هذا الخبر مهم جدا ونتمنى المزيد من التغطية",
    "footer": "جميع الحقوق محفوظة",
}

ENGLISH = {
    "lang": "en",
    "title": "Nvidia commits to a new investment in OpenAI",
    "date": "2026-11-18",
    "home": "Home",
    "tech": "Tech",
    "markets": "Markets",
    "most_read": "Most read",
    "sidebar": "Oil prices steady ahead of the holiday",
    "byline": "By a staff reporter",
    "paragraphs": (
        "<p>Nvidia said on Tuesday it would invest up to $100 billion in OpenAI, as the two "
        "companies agreed to build data centres with at least 10 gigawatts of capacity.</p>"
        "<p>The chipmaker will put in the money progressively as each gigawatt comes online, "
        "the companies said in a joint statement, without giving a schedule.</p>"
        "<p>Analysts said the agreement tightens the links between the largest suppliers of "
        "AI chips and their biggest customers.</p>"
    ),
    "comments": "Comments",
    "comment": "Reader comment: great news, thanks for the coverage",
    "footer": "All rights reserved",
}

NO_ARTICLE_PAGE = (
    "<!doctype html><html><head><title>Index</title></head><body><nav>"
    + ("<a href='/a'>a</a> " * 5)
    + "</nav></body></html>"
)


def article_page(words: dict) -> bytes:
    return ARTICLE_PAGE.format(**words).encode()


def rss(base: str, links: list[tuple[str, str]]) -> bytes:
    items = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link>"
        f"<pubDate>Thu, 20 Nov 2026 08:30:00 GMT</pubDate></item>"
        for path, title in links
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Test news</title><link>{base}/</link><description>Tests</description>"
        f"{items}</channel></rss>"
    ).encode()


def atom(base: str, links: list[tuple[str, str]]) -> bytes:
    entries = "".join(
        f'<entry><title>{title}</title><link href="{path}"/><id>{base}{path}</id>'
        f"<updated>2026-11-18T10:00:00Z</updated></entry>"
        for path, title in links
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Test news</title><id>{base}/atom</id><updated>2026-11-18T10:00:00Z</updated>"
        f'<link href="{base}/"/>{entries}</feed>'
    ).encode()
