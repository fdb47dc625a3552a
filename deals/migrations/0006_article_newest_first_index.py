from django.db import migrations

# Search walks the articles newest first (`ORDER BY published_on DESC, slug`, Article's own
# ordering) and stops after a page of matches; without this index the database reads and
# sorts every article's text first. Plain SQL that SQLite and PostgreSQL both accept. It is
# not declared in Article.Meta.indexes because deals/models.py belongs to another change in
# flight; moving it there later needs a SeparateDatabaseAndState migration with this name.
CREATE = "CREATE INDEX article_newest_idx ON deals_article (published_on DESC, slug)"
DROP = "DROP INDEX article_newest_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("deals", "0005_article_title_index"),
    ]

    operations = [migrations.RunSQL(CREATE, reverse_sql=DROP)]
