"""Finding organisations, clouds and chips in a sentence, by every alias the database knows.

Arabic attaches conjunctions and prepositions to the next word ("وAnthropic", "لـOpenAI",
"بأمازون", "لأوبن إيه آي"), so the first word of a name may carry one of a few prefix
letters. Names are compared on `compact_name` keys, so "Open AI", "OpenAI" and "أوبن إيه آي"
all find their company whatever the spacing, hamza or taa marbuta.
"""

import re
from dataclasses import dataclass, field, replace

from companies.models import ChipPlatform, CloudPlatform, Company, CompanyAlias
from companies.text import compact_name

from .folding import Folded, fold
from .names import fuzzy_key, quoted_spans

# Attached prefixes, longest first: "وبال" before "وب" before "و".
ARABIC_PREFIXES = sorted(
    {fold(p) for p in ["و", "ف", "ب", "ل", "ك", "ال", "وال", "بال", "فال", "لل", "ولل", "وب",
                       "ول", "فب", "فل", "وك", "وبال", "كال"]},
    key=len,
    reverse=True,
)  # fmt: skip
_TOKEN = re.compile(r"[a-z0-9\u00c0-\u024f]+|[\u0621-\u064a\u066e-\u06d3]+")
_JOINER = re.compile(r"[\s\-.'’&]*")  # what may stand between the words of one name
_MAX_WORDS = 5

# Words that stand between a preposition and the name it governs ("من خدمات أمازون").
FILLER_WORDS = {
    fold(w)
    for w in [
        "شركة", "الشركة", "شركتي", "مجموعة", "منصة", "منصات", "خدمات", "سحابة", "عملاق",
        "عملاقة", "المجموعة", "مختبر", "مختبرات", "company", "firm", "startup", "the", "its",
        "cloud", "platform", "services", "group", "lab", "rival", "chipmaker", "giant",
        "صندوق", "الصندوق", "fund", "chip", "designer", "maker", "provider", "developer",
        "french", "american", "chinese", "saudi", "british", "german", "dutch", "japanese",
        "server", "servers", "data", "center", "centre", "operator",
    ]
}  # fmt: skip
_PREPOSITIONS = {fold(w) for w in ["من", "في", "على", "عن", "مع", "إلى", "بين", "مثل", "لدى"]}
# Markers after which an unknown word is taken for a company's name ("شركة هيوماين").
COMPANY_MARKERS = {fold(w) for w in ["شركة", "شركات", "مجموعة", "مختبر", "مختبرات"]}


def _compact(name: str) -> str:
    return re.sub(r"\s+", "", fold(name))


# "لشركة ميتا", "وشركة نيبيوس": the marker may carry an attached preposition or "و".
_MARKER_PREFIXES = {fold(p) for p in ["و", "ل", "ب", "ول", "وب", "ف"]}


def _is_marker(word: str) -> bool:
    return word in COMPANY_MARKERS or any(
        word.startswith(p) and word[len(p) :] in COMPANY_MARKERS for p in _MARKER_PREFIXES
    )


