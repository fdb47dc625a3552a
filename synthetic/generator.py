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

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.core.management.color import no_style
from django.db.models import Max

from companies.models import ChipPlatform, CloudPlatform, Company, CompanyAlias
from deals import tally
from deals.models import (
    Article,
    Deal,
    DealCitation,
    DealStatusChange,
    Valuation,
    ValuationCitation,
)

from .company_rows import CompaniesMixin
from .deal_rows import DealsMixin
from .shape import DEFAULT_UNTIL, MIN_COMPANIES, YEARS
from .valuation_rows import ValuationsMixin
from .writers import Writer, indexes_rebuilt_after, make_writer

REBUILD_THRESHOLD = 50_000  # deals; below this the rebuild costs more than it saves


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


class SyntheticGenerator(CompaniesMixin, ValuationsMixin, DealsMixin):
    """One run: companies and platforms, valuations, then deals chunk by chunk.

    The steps live in their own modules (company_rows, valuation_rows, deal_rows); they share this
    object's state, and their order fixes every random draw, so it must not change.
    """

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
        connection = self.writer.connection
        with (
            tally.paused(connection, enabled=rebuild),
            indexes_rebuilt_after(connection, big, enabled=rebuild) as seconds,
        ):
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
