"""Synthetic DealWatch data for scale tests and benchmarks (`manage.py seed_synthetic`).

The data look like the real thing: a few hub companies take most of the deals and the money
(Zipf choice of payer and payee, Pareto amounts), investments and compute commitments in
realistic proportions, clouds and chip platforms, statuses with a cited history row, dates over
ten years, and every deal cited to a sentence of a generated English or Arabic article.

Everything is drawn from generators seeded with the run's seed, deal chunk by deal chunk (each
chunk has its own seed), so the same arguments give the same slugs, names, amounts and dates,
whatever database or write method is used. Rows are produced as tuples with explicit ids
(above the current maximum of each table, so the real seed rows keep theirs) and written chunk
by chunk: no more than one chunk of deals is ever held in memory.
"""

# S311: the randomness is for reproducible test data, not security. S608: the SQL built here
# interpolates only table and column names from model metadata; values are always parameters.
# ruff: noqa: S311, S608

from __future__ import annotations

import datetime
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.core.management.color import no_style
from django.db import connections, reset_queries
from django.db.models import JSONField, Max
from django.utils import timezone

from companies.models import ChipPlatform, CloudPlatform, Company, CompanyAlias
from companies.text import compact_name, normalize_name

from .formatting import format_money, format_power
from .models import (
    Article,
    DatePrecision,
    Deal,
    DealCitation,
    DealStatus,
    DealStatusChange,
    DealTranche,
    DealType,
    Qualifier,
    Valuation,
    ValuationCitation,
)

PREFIX = "syn-"
COMPANY_SLUG = "syn-co-{:05d}"
DEAL_SLUG = "syn-deal-{:07d}"
ARTICLE_SLUG = "syn-art-{:06d}"
CLOUD_SLUG = "syn-cloud-{:03d}"
CHIP_SLUG = "syn-chip-{:03d}"

# Deals are generated in chunks of this many, each from its own seed. It is fixed (not the
# write batch size) so that the data never depend on how they are written.
CHUNK = 10_000
MIN_COMPANIES = 10
MAX_COMPANIES = 200_000
MAX_DEALS = 50_000_000
DEFAULT_UNTIL = datetime.date(2025, 12, 31)
YEARS = 10

DEAL_TYPES = [DealType.INVESTMENT, DealType.COMPUTE_COMMITMENT, DealType.CHIP_SUPPLY]
DEAL_TYPE_P = [0.60, 0.35, 0.05]
STATUSES = [
    DealStatus.RUMORED,
    DealStatus.IN_TALKS,
    DealStatus.ANNOUNCED,
    DealStatus.SIGNED,
    DealStatus.COMPLETED,
    DealStatus.CANCELLED,
]
STATUS_P = [0.07, 0.08, 0.35, 0.20, 0.25, 0.05]
FIGURE_QUALIFIERS = [Qualifier.EXACT, Qualifier.ABOUT, Qualifier.UP_TO, Qualifier.MORE_THAN]
FIGURE_QUALIFIER_P = [0.55, 0.25, 0.12, 0.08]
UNDISCLOSED_SHARE = 0.10
PRECISIONS = [DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.QUARTER]
PRECISION_P = [0.85, 0.10, 0.05]
MIN_AMOUNT, MAX_AMOUNT = 1e6, 1e11
# Pareto tail index per deal type: smaller = heavier tail (compute deals are the big ones).
PARETO_ALPHA = {0: 0.45, 1: 0.30, 2: 0.40}
ZIPF_EXPONENT = 1.1
ARTICLE_DEALS = (10, 30)  # deals reported per generated article; 20 on average
ARABIC_ARTICLE_SHARE = 0.35
SECOND_SOURCE_SHARE = 0.10

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
CHIP_KINDS = [
    ChipPlatform.Kind.GPU,
    ChipPlatform.Kind.CUSTOM_ACCELERATOR,
    ChipPlatform.Kind.TPU,
    ChipPlatform.Kind.CPU,
]
CHIP_KIND_P = [0.6, 0.2, 0.1, 0.1]

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


@dataclass
class CompanyRow:
    index: int
    id: int
    slug: str
    kind: str
    stem: str
    stem_ar: str
    name: str
    name_ar: str
    parent: int | None = None  # index
    clouds: list[int] = field(default_factory=list)  # indexes into clouds
    chips: list[int] = field(default_factory=list)  # indexes into chips


@dataclass
class PlatformRow:
    id: int
    slug: str
    name: str
    name_ar: str
    owner: int  # company index


# --------------------------------------------------------------------------------------------
# Writers: how rows reach the database. All take the same rows (tuples of Python values in the
# order of `attnames`), so the data never depend on the method.