# Words that follow "شركة" but are not names.
NOT_NAMES = {
    fold(w)
    for w in [
        "ناشئة", "كبرى", "عالمية", "أمريكية", "أميركية", "سعودية", "إماراتية", "صينية",
        "جديدة", "تقنية", "رائدة", "متخصصة", "واحدة", "أخرى", "مثل", "في", "من", "مع", "على",
        "إلى", "عن", "التي", "الذي", "بقيمة", "تكنولوجيا", "ذكاء", "برمجيات", "استثمار",
        "الذكاء", "أشباه", "رقائق", "ناشئه", "اتصالات", "طاقة", "مراكز", "بيانات", "تطوير",
        "كل", "أي", "هذه", "تلك",
        # words that follow a name in a deal's sentence ("لشركة سيريبراس أكثر من")
        "أكثر", "أقل", "نحو", "حوالي", "قرابة", "حتى", "مقابل", "عبر", "منذ", "بعد", "قبل",
        "ضمن", "دون", "بين", "أمس", "اليوم", "ما", "لمدة", "بنحو", "بمبلغ",
    ]
}  # fmt: skip
# Latin words that start a capitalised run but do not name anyone.
LATIN_STOPWORDS = {
    "the", "a", "an", "in", "on", "of", "and", "for", "with", "from", "to", "by", "as", "at",
    "under", "its", "their", "his", "her", "this", "that", "these", "those", "it", "they",
    "we", "meanwhile", "separately", "earlier", "last", "next", "after", "before", "also",
    "according", "if", "while", "but", "however", "ai", "ceo", "us", "u", "s", "inc", "ltd",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "reuters", "bloomberg", "officials", "sources", "people",
    "wall", "street", "journal", "financial", "times", "information", "cnbc", "french",
    "american", "chinese", "saudi", "emirati", "european", "series", "neither", "both",
    "british", "dutch", "german", "japanese", "korean", "indian", "canadian", "gpu", "gpus",
    "tpu", "tpus", "cpu", "cpus", "terms",
}  # fmt: skip
# What ends a capitalised run without being part of a name ("Instinct GPUs").
_NOT_NAME_ENDINGS = {"gpu", "gpus", "tpu", "tpus", "cpu", "cpus", "chips"}
PERSON_TITLES = {
    "ceo", "cfo", "cto", "chief", "president", "founder", "cofounder", "chairman", "chairwoman",
    "executive", "officer", "analyst", "secretary", "minister", "mr", "ms", "dr", "said",
}  # fmt: skip
# Words that stand for an organisation named before, and what each may stand for (resolved
# in `references`): a company in general, a startup or lab, a chipmaker, a cloud provider, a
# funding round's company, or one of a pair named together ("the former" / "the latter").
ANAPHORS = {
    fold("الشركة الناشئة"): "startup",
    fold("المختبر الناشئ"): "startup",
    fold("المختبر"): "startup",
    "the startup": "startup",
    "the start-up": "startup",
    "the lab": "startup",
    fold("الشركة"): "company",
    "the company": "company",
    "the firm": "company",
    fold("صانعة الرقائق"): "chipmaker",
    fold("الشركة المصنعة للرقائق"): "chipmaker",
    fold("مصنعة الرقائق"): "chipmaker",
    "the chipmaker": "chipmaker",
    "the chip maker": "chipmaker",
    "the chip designer": "chipmaker",
    fold("مزود الخدمات السحابية"): "cloud",
    fold("مزود الحوسبة السحابية"): "cloud",
    "the cloud provider": "cloud",
    fold("الجولة"): "round",
    "the round": "round",
    fold("الأولى"): "former",
    "the former": "former",
    fold("الأخيرة"): "latter",
    fold("الثانية"): "latter",
    "the latter": "latter",
}
# "the Dutch company", "the Amsterdam-based firm", "the British startup": one word between.
_DESCRIBED = re.compile(
    r"(?<!\w)the\s+[a-z][\w-]*\s+(?P<noun>company|firm|start-?up|chipmaker)(?!\w)"
)
_DESCRIBED_HINT = {"company": "company", "firm": "company", "chipmaker": "chipmaker"}
# Epithets that stand for a company named before: "شركة البرمجيات الأمريكية", "عملاق التواصل
# الاجتماعي", "مالكة فيسبوك", "the software giant", "the Facebook owner", "the ChatGPT maker".
_AR_EPITHET = re.compile(
    r"(?<!\w)(?:[وبل]|لل)?(?P<a>(?:شركه|عملاق|عملاقه)(?:\s+ال\w+){1,3}"
    r"|(?:مالكه|مالك|مطوره|الشركه\s+الام\s+ل)\s*[«\"“]?(?P<ar_product>\w+(?:\s+\w+)?)[»\"”]?)"
)
_EN_EPITHET = re.compile(
    r"(?<!\w)the\s+(?P<what>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)\s+"
    r"(?:giant|owner|parent|maker|developer|operator)(?!\w)"
)
# What a product's owner is called: "مالكة فيسبوك" stands for Meta wherever Meta was named
# (as a known company's slug, or in one of these spellings when the database does not know it).
# No Grok: "غروك" also spells Groq, a company.
_OWNERS = {
    "meta": (["فيسبوك", "فيس بوك", "إنستغرام", "واتساب", "facebook", "instagram", "whatsapp"],
             ["ميتا", "meta", "ميتا بلاتفورمز", "meta platforms"]),
    "openai": (["شات جي بي تي", "تشات جي بي تي", "chatgpt"], ["أوبن إيه آي", "openai"]),
    "anthropic": (["كلود", "claude"], ["أنثروبيك", "anthropic"]),
    "google": (["جيميناي", "gemini", "يوتيوب", "youtube"], ["غوغل", "جوجل", "google", "alphabet"]),
}  # fmt: skip
PRODUCT_OWNERS = {fold(p): owner for owner, (products, _) in _OWNERS.items() for p in products}
OWNER_SPELLINGS = {
    owner: {owner} | {_compact(n) for n in names} for owner, (_, names) in _OWNERS.items()
}
# "الأولى", "الأخيرة", "الثانية" are adjectives after a definite noun ("الجولة الأولى", "في
# الآونة الأخيرة", "صفقتها الأخيرة"), anaphors only after a verb or a preposition.
_ORDINALS = {"former", "latter"}
_DEFINITE = re.compile(r"(?:^|\s)(?:[وفبلك]?ال|لل)\w+\s*$|\w(?:ته|تها)\s*$")


