"""python manage.py fetch_sources: read every active news source once (cron-friendly)."""

import json

from django.core.management.base import BaseCommand, CommandError

from sources.collect import collect_all
from sources.models import Source


class Command(BaseCommand):
    help = (
        "Fetch each active news source, store new articles verbatim and propose the deals "
        "they report as drafts for review. Prints one JSON line per source: fetched, "
        "new_articles, drafts, errors. Running it again adds nothing already stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", help="Only the source with this name.")

    def handle(self, *args, source=None, **options):
        sources = Source.objects.filter(active=True)
        if source:
            sources = Source.objects.filter(name=source)
            if not sources.exists():
                raise CommandError(f"No source is named “{source}” (see the admin's sources).")
        for run in collect_all(sources):
            self.stdout.write(json.dumps(run.as_json(), ensure_ascii=False))