class Writer:
    name = "?"

    def __init__(self, using: str, batch_size: int):
        self.using = using
        self.connection = connections[using]
        self.batch_size = batch_size
        self.seconds: Counter[str] = Counter()  # time spent writing, per table

    def write(self, model, attnames: Sequence[str], rows: list[tuple]) -> None:
        started = time.perf_counter()
        self._write(model, attnames, rows)
        self.seconds[model._meta.db_table] += time.perf_counter() - started

    def now(self):
        return timezone.now()

    def _write(self, model, attnames: Sequence[str], rows: list[tuple]) -> None:
        raise NotImplementedError

    def columns(self, model, attnames):
        return [model._meta.get_field(name).column for name in attnames]

    def completed(self, model, attnames, rows):
        """Add any column the generator does not know (e.g. a field added later) at its default.

        Raw cursors skip Django's defaults, so a new field with a default would otherwise
        fail as NOT NULL.
        """
        known = set(attnames)
        extra = [
            f for f in model._meta.concrete_fields if f.attname not in known and not f.primary_key
        ]
        if not extra:
            return list(attnames), rows
        values = []
        for f in extra:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                values.append(self.now())
            elif f.has_default() or f.null:
                values.append(f.get_default())
            else:
                raise ValueError(f"{model.__name__}.{f.name} has no default: teach synthetic.py")
        tail = tuple(values)
        return [*attnames, *(f.attname for f in extra)], [row + tail for row in rows]

    def prepared(self, model, attnames, rows):
        """Rows with JSON values encoded as the backend wants them (raw cursors only)."""
        json_fields = [
            (i, model._meta.get_field(name))
            for i, name in enumerate(attnames)
            if isinstance(model._meta.get_field(name), JSONField)
        ]
        if not json_fields:
            return rows
        prepared = []
        for row in rows:
            row = list(row)
            for i, f in json_fields:
                row[i] = f.get_db_prep_save(row[i], self.connection)
            prepared.append(tuple(row))
        return prepared


class BulkCreateWriter(Writer):
    """Django's `bulk_create`: portable, the slowest (model instances for every row)."""

    name = "bulk"

    def _write(self, model, attnames, rows):
        objs = [model(**dict(zip(attnames, row, strict=True))) for row in rows]
        model.objects.using(self.using).bulk_create(objs, batch_size=self.batch_size)


class InsertWriter(Writer):
    """Plain `executemany` INSERTs on the DB-API cursor (no model instances, no SQL logging)."""

    name = "insert"

    def now(self):
        # Raw cursors get the value as the backend stores it (naive UTC text on SQLite).
        return self.connection.ops.adapt_datetimefield_value(timezone.now())

    def _write(self, model, attnames, rows):
        attnames, rows = self.completed(model, attnames, rows)
        rows = self.prepared(model, attnames, rows)
        qn = self.connection.ops.quote_name
        cols = ", ".join(qn(c) for c in self.columns(model, attnames))
        marks = ", ".join(["%s"] * len(attnames))
        sql = f"INSERT INTO {qn(model._meta.db_table)} ({cols}) VALUES ({marks})"  # noqa: S608
        with self.connection.cursor() as cursor:
            raw = cursor.cursor  # the DB-API cursor, bypassing Django's debug logging
            for start in range(0, len(rows), self.batch_size):
                raw.executemany(sql, rows[start : start + self.batch_size])


class CopyWriter(Writer):
    """PostgreSQL `COPY ... FROM STDIN` through psycopg 3."""

    name = "copy"

    def _write(self, model, attnames, rows):
        attnames, rows = self.completed(model, attnames, rows)
        rows = self.prepared(model, attnames, rows)
        qn = self.connection.ops.quote_name
        cols = ", ".join(qn(c) for c in self.columns(model, attnames))
        with self.connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {qn(model._meta.db_table)} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)


WRITERS = {"bulk": BulkCreateWriter, "insert": InsertWriter, "copy": CopyWriter}


def make_writer(method: str, using: str, batch_size: int) -> Writer:
    vendor = connections[using].vendor
    if method == "auto":
        method = "copy" if vendor == "postgresql" else "insert"
    if method == "copy" and vendor != "postgresql":
        raise ValueError("COPY needs PostgreSQL; use --method insert or bulk.")
    return WRITERS[method](using, batch_size)


# --------------------------------------------------------------------------------------------
# Index rebuild: one sorted build per index after the load is much cheaper than maintaining a
# dozen indexes (and, on PostgreSQL, queuing a foreign-key check) row by row.

REBUILD_THRESHOLD = 50_000  # deals; below this the rebuild costs more than it saves


@contextmanager
def indexes_rebuilt_after(connection, models_: Sequence, *, enabled: bool = True):
    """Drop the plain indexes of `models_` (and their foreign keys on PostgreSQL), and
    recreate them from their saved definitions when the body ends.

    Must run inside a transaction: on failure the drops roll back with everything else.
    Unique and primary-key indexes stay, so duplicates are still refused during the load.
    Yields a function that returns the seconds the rebuild took.
    """
    spent = [0.0]
    if not enabled:
        yield lambda: spent[0]
        return
    qn = connection.ops.quote_name
    indexes: list[str] = []  # CREATE INDEX statements
    keys: list[tuple[str, str, str]] = []  # (table, constraint name, definition)
    postgres = connection.vendor == "postgresql"
    # PostgreSQL cannot alter a table with queued (deferred) foreign-key checks, e.g. from
    # --flush: run them now. Django's foreign keys are all deferrable, initially deferred.
    settle = "SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED"
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute(settle)
        for model in models_:
            table = model._meta.db_table
            if postgres:
                cursor.execute(
                    "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                    "JOIN pg_class i ON i.oid = x.indexrelid "
                    "WHERE x.indrelid = %s::regclass AND NOT x.indisunique "
                    "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)",
                    [qn(table)],
                )
                found = cursor.fetchall()
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'f'",
                    [qn(table)],
                )
                for name, definition in cursor.fetchall():
                    keys.append((table, name, definition))
                    cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
            elif connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                    "AND tbl_name = %s AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'",
                    [table],
                )
                found = cursor.fetchall()
            else:
                found = []
            for name, definition in found:
                indexes.append(definition)
                cursor.execute(f"DROP INDEX {qn(name)}")
    yield lambda: spent[0]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute(settle)
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for definition in indexes:
            cursor.execute(definition)
        for table, name, definition in keys:
            cursor.execute(f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}")
    spent[0] = time.perf_counter() - started