@dataclass(frozen=True)
class Mention:
    """A name found in a folded sentence (start/end index the folded text)."""

    kind: str  # "company", "cloud", "chip", "unknown" or "anaphor"
    start: int
    end: int
    text: str  # as the article writes it
    company: Company | None = None  # the company, or a cloud's operator
    cloud: CloudPlatform | None = None
    chip: ChipPlatform | None = None
    hint: str = ""  # for anaphors: what they may stand for (see ANAPHORS)
    # For a name found through an anaphor: the anaphor's words, as the sentence writes them.
    anaphor: str = ""
    coordinated: bool = False  # joined to the mention before by "و" / "and"
    prefix: str = ""  # letters attached to the name's first word: "ل" in "لـOpenAI"

    @property
    def is_organisation(self) -> bool:
        return self.kind in {"company", "cloud", "unknown"}

    @property
    def key(self) -> str:
        return self.company.slug if self.company else self.text


@dataclass
class Lexicon:
    """Every spelling the database knows, keyed by compact name."""

    companies: dict[str, Company] = field(default_factory=dict)
    clouds: dict[str, CloudPlatform] = field(default_factory=dict)
    chips: dict[str, ChipPlatform] = field(default_factory=dict)

    @classmethod
    def from_db(cls) -> "Lexicon":
        lexicon = cls()
        companies = {c.pk: c for c in Company.objects.all()}
        for alias in CompanyAlias.objects.all():
            lexicon.companies[_key(alias.name)] = companies[alias.company_id]
        for company in companies.values():
            for name in (company.name, company.name_ar):
                if name:
                    lexicon.companies.setdefault(_key(name), company)
        for cloud in CloudPlatform.objects.select_related("operator"):
            for name in cloud.all_names:
                lexicon.clouds[_key(name)] = cloud
        for chip in ChipPlatform.objects.select_related("vendor"):
            for name in chip.all_names:
                lexicon.chips[_key(name)] = chip
        for table in (lexicon.companies, lexicon.clouds, lexicon.chips):
            table.pop("", None)
        return lexicon

    def clouds_run_by(self, company: Company) -> list[CloudPlatform]:
        """Clouds `company` operates itself, else those its subsidiaries operate."""
        clouds = {c.pk: c for c in self.clouds.values()}.values()
        own = [c for c in clouds if c.operator_id == company.pk]
        return own or [c for c in clouds if c.operator.parent_id == company.pk]

    def lookup(self, key: str) -> Mention | None:
        """A mention template for `key`: a cloud beats a company of the same spelling."""
        if key in self.clouds:
            cloud = self.clouds[key]
            return Mention("cloud", 0, 0, "", company=cloud.operator, cloud=cloud)
        if key in self.companies:
            return Mention("company", 0, 0, "", company=self.companies[key])
        if key in self.chips:
            return Mention("chip", 0, 0, "", chip=self.chips[key])
        return None

    def fuzzy_lookup(self, key: str) -> Mention | None:
        """A company spelled another way: tried only where no exact spelling matched."""
        near = fuzzy_key(key, list(self.companies))
        return None if near is None else Mention("company", 0, 0, "", company=self.companies[near])

    def find(self, folded: Folded) -> list[Mention]:
        """Known names (longest first), then unknown company names and anaphors."""
        tokens = list(_TOKEN.finditer(folded.text))
        mentions: list[Mention] = []
        taken = [False] * len(tokens)
        i = 0
        while i < len(tokens):
            found = self._longest_match(folded, tokens, i)
            if found:
                mention, n = found
                mentions.append(mention)
                for j in range(i, i + n):
                    taken[j] = True
                i += n
            else:
                i += 1
        mentions += _quoted_names(folded, tokens, taken)
        mentions += _unknown_names(folded, tokens, taken)
        mentions = [m for m in mentions if not _source_or_product(folded, m)]
        anaphors = _anaphors(folded)
        # "the Facebook owner": the product named inside an epithet is no organisation.
        mentions = [
            m for m in mentions if not any(a.start <= m.start and m.end <= a.end for a in anaphors)
        ]
        mentions += anaphors
        mentions.sort(key=lambda m: m.start)
        mentions = _drop_descriptors(folded, mentions)
        return _merge_repeats(folded, _mark_coordination(folded, mentions))

    def _longest_match(self, folded: Folded, tokens, i: int):
        """An exact spelling at token i; else, when the next token starts no exact name and
        this one is not a preposition, a known name spelled another way."""
        exact = self._match(folded, tokens, i, self.lookup)
        if exact or tokens[i].group() in FILLER_WORDS | _PREPOSITIONS:
            return exact
        if i + 1 < len(tokens) and self._match(folded, tokens, i + 1, self.lookup):
            return None
        return self._match(folded, tokens, i, self.fuzzy_lookup)

    def _match(self, folded: Folded, tokens, i: int, lookup):
        for n in range(min(_MAX_WORDS, len(tokens) - i), 0, -1):
            window = tokens[i : i + n]
            if any(
                not _JOINER.fullmatch(folded.text[a.end() : b.start()])
                for a, b in zip(window, window[1:], strict=False)
            ):
                continue
            first = window[0].group()
            rest = "".join(t.group() for t in window[1:])
            for prefix in ["", *ARABIC_PREFIXES]:
                if prefix and not first.startswith(prefix):
                    continue
                stem = first[len(prefix) :]
                if prefix and len(stem) < 2:
                    continue
                template = lookup(stem + rest)
                if template is not None:
                    start = window[0].start() + len(prefix)
                    end = window[-1].end()
                    return (
                        Mention(
                            template.kind,
                            start,
                            end,
                            folded.source(start, end),
                            company=template.company,
                            cloud=template.cloud,
                            chip=template.chip,
                            prefix=prefix,
                        ),
                        n,
                    )
        return None


