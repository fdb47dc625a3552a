"""The words that say what kind of deal a sentence reports, which way the money goes, and
how far along it is. All patterns are written on folded text (see `folding`)."""

import re

from deals.models import DealStatus, DealType

from .folding import fold

# Conjunctions, prepositions, the future "س" and the article that Arabic attaches to a word.
_PREFIX = r"(?:وس|فس|س|وال|بال|فال|لل|ال|وب|ول|فب|و|ف|ب|ل)?"


def _compile(patterns: list[str]) -> re.Pattern:
    body = "|".join(f"(?:{fold(p) if not p.isascii() else p})" for p in patterns)
    return re.compile(rf"(?<!\w){_PREFIX}(?:{body})(?!\w)")


INVESTMENT = _compile(
    [
        r"استثمر\w*", r"استثمار\w*", r"[يتن]ستثمر\w*", r"ضخ", r"ضخت", r"[يت]ضخ", r"ضخه",
        r"ضخها", r"تمويل\w*", r"[يت]مول\w*", r"مولت", r"ساهمت", r"[يت]ساهم\w*", r"مساهمة\w*",
        r"حصة", r"حصتها", r"جولة",
        r"invest(?:s|ed|ing|ment|ments)?", r"funding", r"stake", r"backs|backed|backing",
        r"round", r"infusion",
    ]
)  # fmt: skip
# Raising money: the subject receives it, the investor follows "من" / "from" / "led by".
RAISING = _compile(
    [r"جمعت", r"[يت]جمع", r"حصلت", r"[يت]حصل", r"تلقت", r"[يت]تلقى",
     r"rais(?:e|es|ed|ing)", r"secur(?:e|es|ed|ing)", r"receiv(?:e|es|ed|ing)", r"lands?|landed"]
)  # fmt: skip
COMPUTE = _compile(
    [
        r"استئجار", r"[يت]ستأجر", r"استأجرت", r"[يت]ؤجر\w*", r"حوسبة", r"حوسبتها", r"سحابية",
        r"سحابي", r"خدمات سحابية", r"عميلة", r"عميل", r"سعة", r"compute", r"computing",
        r"cloud", r"capacity", r"rent\w*", r"leas\w*", r"customer", r"خوادم", r"servers?",
        r"البنية التحتية", r"بنية تحتية", r"infrastructure",
    ]
)  # fmt: skip
# Buying is compute only where compute or a cloud is named; otherwise it is buying a stake.
PURCHASE = _compile(
    [r"شراء", r"[يت]شتري", r"اشترت", r"استحو?ذت", r"[يت]ستحوذ", r"استحواذ\w*", r"[يت]نفق",
     r"buy(?:s|ing)?", r"bought", r"purchas\w*", r"acquir\w*", r"acquisition",
     r"spend(?:s|ing)?", r"spent"]
)  # fmt: skip
# Paying for something: in this trade, for compute ("ستدفع أنثروبيك لغوغل", "will pay Oracle").
PAYMENT = _compile([r"[يت]دفع", r"دفعت", r"pay(?:s|ing)?", r"paid"])
# The subject sells: "ستوفر لمايكروسوفت قدرة حوسبة", "will provide compute to Meta".
PROVIDING = _compile(
    [r"[يت]وفر", r"توفير\w*", r"[يت]زود", r"تزويد\w*", r"توريد\w*", r"[يت]ورد", r"[يت]قدم",
     r"provid(?:e|es|ed|ing)",
     r"suppl(?:y|ies|ied|ying)", r"sell(?:s|ing)?", r"sold"]
)  # fmt: skip
CHIPS = _compile(
    [r"رقائق", r"شرائح", r"شريحة", r"رقاقة", r"معالجات", r"رقاقات", r"وحدات معالجة",
     r"chips?", r"gpus?", r"processors?", r"accelerators?"]
)  # fmt: skip
# Words whose object directly follows (Arabic verbal nouns, English verbs; an Arabic finite
# verb is followed by its subject instead): "شراء X", "buy X" → X is bought;
# "تزويد X", "provide X" → X is served.
BUYING_WHAT = _compile(
    [r"شراء", r"استحواذ\w*", r"buy(?:s|ing)?", r"bought", r"purchas\w*", r"acquir\w*"]
)
# "its acquisition of X", "the purchase of X": X is bought.
BUYING_OF = _compile([r"acquisition", r"purchase", r"takeover", r"buyout"])
SERVING_WHOM = _compile([r"تزويد", r"توفير", r"provid(?:e|es|ed|ing)", r"suppl(?:y|ies|ied|ying)"])
SUPPLY = _compile(
    [r"[يت]زود\w*", r"تزويد\w*", r"توريد\w*", r"[يت]ورد", r"شراء", r"[يت]شتري", r"اشترت",
     r"suppl(?:y|ies|ied|ying)", r"deliver\w*", r"buy(?:s|ing)?", r"bought", r"purchas\w*"]
)  # fmt: skip
GENERIC = _compile(
    [r"صفقة", r"اتفاقية", r"اتفاق", r"عقد", r"عقدا", r"deal", r"agreement", r"contract"]
)
# Agreeing, without naming what on: "اتفقت أوبن إيه آي مع إنفيديا على نشر أنظمة".
AGREEING = _compile([r"اتفقت", r"اتفقا", r"[يت]تفق", r"agreed", r"agrees"])

