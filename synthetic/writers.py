"""How synthetic rows reach the database: the same rows (tuples of Python values in the order
of `attnames`) through `bulk_create`, `executemany` INSERTs or PostgreSQL's COPY, so the data
never depend on the method; and the index rebuild around a big load."""

# S608: the SQL built here interpolates only table and column names from model metadata;
# values are always parameters.
# ruff: noqa: S608

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from contextlib import contextmanager

from django.db import connections
from django.db.models import JSONField
from django.utils import timezone


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
                raise ValueError(f"{model.__name__}.{f.name} has no default: teach synthetic/")
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