def _key(name: str) -> str:
    return fold(compact_name(name))


def _is_capitalised(folded: Folded, token) -> bool:
    """ "Nebius", "AMD", and "xAI" (a capital inside the word names a brand too)."""
    start, end = folded.span(token.start(), token.end())
    word = folded.original[start:end]
    return word[:1].isupper() or word[:1].isdigit() or any(c.isupper() for c in word[1:])


def _quoted_names(folded: Folded, tokens, taken) -> list[Mention]:
    """A name in quotes or guillemets that no alias knows: one new organisation, its words
    taken so that no fragment of it is offered as another."""
    mentions = []
    for start, end in quoted_spans(folded.text):
        inside = [i for i, t in enumerate(tokens) if start <= t.start() and t.end() <= end]
        if not inside or any(taken[i] for i in inside):
            continue
        words = [tokens[i].group() for i in inside]
        if words[0] in NOT_NAMES or words[0].startswith("ال") and len(words) == 1:
            continue
        for i in inside:
            taken[i] = True
        mentions.append(Mention("unknown", start, end, folded.source(start, end)))
    return mentions


def _unknown_names(folded: Folded, tokens, taken) -> list[Mention]:
    """Capitalised Latin runs, and the word after "شركة", that no alias knows."""
    mentions = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if taken[i]:
            i += 1
            continue
        word = token.group()
        if word.isascii() and word.isalpha() and _is_capitalised(folded, token):
            j = i
            while (
                j + 1 < len(tokens)
                and not taken[j + 1]
                and tokens[j + 1].group().isascii()
                and _is_capitalised(folded, tokens[j + 1])
                and _JOINER.fullmatch(folded.text[tokens[j].end() : tokens[j + 1].start()])
            ):
                j += 1
            if i > 0 and tokens[i - 1].group() in PERSON_TITLES:
                i = j + 1  # "CEO Jensen Huang" names a person
                continue
            words = [t.group() for t in tokens[i : j + 1]]
            while words and words[0] in LATIN_STOPWORDS:
                words.pop(0)
                i += 1
            while words and (words[-1] in _NOT_NAME_ENDINGS or words[-1].isdigit()):
                words.pop()  # "Instinct GPUs", "October 2025": the name ends before
                j -= 1
            if words and not all(w in LATIN_STOPWORDS for w in words):
                start, end = tokens[i].start(), tokens[j].end()
                mentions.append(Mention("unknown", start, end, folded.source(start, end)))
            i = j + 1
            continue
        if _is_marker(word) and i + 1 < len(tokens) and not taken[i + 1]:
            following = tokens[i + 1]
            name = following.group()
            if (
                not name.isascii()
                and name not in NOT_NAMES
                and not name.startswith("ال")
                and _JOINER.fullmatch(folded.text[token.end() : following.start()])
            ):
                end = following.end()
                if (
                    i + 2 < len(tokens)
                    and not taken[i + 2]
                    and not tokens[i + 2].group().isascii()
                    and tokens[i + 2].group() not in NOT_NAMES
                    and not tokens[i + 2].group().startswith("ال")
                    and len(tokens[i + 2].group()) <= 4  # "ديب سيك", "جي 42"
                ):
                    end = tokens[i + 2].end()
                mentions.append(
                    Mention(
                        "unknown", following.start(), end, folded.source(following.start(), end)
                    )
                )
        i += 1
    return mentions


