"""The deal tally: the headline's sums kept up to date by the database in each write.

The overview's headline ("N deals, M of them with a stated amount", the money and power per
type and standing) is a GROUP BY over every deal: seconds at a million deals, so it used to be
cached and rebuilt after each edit, and readers saw the old figures until the rebuild ended.
`deals_dealtally` (`DealTally`) holds that GROUP BY's rows instead, and triggers on
`deals_deal` move them in the same transaction as the write, by the old and the new row:

- exact the moment the write commits, never before (a rolled-back write moves nothing);
- whoever writes: the admin, `import_deals`, a `QuerySet.update()`, raw SQL, another machine;
- concurrent writes stay exact: each trigger sees the row as its own UPDATE found it.

Bulk loads (`seed_synthetic`) set the triggers aside while they copy rows in and rebuild the
tally once at the end (`paused`), as they do with indexes. `rebuild()` recomputes it from the
deals (the migration that created it, and `manage.py warm_cache --rebuild-tally`).
"""

# Every statement below is built from this module's own constants, never from input.
# ruff: noqa: S608

from contextlib import contextmanager

from django.db import connection as default_connection

TABLE = "deals_dealtally"
GROUP = ("deal_type", "status", "amount_qualifier", "power_qualifier")
# A write that changes none of these leaves the tally alone (and takes no lock on it).
WATCHED = (*GROUP, "amount_usd", "power_gw")

_MATCH_OLD = " AND ".join(f"{column} = OLD.{column}" for column in GROUP)
_MATCH_NEW = " AND ".join(f"{column} = NEW.{column}" for column in GROUP)
_COLUMNS = ", ".join(GROUP)
_NEW_GROUP = ", ".join(f"NEW.{column}" for column in GROUP)
_SUBTRACT_OLD = (
    f"UPDATE {TABLE} SET money = money - COALESCE(OLD.amount_usd, 0), "
    f"power = power - COALESCE(OLD.power_gw, 0), deals = deals - 1 WHERE {_MATCH_OLD};"
)
_ADD_NEW = (
    f"UPDATE {TABLE} SET money = money + COALESCE(NEW.amount_usd, 0), "
    f"power = power + COALESCE(NEW.power_gw, 0), deals = deals + 1 WHERE {_MATCH_NEW};"
)
_CHANGED = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in WATCHED)

POSTGRESQL_INSTALL = [
    f"""
CREATE OR REPLACE FUNCTION deals_tally_row() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {_SUBTRACT_OLD}
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO {TABLE} ({_COLUMNS}, money, power, deals)
        VALUES ({_NEW_GROUP}, 0, 0, 0)
        ON CONFLICT ({_COLUMNS}) DO NOTHING;
        {_ADD_NEW}
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql""",
    f"""
CREATE OR REPLACE FUNCTION deals_tally_truncated() RETURNS trigger AS $$
BEGIN
    DELETE FROM {TABLE};
    RETURN NULL;
END
$$ LANGUAGE plpgsql""",
    "CREATE TRIGGER deals_tally_insert_delete AFTER INSERT OR DELETE ON deals_deal "
    "FOR EACH ROW EXECUTE FUNCTION deals_tally_row()",
    "CREATE TRIGGER deals_tally_update AFTER UPDATE ON deals_deal "
    f"FOR EACH ROW WHEN ({_CHANGED}) EXECUTE FUNCTION deals_tally_row()",
    "CREATE TRIGGER deals_tally_truncate AFTER TRUNCATE ON deals_deal "
    "FOR EACH STATEMENT EXECUTE FUNCTION deals_tally_truncated()",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS deals_tally_insert_delete ON deals_deal",
    "DROP TRIGGER IF EXISTS deals_tally_update ON deals_deal",
    "DROP TRIGGER IF EXISTS deals_tally_truncate ON deals_deal",
]

_SQLITE_ENSURE_NEW = f"INSERT OR IGNORE INTO {TABLE} ({_COLUMNS}, money, power, deals) " + (
    f"VALUES ({_NEW_GROUP}, 0, 0, 0);"
)
SQLITE_INSTALL = [
    f"CREATE TRIGGER deals_tally_insert AFTER INSERT ON deals_deal BEGIN "
    f"{_SQLITE_ENSURE_NEW} {_ADD_NEW} END",
    f"CREATE TRIGGER deals_tally_delete AFTER DELETE ON deals_deal BEGIN {_SUBTRACT_OLD} END",
    f"CREATE TRIGGER deals_tally_update AFTER UPDATE ON deals_deal WHEN {_CHANGED} BEGIN "
    f"{_SUBTRACT_OLD} {_SQLITE_ENSURE_NEW} {_ADD_NEW} END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS deals_tally_insert",
    "DROP TRIGGER IF EXISTS deals_tally_delete",
    "DROP TRIGGER IF EXISTS deals_tally_update",
]

REBUILD = [
    f"DELETE FROM {TABLE}",
    f"INSERT INTO {TABLE} ({_COLUMNS}, money, power, deals) "
    f"SELECT {_COLUMNS}, COALESCE(SUM(amount_usd), 0), COALESCE(SUM(power_gw), 0), COUNT(*) "
    f"FROM deals_deal GROUP BY {_COLUMNS}",
]


def _statements(connection, postgresql: list[str], sqlite: list[str]) -> list[str]:
    if connection.vendor == "postgresql":
        return postgresql
    if connection.vendor == "sqlite":
        return sqlite
    raise NotImplementedError(f"The deal tally has no triggers for {connection.vendor}.")


def _execute(connection, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(connection=default_connection) -> None:
    """Create the triggers (replacing any there are) and fill the tally from the deals."""
    _execute(connection, _statements(connection, POSTGRESQL_DROP, SQLITE_DROP))
    _execute(connection, _statements(connection, POSTGRESQL_INSTALL, SQLITE_INSTALL))
    rebuild(connection)


def uninstall(connection=default_connection) -> None:
    """Drop the triggers (the migration's reverse)."""
    _execute(connection, _statements(connection, POSTGRESQL_DROP, SQLITE_DROP))


def rebuild(connection=default_connection) -> None:
    """Recompute the tally from every deal: one GROUP BY (seconds at a million deals). Run it
    in the transaction of the load it follows, so no reader sees it half done."""
    _execute(connection, REBUILD)


@contextmanager
def paused(connection=default_connection, *, enabled: bool = True):
    """Set the triggers aside for a bulk load (a million trigger calls cost more than one
    GROUP BY), then put them back and rebuild the tally. Run it inside the load's transaction:
    a failed load rolls the drop back with everything else."""
    if not enabled:
        yield
        return
    uninstall(connection)
    yield
    install(connection)