# --------------------------------------------------------------------------------------------
# Existing synthetic rows


SYNTHETIC_FILTERS = {
    Company: "syn-co-",
    Deal: "syn-deal-",
    Article: "syn-art-",
    CloudPlatform: "syn-cloud-",
    ChipPlatform: "syn-chip-",
}


def existing_synthetic(using: str = "default") -> dict[str, int]:
    """How many synthetic rows of each kind the database holds (slug prefix `syn-`)."""
    return {
        model._meta.model_name: model.objects.using(using).filter(slug__startswith=p).count()
        for model, p in SYNTHETIC_FILTERS.items()
    }


def flush_synthetic(using: str = "default") -> None:
    """Delete every synthetic row with set-based DELETEs (no rows loaded into Python)."""
    connection = connections[using]
    qn = connection.ops.quote_name

    def table(model):
        return qn(model._meta.db_table)

    deal_ids = f"SELECT id FROM {table(Deal)} WHERE slug LIKE %s"  # noqa: S608
    company_ids = f"SELECT id FROM {table(Company)} WHERE slug LIKE %s"  # noqa: S608
    through = Deal.chip_platforms.through
    statements = [
        (f"DELETE FROM {table(DealCitation)} WHERE deal_id IN ({deal_ids})", "syn-deal-%"),
        (f"DELETE FROM {table(DealStatusChange)} WHERE deal_id IN ({deal_ids})", "syn-deal-%"),
        (f"DELETE FROM {table(DealTranche)} WHERE deal_id IN ({deal_ids})", "syn-deal-%"),
        (f"DELETE FROM {table(through)} WHERE deal_id IN ({deal_ids})", "syn-deal-%"),
        (f"DELETE FROM {table(Deal)} WHERE slug LIKE %s", "syn-deal-%"),
        (
            f"DELETE FROM {table(ValuationCitation)} WHERE valuation_id IN (SELECT id FROM "
            f"{table(Valuation)} WHERE company_id IN ({company_ids}))",
            "syn-co-%",
        ),
        (f"DELETE FROM {table(Valuation)} WHERE company_id IN ({company_ids})", "syn-co-%"),
        (f"DELETE FROM {table(Article)} WHERE slug LIKE %s", "syn-art-%"),
        (f"DELETE FROM {table(CloudPlatform)} WHERE slug LIKE %s", "syn-cloud-%"),
        (f"DELETE FROM {table(ChipPlatform)} WHERE slug LIKE %s", "syn-chip-%"),
        (f"DELETE FROM {table(CompanyAlias)} WHERE company_id IN ({company_ids})", "syn-co-%"),
        (f"UPDATE {table(Company)} SET parent_id = NULL WHERE slug LIKE %s", "syn-co-%"),
        (f"DELETE FROM {table(Company)} WHERE slug LIKE %s", "syn-co-%"),
    ]
    with connection.cursor() as cursor:
        for sql, pattern in statements:
            cursor.execute(sql, [pattern])


# --------------------------------------------------------------------------------------------
# Helpers


def zipf_weights(n: int, exponent: float = ZIPF_EXPONENT) -> np.ndarray:
    return 1.0 / np.arange(1, n + 1, dtype=float) ** exponent


def truncated_pareto(rng: np.random.Generator, alpha: np.ndarray, size: int) -> np.ndarray:
    """Amounts in [MIN_AMOUNT, MAX_AMOUNT] whose tail falls as x^-alpha (inverse CDF)."""
    u = rng.random(size)
    ratio = (MIN_AMOUNT / MAX_AMOUNT) ** alpha
    return MIN_AMOUNT / (1.0 - u * (1.0 - ratio)) ** (1.0 / alpha)


def round_amount(x: float, mode: int) -> Decimal:
    """Press-style figures: mostly two or three significant digits, sometimes to the cent."""
    if mode == 2:
        return Decimal(f"{x:.2f}")
    digits = 2 if mode == 0 else 3
    exponent = int(np.floor(np.log10(x))) - digits + 1
    rounded = round(x / 10**exponent) * 10**exponent
    return Decimal(int(rounded)).quantize(Decimal("0.01"))


def first_of_period(day: datetime.date, precision: str) -> datetime.date:
    if precision == DatePrecision.MONTH:
        return day.replace(day=1)
    if precision == DatePrecision.QUARTER:
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day


def add_years(day: datetime.date, years: int) -> datetime.date:
    return day.replace(year=day.year + years, day=min(day.day, 28))


def pick(rng_value: float, cumulative: np.ndarray) -> int:
    return int(np.searchsorted(cumulative, rng_value, side="right"))


class Pool:
    """Companies eligible for a role: the k-th most prominent is chosen with weight 1/k^s."""

    def __init__(self, indexes: Iterable[int], rank: np.ndarray, damp: Iterable[int] = ()):
        self.indexes = np.array(sorted(indexes, key=lambda i: rank[i]), dtype=np.int64)
        w = zipf_weights(len(self.indexes))
        w[np.isin(self.indexes, list(damp))] *= 0.2  # e.g. subsidiaries sell less than parents
        self.p = w / w.sum()

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.choice(self.indexes, size=size, p=self.p)


# --------------------------------------------------------------------------------------------
# The generator