# Money near these words is not a deal's value: valuations, revenue, market size, totals
# shared by several companies.
NOT_A_DEAL = _compile(
    [
        r"تقييم\w*", r"قيمتها السوقية", r"قيمته السوقية", r"القيمة السوقية", r"إيرادات\w*",
        r"الإيرادات", r"مبيعات\w*", r"الإنفاق", r"خسائر\w*", r"أرباح\w*",
        r"حجم السوق", r"سوق", r"معا", r"معاً", r"مجتمعة", r"مجتمعين", r"مجتمعتين",
        r"valu(?:e|ed|es|ation|ing)", r"revenue\w*", r"sales", r"capex",
        r"loss(?:es)?", r"profits?", r"market", r"together", r"combined", r"jointly",
        r"total", r"إجمالي", r"الإجمالي", r"\w*إجمالي\w*", r"المجمعة", r"cumulative",
        # A backlog (contracts signed, revenue to come) sums deals; it is none itself.
        r"backlog", r"order book", r"remaining performance obligations?", r"rpo",
        r"\w*متراكمة", r"تراكم\w*", r"التزامات الأداء", r"الأداء المتبقية",
    ]
)  # fmt: skip
# A figure followed by these is shared by the parties named before it: "15 مليار دولار
# مجتمعتين", "$12 billion combined". Read right after the figure.
JOINT_AFTER = re.compile(
    rf"\s*(?:{_PREFIX}(?:{fold('مجتمع')}\w*|{fold('معا')}|{fold('معاً')})|combined|together|jointly"
    r"|between them|in total|altogether)(?!\w)"
)
# A sentence that prices one unit ("each gigawatt costs about $50 billion", "يبلغ سعر المعالج
# الواحد", "سيباع الرف الواحد بنحو") reports costs, not deals: none of its figures is one.
UNIT_COST = _compile(
    [r"costs?", r"cost of", r"priced?", r"prices", r"sells? for", r"تكلف\w*", r"كلفة",
     r"سعر", r"[يت]باع", r"ثمن"]
)  # fmt: skip
UNIT = _compile(
    [r"each", r"per", r"a single", r"one", r"الواحد", r"الواحدة", r"واحد", r"واحدة", r"لكل",
     r"كل"]
)  # fmt: skip
# Valuing a company: its figure is a valuation wherever it stands in the clause ("قيّمت
# الجولة شركة «ديب ماتر» بنحو 6 مليارات دولار"), never an investment.
VALUING = _compile([r"قيمت", r"[يت]قيم", r"قيم", r"valued", r"valuing", r"values"])
NEW = _compile([r"جديد\w*", r"إضافي\w*", r"new", r"additional", r"fresh", r"further"])

# Most decisive first: a sentence that says "announced ... signing" reports a signature.
STATUS_CUES = [
    (
        DealStatus.CANCELLED,
        _compile([r"ألغت", r"ألغى", r"إلغاء", r"انسحبت", r"تراجعت", r"cancel\w*", r"scrapp\w*",
                  r"نفت", r"نفى", r"[يت]نفي", r"deni(?:ed|es)", r"deny",
                  r"called off", r"pulled out", r"abandon\w*"]),
    ),
    (
        DealStatus.COMPLETED,
        _compile([r"استثمرت", r"ضخت", r"أكملت", r"أتمت", r"إتمام", r"أنهت", r"أغلقت", r"مولت",
                  r"السابق", r"سابقا",
                  r"جمعت", r"حصلت", r"تلقت", r"completed", r"closed", r"invested",
                  r"has invested", r"raised", r"secured"]),
    ),
    (
        DealStatus.SIGNED,
        _compile([r"وقعت", r"وقع", r"توقيع", r"أبرمت", r"أبرم", r"التزمت", r"التزم", r"[يت]لتزم",
                  r"تعاقدت",
                  r"signed", r"signs", r"inked", r"sealed", r"struck", r"committed"]),
    ),
    (
        DealStatus.IN_TALKS,
        _compile([r"مباحثات", r"محادثات", r"مفاوضات", r"[يت]تفاوض", r"تتفاوضان", r"talks",
                  r"negotiat\w*", r"in discussions"]),
    ),
    (
        DealStatus.RUMORED,
        _compile([r"[يت]درس", r"تدرسان", r"تقارير", r"مصادر", r"محتمل\w*", r"المحتملة",
                  r"المرتقبة", r"مرتقب\w*", r"ترجيح", r"قد [تي]\w+", r"considering", r"weighing",
                  r"exploring", r"reportedly", r"rumou?r\w*", r"people familiar", r"could",
                  r"ذكرت", r"أفادت", r"نقلت", r"reported", r"بلومبرغ", r"بلومبيرغ",
                  r"may"]),
    ),
    (
        DealStatus.ANNOUNCED,
        _compile([r"أعلنت", r"أعلن", r"الإعلان", r"المعلنة", r"كشفت", r"announc\w*",
                  r"unveil\w*", r"will invest"]),
    ),
]  # fmt: skip


def status_in(text: str) -> str | None:
    for status, pattern in STATUS_CUES:
        if pattern.search(text):
            return status
    return None


def type_cues(text: str) -> list[tuple[int, str]]:
    """(position, kind) of every cue in `text`, in order: a deal type, or "raising",
    "purchase" or "generic" for the caller to settle."""
    found = []
    for pattern, kind in (
        (INVESTMENT, DealType.INVESTMENT),
        (RAISING, "raising"),
        (COMPUTE, DealType.COMPUTE_COMMITMENT),
        (PURCHASE, "purchase"),
        (PAYMENT, DealType.COMPUTE_COMMITMENT),
        (GENERIC, "generic"),
    ):
        found += [(m.start(), kind) for m in pattern.finditer(text)]
    if CHIPS.search(text) and (SUPPLY.search(text) or PROVIDING.search(text)):
        found += [(m.start(), DealType.CHIP_SUPPLY) for m in CHIPS.finditer(text)]
    return sorted(found)
