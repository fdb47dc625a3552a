"""Fill the database with realistic synthetic deals for scale tests and benchmarks.

    python manage.py seed_synthetic --companies 1000 --deals 1000000 --seed 42

Prints one JSON line on stdout: the counts it made, the three hub companies with the most
deals and one tail company. See docs/synthetic.md.
"""

import datetime
import json
import resource
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from tqdm import tqdm

from deals.pages import warm
from deals.pages.cache import bump_generation
from synthetic import generator, shape
from synthetic.existing import existing_synthetic, flush_synthetic


def positive_int(text: str) -> int:
    return int(text.replace("_", "").replace(",", ""))


class Command(BaseCommand):
    help = (
        "Generate a deterministic synthetic data set (companies, deals, articles, citations, "
        "valuations) and print its counts as one JSON line."
    )

    def add_arguments(self, parser):
        parser.add_argument("--companies", type=positive_int, default=1000, help="At least 10.")
        parser.add_argument("--deals", type=positive_int, default=10_000, help="0 or more.")
        parser.add_argument("--seed", type=int, default=0, help="Same seed, same data.")
        parser.add_argument(
            "--until",
            type=datetime.date.fromisoformat,
            default=shape.DEFAULT_UNTIL,
            help="Last day of the ten years the deals span (YYYY-MM-DD, default %(default)s).",
        )
        parser.add_argument(
            "--flush", action="store_true", help="Delete earlier synthetic rows first."
        )
        parser.add_argument(
            "--method",
            choices=["auto", "copy", "insert", "bulk"],
            default="auto",
            help="How rows are written: COPY (PostgreSQL), executemany INSERTs, or "
            "bulk_create. 'auto' picks the fastest for the database.",
        )
        parser.add_argument("--batch-size", type=int, default=10_000)
        parser.add_argument(
            "--keep-indexes",
            action="store_true",
            help="Keep the indexes of the deal tables during the load instead of dropping "
            "and rebuilding them (the rebuild is used from 50,000 deals on).",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options):
        companies, deals = options["companies"], options["deals"]
        using, method = options["database"], options["method"]
        if companies < shape.MIN_COMPANIES:
            raise CommandError(f"--companies must be at least {shape.MIN_COMPANIES}.")
        if companies > shape.MAX_COMPANIES:
            raise CommandError(f"--companies can be at most {shape.MAX_COMPANIES:,}.")
        if not 0 <= deals <= shape.MAX_DEALS:
            raise CommandError(f"--deals must be between 0 and {shape.MAX_DEALS:,}.")
        if options["seed"] < 0:
            raise CommandError("--seed must be 0 or a positive integer.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        connection = connections[using]
        if method == "copy" and connection.vendor != "postgresql":
            raise CommandError("--method copy needs PostgreSQL; use insert or bulk.")

        existing = {k: v for k, v in existing_synthetic(using).items() if v}
        if existing and not options["flush"]:
            found = ", ".join(f"{count} {name}" for name, count in existing.items())
            raise CommandError(
                f"Synthetic data already exist ({found}). Run with --flush to replace them."
            )

        show = not options["no_progress"] and sys.stderr.isatty()
        bar = tqdm(total=deals, unit=" deals", unit_scale=True, file=sys.stderr, disable=not show)
        started = time.monotonic()
        try:
            with fast_sqlite(connection), transaction.atomic(using=using):
                if options["flush"]:
                    flush_synthetic(using)
                    flushed = time.monotonic()
                result = generator.generate(
                    companies=companies,
                    deals=deals,
                    seed=options["seed"],
                    using=using,
                    method=method,
                    batch_size=options["batch_size"],
                    until=options["until"],
                    on_progress=bar.update,
                    rebuild_indexes=not options["keep_indexes"],
                )
                generated = time.monotonic()
        except IntegrityError as error:
            raise CommandError(f"The database refused the synthetic rows: {error}") from error
        finally:
            bar.close()
        # Rows were written without signals: cached aggregates must be recomputed.
        bump_generation()
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # What autovacuum would do after a bulk load, at once: the visibility map lets
            # PostgreSQL answer from an index alone, and the planner sees the new rows.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
        # The new figures built now (into a shared cache), so no reader waits for them.
        warm.warm_shared_cache()
        if options["verbosity"] > 1:
            finished = time.monotonic()
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            writes = sorted(result.write_seconds.items(), key=lambda item: -item[1])
            self.stderr.write(
                f"seed_synthetic: {finished - started:.1f}s in all"
                + (f", flush {flushed - started:.1f}s" if options["flush"] else "")
                + f", commit {finished - generated:.1f}s, peak RSS {peak_mb:.0f} MB; writing: "
                + ", ".join(f"{table} {seconds:.1f}s" for table, seconds in writes)
            )
        self.stdout.write(json.dumps(result.as_json()))


class fast_sqlite:  # noqa: N801 - used like a function, as a context manager
    """On SQLite, skip fsync and keep the rollback journal in memory during the load.

    Both pragmas are restored afterwards. They cannot change inside a transaction, so
    nothing happens when the caller already holds one (e.g. inside a test).
    """

    def __init__(self, connection):
        self.connection = connection
        self.saved = None

    def __enter__(self):
        if self.connection.vendor != "sqlite" or self.connection.in_atomic_block:
            return self
        with self.connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous")
            synchronous = cursor.fetchone()[0]
            cursor.execute("PRAGMA journal_mode")
            journal = cursor.fetchone()[0]
            cursor.execute("PRAGMA cache_size")
            cache = cursor.fetchone()[0]
            self.saved = (synchronous, journal, cache)
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA journal_mode = MEMORY")
            # 64 MB of page cache (the default is 2 MB) for the growing tables.
            cursor.execute("PRAGMA cache_size = -65536")
        return self

    def __exit__(self, *exc):
        if self.saved:
            synchronous, journal, cache = self.saved
            with self.connection.cursor() as cursor:
                cursor.execute(f"PRAGMA synchronous = {int(synchronous)}")
                cursor.execute(f"PRAGMA journal_mode = {journal}")
                cursor.execute(f"PRAGMA cache_size = {int(cache)}")
        return False