# Before a name no company knows, these make it a source of the news (an outlet, an analyst's
# bank: "according to Bernstein", "محللو «جيفريز»", "صحيفة «فايننشال تايمز»") or a product
# ("معالجات «إنستينكت»"), never a party to a deal.
_SOURCE_BEFORE = re.compile(
    r"(?:analysts?\s+(?:at|from|with)|according\s+to|"
    + "|".join(
        fold(w)
        for w in ["محللو", "محللي", "محللون في", "محللون لدى", "صحيفة", "وكالة", "موقع", "شبكة",
                  "وفقا لـ", "وفقا ل", "وفق", "بحسب", "حسب", "نقلا عن", "لدى بنك", "بنك", "مصرف",
                  "بيانات"]
    )
    + r")[\s«\"“]*$"
)  # fmt: skip
# After an unknown name: "Goldman Sachs analysts", "Bernstein estimates", "Blackwell chips".
_SOURCE_OR_PRODUCT_AFTER = re.compile(
    r"^[\s»\"”']*(?:analysts?|research|estimates?|said\s+in\s+a\s+(?:note|report)|"
    r"chips?|gpus?|tpus?|processors?|accelerators?|racks?|systems|servers?|superchips?)(?!\w)"
)
_PRODUCT_BEFORE = re.compile(
    "(?:"
    + "|".join(
        fold(w)
        for w in ["رقائق", "معالجات", "معالج", "شرائح", "شريحة", "أنظمة", "نظام", "خوادم",
                  "منتجات", "نموذج", "نماذج", "تطبيق", "روبوت", "مسرعات"]
    )
    + r")[\s«\"“]*$"
)  # fmt: skip


def _source_or_product(folded: Folded, mention: Mention) -> bool:
    """An unknown name that the words around it make a source or a product, or a product
    whose owner `PRODUCT_OWNERS` knows."""
    if mention.kind != "unknown":
        return False
    if fold(mention.text) in PRODUCT_OWNERS:
        return True  # "ChatGPT", «إنستغرام»: a product, never a party
    before = folded.text[max(0, mention.start - 25) : mention.start]
    after = folded.text[mention.end : mention.end + 25]
    return bool(
        _SOURCE_BEFORE.search(before)
        or _PRODUCT_BEFORE.search(before)
        or _SOURCE_OR_PRODUCT_AFTER.match(after)
    )


def _anaphors(folded: Folded) -> list[Mention]:
    mentions = []
    pattern = "|".join(re.escape(k) for k in sorted(ANAPHORS, key=len, reverse=True))
    definite = "|".join(re.escape(k[2:]) for k in ANAPHORS if k.startswith("ال"))
    for match in re.finditer(
        rf"(?<!\w)(?:(?:[وبل]|لل)?(?P<a>{pattern})|لل(?P<b>{definite}))(?!\w)", folded.text
    ):
        start, end = match.span("a") if match["a"] else match.span("b")
        hint = ANAPHORS[match["a"] or "ال" + match["b"]]
        if hint in _ORDINALS and _DEFINITE.search(folded.text[max(0, start - 30) : start]):
            continue
        mentions.append(Mention("anaphor", start, end, folded.source(start, end), hint=hint))
    for match in _DESCRIBED.finditer(folded.text):
        hint = _DESCRIBED_HINT.get(match["noun"], "startup")
        start, end = match.span()
        mentions.append(Mention("anaphor", start, end, folded.source(start, end), hint=hint))
    taken = [(m.start, m.end) for m in mentions]  # "the Dutch company", found above
    mentions += [e for e in _epithets(folded) if not any(a <= e.start < b for a, b in taken)]
    return mentions


