"""The words of the synthetic data: company names, deal sentences and article filler, in
English and Arabic."""

from companies.models import Company
from deals.formatting import format_money, format_power
from deals.models import DealStatus, Qualifier

# Syllables in Latin and Arabic script; a name is two to four of them, and its Arabic name is
# the same syllables transliterated, as the Arabic press writes foreign company names.
SYLLABLES = [
    ("ka", "كا"), ("ra", "را"), ("no", "نو"), ("vi", "في"), ("ta", "تا"), ("lo", "لو"),
    ("mi", "مي"), ("sa", "سا"), ("ri", "ري"), ("da", "دا"), ("zen", "زين"), ("qu", "كو"),
    ("bel", "بيل"), ("tor", "تور"), ("na", "نا"), ("vo", "فو"), ("xi", "شي"), ("mar", "مار"),
    ("len", "لين"), ("don", "دون"), ("ma", "ما"), ("sol", "سول"), ("ter", "تير"), ("lux", "لوكس"),
    ("ny", "ني"), ("ha", "ها"), ("ju", "جو"), ("pe", "بي"), ("fa", "فا"), ("gra", "غرا"),
    ("dex", "ديكس"), ("mon", "مون"), ("ky", "كاي"), ("sy", "سي"), ("ven", "فين"), ("ro", "رو"),
    ("tal", "تال"), ("qua", "كوا"), ("zor", "زور"), ("bi", "بي"),
]  # fmt: skip

KIND_NAMES = {
    Company.Kind.AI_LAB: [
        ("{} AI", "{} إيه آي"),
        ("{} Labs", "مختبرات {}"),
        ("{} Intelligence", "{} للذكاء الاصطناعي"),
        ("{} Research", "{} للأبحاث"),
    ],
    Company.Kind.CLOUD_PROVIDER: [
        ("{} Cloud", "{} كلاود"),
        ("{} Compute", "{} للحوسبة"),
        ("{} Web Services", "{} لخدمات الويب"),
    ],
    Company.Kind.CHIPMAKER: [
        ("{} Semiconductor", "{} لأشباه الموصلات"),
        ("{} Silicon", "{} سيليكون"),
        ("{} Micro", "{} مايكرو"),
    ],
    Company.Kind.INVESTOR: [
        ("{} Capital", "{} كابيتال"),
        ("{} Ventures", "{} فنتشرز"),
        ("{} Holdings", "{} القابضة"),
        ("{} Partners", "{} بارتنرز"),
        ("{} Fund", "صندوق {}"),
    ],
    Company.Kind.DATA_CENTER_OPERATOR: [
        ("{} Data Centers", "{} لمراكز البيانات"),
        ("{} Digital", "{} الرقمية"),
    ],
    Company.Kind.OTHER: [
        ("{} Energy", "{} للطاقة"),
        ("{} Systems", "{} سيستمز"),
        ("{} Networks", "{} للشبكات"),
    ],
}
VERBS_EN = {
    DealStatus.RUMORED: "{payer} is reported to be weighing {what}.",
    DealStatus.IN_TALKS: "{payer} is in talks over {what}.",
    DealStatus.ANNOUNCED: "{payer} announced {what}.",
    DealStatus.SIGNED: "{payer} signed {what}.",
    DealStatus.COMPLETED: "{payer} completed {what}.",
    DealStatus.CANCELLED: "{payer} called off {what}.",
}
VERBS_AR = {
    DealStatus.RUMORED: "تدرس {payer} {what}، بحسب تقارير.",
    DealStatus.IN_TALKS: "تتفاوض {payer} على {what}.",
    DealStatus.ANNOUNCED: "أعلنت {payer} عن {what}.",
    DealStatus.SIGNED: "وقعت {payer} {what}.",
    DealStatus.COMPLETED: "أتمت {payer} {what}.",
    DealStatus.CANCELLED: "ألغت {payer} {what}.",
}
FILLER_EN = [
    "Demand for AI compute continues to outpace supply, analysts said.",
    "The companies did not comment further on the terms.",
    "Power and grid connections remain the main constraint on new capacity.",
    "Investors have poured record sums into model developers this year.",
    "The deal adds to a string of multi-year capacity agreements.",
]
FILLER_AR = [
    "ويقول محللون إن الطلب على قدرات الحوسبة يفوق المعروض.",
    "ولم تعلق الشركات على تفاصيل إضافية للصفقة.",
    "وتبقى الطاقة وربط الشبكة أكبر قيد على القدرات الجديدة.",
    "وضخ المستثمرون مبالغ قياسية في مطوري النماذج هذا العام.",
    "وتضاف الصفقة إلى سلسلة من اتفاقيات السعة متعددة السنوات.",
]


def deal_sentence(
    lang, code, status, payer, payee, amount, qualifier, cloud, deal_chips, power_gw,
    power_qualifier, term,
) -> str:  # fmt: skip
    undisclosed = qualifier == Qualifier.UNDISCLOSED
    money = "" if undisclosed else format_money(amount, qualifier, lang)
    chip_names = [c.name_ar if lang == "ar" else c.name for c in deal_chips]
    if lang == "en":
        if code == 0:
            worth = "an undisclosed amount" if undisclosed else money
            what = f"an investment of {worth} in {payee.name}"
        elif code == 1:
            length = f"{term}-year " if term else ""
            worth = "of undisclosed value" if undisclosed else f"worth {money}"
            what = f"a {length}compute agreement {worth} with {payee.name} on {cloud.name}"
            if chip_names:
                what += f" using {' and '.join(chip_names)} chips"
            if power_gw is not None:
                what += f" for {format_power(power_gw, power_qualifier, 'en')}"
        else:
            worth = "of undisclosed value" if undisclosed else f"worth {money}"
            what = f"an order of {' and '.join(chip_names)} chips {worth} from {payee.name}"
        return VERBS_EN[status].format(payer=payer.name, what=what)
    worth = "بقيمة غير معلنة" if undisclosed else f"بقيمة {money}"
    if code == 0:
        what = f"استثمار {worth} في {payee.name_ar}"
    elif code == 1:
        length = {None: "", 1: "لمدة سنة ", 2: "لمدة سنتين "}.get(term, f"لمدة {term} سنوات ")
        what = f"اتفاقية حوسبة {length}{worth} مع {payee.name_ar} على {cloud.name_ar}"
        if chip_names:
            what += f" باستخدام رقائق {' و'.join(chip_names)}"
        if power_gw is not None:
            what += f" بقدرة {format_power(power_gw, power_qualifier, 'ar')}"
    else:
        what = f"طلبية رقائق {' و'.join(chip_names)} {worth} من {payee.name_ar}"
    return VERBS_AR[status].format(payer=payer.name_ar, what=what)


def follow_up(arabic: bool, payer, payee, reported) -> str:
    if arabic:
        worth = (
            "دون الكشف عن قيمتها"
            if reported is None
            else f"بنحو {format_money(reported, Qualifier.EXACT, 'ar')}"
        )
        return f"وأكدت {payee.name_ar} صفقتها مع {payer.name_ar} {worth}."
    worth = (
        "without giving its value"
        if reported is None
        else f"putting it at about {format_money(reported, Qualifier.EXACT, 'en')}"
    )
    return f"{payee.name} confirmed its deal with {payer.name}, {worth}."


# hubs -----------------------------------------------------------------------------------
