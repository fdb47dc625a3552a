"""On PostgreSQL, the indexes the deal admin needs at a million deals.

- `deal_text_trgm_idx`: a trigram index over the deal's id and its summaries in both
  languages, holding the same UPPER(...) expressions as Django's icontains, so the admin's
  search by words of the id or summary reads the index rather than every deal (three letters
  or more: `deals/selectors/admin_search.py`).
- `deal_newest_first_idx`: (announced_on DESC NULLS LAST, id DESC), the deals' default order.
  The timeline index is DESC, which PostgreSQL keeps NULLS FIRST, so the admin's deal list,
  newest first with undated deals last, sorted every deal to show the first hundred.

pg_trgm is created as in 0007 (a trusted extension); if this database's user may not create
it, search still works, reading the text, and this says so. SQLite has no such indexes and
needs none at the sizes it serves: nothing happens there.
"""

from django.db import migrations, transaction

TEXT_INDEX = "deal_text_trgm_idx"
ORDER_INDEX = "deal_newest_first_idx"


def _has_trigrams(connection) -> bool:
    try:
        # A savepoint, so a refusal leaves the migration's transaction usable.
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as error:  # noqa: BLE001 - any refusal means the same: no index
        print(
            f"\n  pg_trgm could not be created ({error}): the deal admin searches summaries "
            "without an index. Once a database owner has run CREATE EXTENSION pg_trgm, "
            "`migrate deals 0009_datacenter_location` then `migrate` creates it."
        )
        return False
    return True


def create_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {ORDER_INDEX} ON deals_deal "
            "(announced_on DESC NULLS LAST, id DESC)"
        )
    if _has_trigrams(connection):
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {TEXT_INDEX} ON deals_deal USING gin "
                "(UPPER(slug::text) gin_trgm_ops, UPPER(summary) gin_trgm_ops, "
                "UPPER(summary_ar) gin_trgm_ops)"
            )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {TEXT_INDEX}")
            cursor.execute(f"DROP INDEX IF EXISTS {ORDER_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("deals", "0009_datacenter_location"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