@dataclass
class Result:
    companies: int = 0
    deals: int = 0
    articles: int = 0
    citations: int = 0
    valuations: int = 0
    valuation_citations: int = 0
    status_changes: int = 0
    aliases: int = 0
    clouds: int = 0
    chips: int = 0
    chip_links: int = 0
    hubs: list[str] = field(default_factory=list)
    tail: str = ""
    write_seconds: dict[str, float] = field(default_factory=dict)  # not part of the JSON

    def as_json(self) -> dict:
        return {
            "companies": self.companies,
            "deals": self.deals,
            "articles": self.articles,
            "citations": self.citations,
            "valuations": self.valuations,
            "hubs": self.hubs,
            "tail": self.tail,
            "valuation_citations": self.valuation_citations,
            "status_changes": self.status_changes,
            "aliases": self.aliases,
            "clouds": self.clouds,
            "chips": self.chips,
            "chip_links": self.chip_links,
        }


class SyntheticGenerator:
    def __init__(
        self,
        *,
        companies: int,
        deals: int,
        seed: int,
        writer: Writer,
        until: datetime.date = DEFAULT_UNTIL,
        on_progress: Callable[[int], None] | None = None,
        rebuild_indexes: bool = True,
    ):
        if companies < MIN_COMPANIES:
            raise ValueError(f"--companies must be at least {MIN_COMPANIES}.")
        self.n_companies = companies
        self.n_deals = deals
        self.seed = seed
        self.writer = writer
        self.until = until
        self.start = datetime.date(until.year - YEARS, until.month, min(until.day, 28))
        self.on_progress = on_progress or (lambda n: None)
        self.rebuild_indexes = rebuild_indexes
        self.result = Result()
        self.now = writer.now()

    # ids ------------------------------------------------------------------------------------
    def _next_ids(self) -> dict:
        using = self.writer.using
        tables = [
            Company,
            CompanyAlias,
            CloudPlatform,
            ChipPlatform,
            Article,
            Deal,
            DealCitation,
            DealStatusChange,
            Valuation,
            ValuationCitation,
            Deal.chip_platforms.through,
        ]
        return {
            model: (model.objects.using(using).aggregate(m=Max("id"))["m"] or 0) + 1
            for model in tables
        }

    def run(self) -> Result:
        self.ids = self._next_ids()
        self.deal_counts = np.zeros(self.n_companies, dtype=np.int64)
        self._make_companies()
        self._make_valuations()
        big = [Deal, DealCitation, DealStatusChange, Deal.chip_platforms.through]
        rebuild = self.rebuild_indexes and self.n_deals >= REBUILD_THRESHOLD
        with indexes_rebuilt_after(self.writer.connection, big, enabled=rebuild) as seconds:
            self._make_deals()
        if rebuild:
            self.writer.seconds["(rebuild indexes and keys)"] = seconds()
        self._rank_hubs()
        if self.writer.connection.vendor == "postgresql":
            self._reset_sequences()
        self.result.write_seconds = dict(self.writer.seconds)
        return self.result

    def _take_ids(self, model, count: int) -> int:
        first = self.ids[model]
        self.ids[model] = first + count
        return first

    def _reset_sequences(self):
        connection = self.writer.connection
        sql = connection.ops.sequence_reset_sql(no_style(), list(self.ids))
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)
            for model in self.ids:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")

    # companies ------------------------------------------------------------------------------
    def _kind_layout(self) -> list[str]:
        n = self.n_companies
        n_cloud = min(max(n // 40, 2), 12)
        n_chip = min(max(n // 60, 1), 8)
        n_investor = max(n // 10, 2)
        n_dc = max(n // 15, 1)
        rest = n - n_cloud - n_chip - n_investor - n_dc
        n_other = rest // 4
        kinds = (
            [Company.Kind.CLOUD_PROVIDER] * n_cloud
            + [Company.Kind.CHIPMAKER] * n_chip
            + [Company.Kind.INVESTOR] * n_investor
            + [Company.Kind.DATA_CENTER_OPERATOR] * n_dc
            + [Company.Kind.AI_LAB] * (rest - n_other)
            + [Company.Kind.OTHER] * n_other
        )
        return kinds

    def _make_companies(self):
        rng = random.Random(f"{self.seed}:companies")
        using = self.writer.using
        used = set(CompanyAlias.objects.using(using).values_list("compact", flat=True))
        self.stems: set[str] = set()
        kinds = self._kind_layout()
        first_id = self._take_ids(Company, len(kinds))
        companies: list[CompanyRow] = []
        alias_rows: list[tuple[int, str]] = []  # (company id, spelling)
        for index, kind in enumerate(kinds):
            stem, stem_ar = self._unique_stem(rng, kind, used)
            template, template_ar = rng.choice(KIND_NAMES[kind])
            name, name_ar = template.format(stem), template_ar.format(stem_ar)
            company = CompanyRow(
                index=index,
                id=first_id + index,
                slug=COMPANY_SLUG.format(index + 1),
                kind=kind,
                stem=stem,
                stem_ar=stem_ar,
                name=name,
                name_ar=name_ar,
            )
            companies.append(company)
            used.update({compact_name(name), compact_name(name_ar)})
            alias_rows += [(company.id, name), (company.id, name_ar)]
            # Half of them are also known by their bare stem ("Karavi" for "Karavi Labs").
            if rng.random() < 0.5 and compact_name(stem) not in used:
                used.add(compact_name(stem))
                alias_rows.append((company.id, stem))
        self.companies = companies
        self._assign_parents(rng)
        self._rank_prominence(rng)

        self.writer.write(
            Company,
            ["id", "slug", "name", "name_ar", "kind", "parent_id", "website"],
            [
                (
                    c.id,
                    c.slug,
                    c.name,
                    c.name_ar,
                    c.kind,
                    None if c.parent is None else companies[c.parent].id,
                    "",
                )
                for c in companies
            ],
        )
        first_alias = self._take_ids(CompanyAlias, len(alias_rows))
        self.writer.write(
            CompanyAlias,
            ["id", "company_id", "name", "normalized", "compact"],
            [
                (first_alias + i, cid, spelling, normalize_name(spelling), compact_name(spelling))
                for i, (cid, spelling) in enumerate(alias_rows)
            ],
        )
        self.result.companies = len(companies)
        self.result.aliases = len(alias_rows)
        self._make_platforms(rng)

    def _unique_stem(self, rng: random.Random, kind: str, used: set[str]) -> tuple[str, str]:
        for attempt in range(40):
            count = rng.choice([2, 2, 3, 3, 3]) + attempt // 10
            parts = [rng.choice(SYLLABLES) for _ in range(count)]
            stem = "".join(p[0] for p in parts).capitalize()
            stem_ar = "".join(p[1] for p in parts)
            names = [t.format(stem) for t, _ in KIND_NAMES[kind]]
            names += [t.format(stem_ar) for _, t in KIND_NAMES[kind]]
            key = compact_name(stem)
            if key not in self.stems and not any(compact_name(n) in used for n in names):
                self.stems.add(key)
                return stem, stem_ar
        raise RuntimeError("Could not find a free company name; use fewer companies.")

    def _assign_parents(self, rng: random.Random):
        by_kind: dict[str, list[int]] = {}
        for c in self.companies:
            by_kind.setdefault(c.kind, []).append(c.index)
        clouds = by_kind.get(Company.Kind.CLOUD_PROVIDER, [])
        investors = by_kind.get(Company.Kind.INVESTOR, [])
        # One data-centre subsidiary per cloud: compute deals with it run on its parent's cloud.
        for cloud, dc in zip(
            clouds, by_kind.get(Company.Kind.DATA_CENTER_OPERATOR, []), strict=False
        ):
            self.companies[dc].parent = cloud
        for kind in (Company.Kind.AI_LAB, Company.Kind.OTHER):
            for index in by_kind.get(kind, []):
                if rng.random() < 0.08:
                    self.companies[index].parent = rng.choice(investors)
        self.by_kind = by_kind

    def _rank_prominence(self, rng: random.Random):
        """A prominence order: clouds and chipmakers first, then everyone else shuffled."""
        leaders = self.by_kind.get(Company.Kind.CLOUD_PROVIDER, []) + self.by_kind.get(
            Company.Kind.CHIPMAKER, []
        )
        rest = [c.index for c in self.companies if c.index not in set(leaders)]
        rng.shuffle(rest)
        order = leaders + rest
        rank = np.empty(self.n_companies, dtype=np.int64)
        rank[np.array(order)] = np.arange(self.n_companies)
        self.rank = rank

    def _make_platforms(self, rng: random.Random):
        clouds: list[PlatformRow] = []
        chips: list[PlatformRow] = []
        chip_kinds: list[str] = []
        for index in self.by_kind.get(Company.Kind.CLOUD_PROVIDER, []):
            company = self.companies[index]
            labels = [("Cloud", "كلاود"), ("AI Cloud", "للذكاء الاصطناعي السحابية")]
            for label, label_ar in labels[: rng.choice([1, 1, 2])]:
                company.clouds.append(len(clouds))
                clouds.append(
                    PlatformRow(
                        id=0,
                        slug=CLOUD_SLUG.format(len(clouds) + 1),
                        name=f"{company.stem} {label}",
                        name_ar=f"{company.stem_ar} {label_ar}",
                        owner=index,
                    )
                )
        for index in self.by_kind.get(Company.Kind.CHIPMAKER, []):
            company = self.companies[index]
            letter = rng.choice("BHMXZ")
            for generation in range(rng.choice([1, 2, 3])):
                model = f"{letter}{(generation + 1) * 100}"
                company.chips.append(len(chips))
                chips.append(
                    PlatformRow(
                        id=0,
                        slug=CHIP_SLUG.format(len(chips) + 1),
                        name=f"{company.stem} {model}",
                        name_ar=f"{company.stem_ar} {model}",
                        owner=index,
                    )
                )
                chip_kinds.append(rng.choices(CHIP_KINDS, CHIP_KIND_P)[0])
        first = self._take_ids(CloudPlatform, len(clouds))
        for i, cloud in enumerate(clouds):
            cloud.id = first + i
        first = self._take_ids(ChipPlatform, len(chips))
        for i, chip in enumerate(chips):
            chip.id = first + i
        self.writer.write(
            CloudPlatform,
            ["id", "slug", "name", "name_ar", "aliases", "operator_id"],
            [(c.id, c.slug, c.name, c.name_ar, [], self.companies[c.owner].id) for c in clouds],
        )
        self.writer.write(
            ChipPlatform,
            ["id", "slug", "name", "name_ar", "aliases", "vendor_id", "kind"],
            [
                (c.id, c.slug, c.name, c.name_ar, [], self.companies[c.owner].id, kind)
                for c, kind in zip(chips, chip_kinds, strict=True)
            ],
        )
        self.clouds, self.chips = clouds, chips
        self.result.clouds, self.result.chips = len(clouds), len(chips)

    # valuations -----------------------------------------------------------------------------
    def _make_valuations(self):
        """Yearly valuations of the most prominent labs, each cited to a valuation article."""
        rng = random.Random(f"{self.seed}:valuations")
        labs = sorted(self.by_kind.get(Company.Kind.AI_LAB, []), key=lambda i: self.rank[i])
        hubs = labs[: min(max(self.n_companies // 20, 1), 10)]
        articles, valuations, citations = [], [], []
        first_article = self.ids[Article]
        for n, index in enumerate(hubs):
            company = self.companies[index]
            arabic = rng.random() < ARABIC_ARTICLE_SHARE
            years = rng.randint(3, YEARS)
            value = rng.uniform(2e8, 5e9)
            sentences, rows = [], []
            for year in range(self.until.year - years + 1, self.until.year + 1):
                value *= rng.uniform(1.3, 3.0)
                amount = round_amount(min(value, 5e12), 0)
                qualifier = rng.choices(FIGURE_QUALIFIERS[:2], [0.7, 0.3])[0]
                projection = year == self.until.year and rng.random() < 0.3
                as_of = datetime.date(year, rng.randint(1, 12), 1)
                money = format_money(amount, qualifier, "ar" if arabic else "en")
                if arabic:
                    verb = "قد تبلغ" if projection else "بلغت"
                    sentence = f"{verb} قيمة {company.name_ar} {money} في {as_of:%m/%Y}."
                else:
                    verb = "could reach" if projection else "reached"
                    sentence = f"{company.name}'s valuation {verb} {money} in {as_of:%B %Y}."
                sentences.append(sentence)
                rows.append((amount, qualifier, as_of, projection, sentence))
            article_id = first_article + n
            title = (
                f"قيمة {company.name_ar} عبر السنوات"
                if arabic
                else f"{company.name}: a valuation history"
            )
            articles.append(
                (
                    article_id,
                    ARTICLE_SLUG.format(article_id - first_article + 1),
                    title,
                    "ar" if arabic else "en",
                    rows[-1][2],
                    " ".join(sentences),
                    "",
                    "",
                    self.now,
                )
            )
            for amount, qualifier, as_of, projection, sentence in rows:
                valuation_id = self._take_ids(Valuation, 1)
                valuations.append(
                    (valuation_id, company.id, amount, qualifier, as_of, "month", projection, "")
                )
                citations.append(
                    (self._take_ids(ValuationCitation, 1), article_id, sentence, valuation_id)
                )
        self._take_ids(Article, len(articles))
        self.article_serial = len(articles)
        self._write_articles(articles)
        self.writer.write(
            Valuation,
            [
                "id",
                "company_id",
                "amount_usd",
                "amount_qualifier",
                "as_of",
                "date_precision",
                "is_projection",
                "reference_url",
            ],
            valuations,
        )
        self.writer.write(
            ValuationCitation, ["id", "article_id", "quote", "valuation_id"], citations
        )
        self.result.valuations = len(valuations)
        self.result.valuation_citations = len(citations)

    ARTICLE_COLUMNS = [
        "id",
        "slug",
        "title",
        "language",
        "published_on",
        "body",
        "source_file",
        "url",
        "added_at",
    ]

    def _write_articles(self, rows):
        self.writer.write(Article, self.ARTICLE_COLUMNS, rows)
        self.result.articles += len(rows)

    # deals ----------------------------------------------------------------------------------
    def _pools(self):
        k, rank = self.by_kind, self.rank
        get = lambda kind: k.get(kind, [])  # noqa: E731
        labs = get(Company.Kind.AI_LAB) + get(Company.Kind.OTHER)
        clouds = get(Company.Kind.CLOUD_PROVIDER)
        cloud_subs = [
            i
            for i in get(Company.Kind.DATA_CENTER_OPERATOR)
            if self.companies[i].parent is not None
        ]
        investors = get(Company.Kind.INVESTOR) + clouds + get(Company.Kind.CHIPMAKER)
        investees = labs + get(Company.Kind.DATA_CENTER_OPERATOR)
        return {
            # type code → (payer pool, payee pool); payer and payee pools never overlap.
            0: (Pool(investors, rank), Pool(investees, rank)),
            1: (Pool(labs, rank), Pool(clouds + cloud_subs, rank, damp=cloud_subs)),
            2: (
                Pool(labs + clouds + get(Company.Kind.DATA_CENTER_OPERATOR), rank),
                Pool(get(Company.Kind.CHIPMAKER), rank),
            ),
        }

    DEAL_COLUMNS = [
        "id",
        "slug",
        "deal_type",
        "payer_id",
        "payee_id",
        "cloud_id",
        "data_center_id",
        "amount_usd",
        "amount_qualifier",
        "power_gw",
        "power_qualifier",
        "term_years",
        "status",
        "announced_on",
        "date_precision",
        "starts_on",
        "ends_on",
        "summary",
        "summary_ar",
        "reference_url",
        "created_at",
        "updated_at",
    ]
    CITATION_COLUMNS = [
        "id",
        "article_id",
        "quote",
        "deal_id",
        "reported_amount_usd",
        "reported_amount_qualifier",
        "reported_power_gw",
        "reported_power_qualifier",
    ]
    STATUS_COLUMNS = [
        "id",
        "deal_id",
        "status",
        "changed_on",
        "date_precision",
        "article_id",
        "quote",
        "reference_url",
    ]

    def _make_deals(self):
        self.pools = self._pools()
        self.chip_cum = np.cumsum(zipf_weights(len(self.chips), 0.8))
        self.chip_cum /= self.chip_cum[-1]
        for chunk, start in enumerate(range(0, self.n_deals, CHUNK)):
            size = min(CHUNK, self.n_deals - start)
            self._make_chunk(chunk, start, size)
            reset_queries()  # DEBUG keeps every query's SQL otherwise
            self.on_progress(size)

    def _make_chunk(self, chunk: int, start: int, size: int):
        rng = np.random.default_rng([self.seed, 7, chunk])
        span = (self.until - self.start).days
        types = rng.choice(3, size=size, p=DEAL_TYPE_P)
        payers = np.empty(size, dtype=np.int64)
        payees = np.empty(size, dtype=np.int64)
        for code, (payer_pool, payee_pool) in self.pools.items():
            mask = types == code
            count = int(mask.sum())
            payers[mask] = payer_pool.draw(rng, count)
            payees[mask] = payee_pool.draw(rng, count)
        assert not (payers == payees).any()
        np.add.at(self.deal_counts, payers, 1)
        np.add.at(self.deal_counts, payees, 1)

        alpha = np.vectorize(PARETO_ALPHA.get)(types)
        raw_amounts = truncated_pareto(rng, alpha, size)
        rounding = rng.choice(3, size=size, p=[0.6, 0.3, 0.1])
        undisclosed = rng.random(size) < UNDISCLOSED_SHARE
        qualifiers = rng.choice(4, size=size, p=FIGURE_QUALIFIER_P)
        statuses = rng.choice(len(STATUSES), size=size, p=STATUS_P)
        precisions = rng.choice(3, size=size, p=PRECISION_P)
        has_power = (types == 1) & (rng.random(size) < 0.3)
        power = 10 ** rng.uniform(-0.5, 0.5, size)
        power_qualifiers = rng.choice(4, size=size, p=FIGURE_QUALIFIER_P)
        has_term = (types == 1) & (rng.random(size) < 0.75)
        terms = rng.choice([1, 2, 3, 4, 5, 6, 7, 10], size=size)
        start_delay = rng.integers(0, 366, size)
        cloud_pick = rng.random(size)
        chip_count = np.where(rng.random(size) < 0.85, rng.integers(1, 3, size), 0)
        chip_draws = rng.random((size, 2))
        lag = rng.integers(0, 31, size)
        second = rng.random(size) < SECOND_SOURCE_SHARE
        disagree = rng.random(size) < 0.3
        disagree_factor = rng.uniform(0.7, 1.3, size)

        # Articles: consecutive groups of ~20 deals, each published on one day.
        sizes = []
        while sum(sizes) < size:
            sizes.append(int(rng.integers(ARTICLE_DEALS[0], ARTICLE_DEALS[1] + 1)))
        sizes[-1] -= sum(sizes) - size
        n_articles = len(sizes)
        article_days = rng.integers(31, span + 1, n_articles)
        article_arabic = rng.random(n_articles) < ARABIC_ARTICLE_SHARE
        filler_picks = rng.integers(0, len(FILLER_EN), (n_articles, 3))
        first_article = self._take_ids(Article, n_articles)
        article_of = np.repeat(np.arange(n_articles), sizes)
        bodies: list[list[str]] = [[] for _ in range(n_articles)]
        follow_ups: list[list[str]] = [[] for _ in range(n_articles)]

        first_deal = self._take_ids(Deal, size)
        deal_rows, citation_rows, status_rows, chip_rows = [], [], [], []
        companies, clouds, chips = self.companies, self.clouds, self.chips
        types_l, payers_l, payees_l = types.tolist(), payers.tolist(), payees.tolist()
        for i in range(size):
            deal_id = first_deal + i
            code = types_l[i]
            payer, payee = companies[payers_l[i]], companies[payees_l[i]]
            a = int(article_of[i])
            arabic = bool(article_arabic[a])
            status = STATUSES[statuses[i]]
            precision = PRECISIONS[precisions[i]]
            published = self.start + datetime.timedelta(days=int(article_days[a]))
            announced = first_of_period(published - datetime.timedelta(days=int(lag[i])), precision)
            if undisclosed[i]:
                amount, qualifier = None, Qualifier.UNDISCLOSED
            else:
                amount = round_amount(float(raw_amounts[i]), int(rounding[i]))
                qualifier = FIGURE_QUALIFIERS[qualifiers[i]]
            cloud = None
            power_gw, power_qualifier = None, Qualifier.UNDISCLOSED
            term = starts = ends = None
            deal_chips: list[PlatformRow] = []
            if code == 1:
                operator = payee if payee.clouds else companies[payee.parent]
                cloud = clouds[operator.clouds[int(cloud_pick[i] * len(operator.clouds))]]
                for k in range(int(chip_count[i])):
                    chip = chips[pick(chip_draws[i, k], self.chip_cum)]
                    if chip not in deal_chips:
                        deal_chips.append(chip)
                # Power is reported for big deals only, roughly 1 GW per $12B.
                if has_power[i] and (amount is None or amount >= 500_000_000):
                    gw = power[i] if amount is None else float(amount) / 12e9 * power[i]
                    power_gw = Decimal(f"{min(max(gw, 0.01), 10.0):.3f}")
                    power_qualifier = FIGURE_QUALIFIERS[power_qualifiers[i]]
                if has_term[i]:
                    term = int(terms[i])
                    starts = announced + datetime.timedelta(days=int(start_delay[i]))
                    ends = add_years(starts, term)
            elif code == 2:
                own = payee.chips
                deal_chips = [chips[own[int(chip_draws[i, 0] * len(own))]]]
                if len(own) > 1 and chip_count[i] == 2:
                    other = chips[own[int(chip_draws[i, 1] * len(own))]]
                    if other is not deal_chips[0]:
                        deal_chips.append(other)
            sentence_en = self._sentence(
                "en", code, status, payer, payee, amount, qualifier, cloud, deal_chips,
                power_gw, power_qualifier, term,
            )  # fmt: skip
            sentence_ar = self._sentence(
                "ar", code, status, payer, payee, amount, qualifier, cloud, deal_chips,
                power_gw, power_qualifier, term,
            )  # fmt: skip
            quote = sentence_ar if arabic else sentence_en
            bodies[a].append(quote)
            deal_rows.append(
                (
                    deal_id,
                    DEAL_SLUG.format(start + i + 1),
                    DEAL_TYPES[code].value,
                    payer.id,
                    payee.id,
                    cloud.id if cloud else None,
                    None,
                    amount,
                    qualifier.value,
                    power_gw,
                    power_qualifier.value,
                    term,
                    status.value,
                    announced,
                    precision.value,
                    starts,
                    ends,
                    sentence_en,
                    sentence_ar,
                    "",
                    self.now,
                    self.now,
                )
            )
            article_id = first_article + a
            citation_rows.append(
                (
                    self._take_ids(DealCitation, 1),
                    article_id,
                    quote,
                    deal_id,
                    amount,
                    qualifier.value,
                    power_gw,
                    power_qualifier.value if power_gw is not None else "",
                )
            )
            status_rows.append(
                (
                    self._take_ids(DealStatusChange, 1),
                    deal_id,
                    status.value,
                    announced,
                    precision.value,
                    article_id,
                    quote,
                    "",
                )
            )
            for chip in deal_chips:
                chip_rows.append((self._take_ids(Deal.chip_platforms.through, 1), deal_id, chip.id))
            if second[i] and n_articles > 1:
                # A second article reports the deal, sometimes with a different figure.
                b = a + 1 if a + 1 < n_articles else a - 1
                reported = amount
                if amount is not None and disagree[i]:
                    reported = round_amount(float(amount) * float(disagree_factor[i]), 0)
                follow = self._follow_up(bool(article_arabic[b]), payer, payee, reported)
                follow_ups[b].append(follow)
                citation_rows.append(
                    (
                        self._take_ids(DealCitation, 1),
                        first_article + b,
                        follow,
                        deal_id,
                        reported,
                        Qualifier.ABOUT.value if reported is not None else "undisclosed",
                        None,
                        "",
                    )
                )

        article_rows = []
        for a in range(n_articles):
            arabic = bool(article_arabic[a])
            published = self.start + datetime.timedelta(days=int(article_days[a]))
            filler = FILLER_AR if arabic else FILLER_EN
            sentences = bodies[a] + follow_ups[a]
            for k, pick_ in enumerate(filler_picks[a].tolist()):
                sentences.insert(min(len(sentences), 1 + k * 7), filler[pick_])
            paragraphs = [" ".join(sentences[j : j + 4]) for j in range(0, len(sentences), 4)]
            self.article_serial += 1
            title = (
                f"حصاد صفقات البنية التحتية للذكاء الاصطناعي ({published:%Y/%m/%d})"
                if arabic
                else f"AI infrastructure deals, {published:%d %B %Y}"
            )
            article_rows.append(
                (
                    first_article + a,
                    ARTICLE_SLUG.format(self.article_serial),
                    title,
                    "ar" if arabic else "en",
                    published,
                    "\n\n".join(paragraphs),
                    "",
                    "",
                    self.now,
                )
            )

        self._write_articles(article_rows)
        self.writer.write(Deal, self.DEAL_COLUMNS, deal_rows)
        self.writer.write(DealCitation, self.CITATION_COLUMNS, citation_rows)
        self.writer.write(DealStatusChange, self.STATUS_COLUMNS, status_rows)
        self.writer.write(
            Deal.chip_platforms.through, ["id", "deal_id", "chipplatform_id"], chip_rows
        )
        self.result.deals += size
        self.result.citations += len(citation_rows)
        self.result.status_changes += len(status_rows)
        self.result.chip_links += len(chip_rows)

    @staticmethod
    def _sentence(
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

    @staticmethod
    def _follow_up(arabic: bool, payer, payee, reported) -> str:
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
    def _rank_hubs(self):
        """Hubs = most deals (as payer or payee); tail = fewest deals, at least one if any."""
        counts = self.deal_counts
        order = sorted(range(self.n_companies), key=lambda i: (-counts[i], i))
        self.result.hubs = [self.companies[i].slug for i in order[:3]]
        active = [i for i in order if counts[i] > 0] or order
        self.result.tail = self.companies[active[-1]].slug


def generate(
    *,
    companies: int,
    deals: int,
    seed: int,
    using: str = "default",
    method: str = "auto",
    batch_size: int = 10_000,
    until: datetime.date = DEFAULT_UNTIL,
    on_progress: Callable[[int], None] | None = None,
    rebuild_indexes: bool = True,
) -> Result:
    """Write the synthetic data set into `using` (call inside a transaction)."""
    writer = make_writer(method, using, batch_size)
    return SyntheticGenerator(
        companies=companies,
        deals=deals,
        seed=seed,
        writer=writer,
        until=until,
        on_progress=on_progress,
        rebuild_indexes=rebuild_indexes,
    ).run()
