"""On PostgreSQL, a trigram index over articles' titles and texts, for search.

Search asks `UPPER(title) LIKE UPPER('%word%') OR UPPER(body) LIKE ...` (Django's
icontains); without this index a word in few articles reads all their text (1.2 s for
50,000 articles). The index holds the same UPPER(...) expressions, so PostgreSQL uses it for
words of three letters or more. pg_trgm ships with PostgreSQL and is a trusted extension
(PostgreSQL 13 and later): the database's owner may create it without being a superuser. If
this database's user may not, search still works, reading the text, and this says so.
SQLite has no such index: nothing happens there.
"""

from django.db import migrations, transaction

INDEX = "article_text_trgm_idx"


def create_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        # A savepoint, so a refusal leaves the migration's transaction usable.
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as error:  # noqa: BLE001 - any refusal means the same: no index
        print(
            f"\n  pg_trgm could not be created ({error}): search reads article texts "
            "without an index. Once a database owner has run CREATE EXTENSION pg_trgm, "
            "`migrate deals 0006` then `migrate` creates it."
        )
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON deals_article USING gin "
            "(UPPER(title::text) gin_trgm_ops, UPPER(body) gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("deals", "0006_article_newest_first_index"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
