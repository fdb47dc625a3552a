from django.db import migrations, models


class Migration(migrations.Migration):
    """Search walks the articles newest first (`ORDER BY published_on DESC, slug`, Article's
    own ordering) and stops after a page of matches; without this index the database reads and
    sorts every article's text first."""

    dependencies = [
        ("deals", "0005_article_title_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["-published_on", "slug"], name="article_newest_idx"),
        ),
    ]