def _epithets(folded: Folded) -> list[Mention]:
    """ "شركة البرمجيات الأمريكية", "the software giant" (a company named before); "مالكة
    فيسبوك", "the Facebook owner" (the owner of a product, where the article named it)."""
    found = []
    for match in _AR_EPITHET.finditer(folded.text):
        start, end = match.span("a")
        hint = _epithet_hint(match["a"])
        if match["ar_product"] is not None:
            words = match["ar_product"].split()
            two, one = " ".join(words), words[0]
            owner = PRODUCT_OWNERS.get(two) or PRODUCT_OWNERS.get(one)
            if owner is None:
                continue  # the owner of something no table knows
            end = match.start("ar_product") + len(two if two in PRODUCT_OWNERS else one)
            if folded.text[end : end + 1] in ("»", '"', "”"):
                end += 1  # with the product's closing quote
            hint = f"owner:{owner}"
        found.append(Mention("anaphor", start, end, folded.source(start, end), hint=hint))
    for match in _EN_EPITHET.finditer(folded.text):
        owner = PRODUCT_OWNERS.get(match["what"])
        hint = f"owner:{owner}" if owner else _epithet_hint(match[0])
        start, end = match.span()
        found.append(Mention("anaphor", start, end, folded.source(start, end), hint=hint))
    return found


def _epithet_hint(words: str) -> str:
    """An epithet of chips stands for a chipmaker, of clouds for a cloud provider."""
    if re.search(r"رقائق|شرائح|chip", words):
        return "chipmaker"
    if re.search(r"سحاب|cloud", words):
        return "cloud"
    return "company"


def _drop_descriptors(folded: Folded, mentions: list[Mention]) -> list[Mention]:
    """ "the chip designer Ampere", "صانعة الرقائق «إنفيديا»": the words describe the name
    that follows them, they do not stand for another."""
    kept = []
    for i, mention in enumerate(mentions):
        following = mentions[i + 1] if i + 1 < len(mentions) else None
        if (
            mention.kind == "anaphor"
            and following is not None
            and following.is_organisation
            and re.fullmatch(r"[\s«\"“]*", folded.text[mention.end : following.start])
        ):
            continue
        kept.append(mention)
    return kept


def _mark_coordination(folded: Folded, mentions: list[Mention]) -> list[Mention]:
    """Flag "X وY" / "X and Y" / "X, Y": Y shares X's role."""
    marked = []
    previous = None
    for mention in mentions:
        if mention.kind == "anaphor" and any(
            m.start <= mention.start < m.end for m in mentions if m is not mention
        ):
            continue  # "الشركة" inside an unknown-name match, e.g. "شركة هيوماين"
        coordinated = False
        if previous is not None and previous.is_organisation and mention.is_organisation:
            between = folded.text[previous.end : mention.start]
            coordinated = bool(
                re.fullmatch(r"[\s)(،,«»\"“”]*(?:و|and|&|،|,)?\s*(?:شركه\s*)?[«\"“]?", between)
            )
        marked.append(replace(mention, coordinated=coordinated))
        previous = mention
    return marked


def _merge_repeats(folded: Folded, mentions: list[Mention]) -> list[Mention]:
    """ "أوبن إيه آي (OpenAI)": one mention, not two."""
    merged: list[Mention] = []
    for mention in mentions:
        if (
            merged
            and mention.kind == merged[-1].kind
            and mention.key == merged[-1].key
            and re.fullmatch(r"[\s(“\"]*", folded.text[merged[-1].end : mention.start])
        ):
            last = merged[-1]
            end = mention.end
            if folded.text[end : end + 1] == ")":
                end += 1
            merged[-1] = replace(last, end=end, text=folded.source(last.start, end))
        else:
            merged.append(mention)
    return merged
