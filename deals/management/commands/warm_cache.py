"""`manage.py warm_cache` (`make warm_cache`): build the pages that sum over every deal now.

Run it after a deploy or a bulk load so that no reader computes them on a request. With Redis
the pages built here serve every worker and machine; with the local-memory cache they serve
only this process, and each server process warms itself on its first request instead
(deals/pages/warm.py). Either way it prints how long each part took.
"""

from django.core.management.base import BaseCommand

from deals.pages import warm


class Command(BaseCommand):
    help = (
        "Build the cached overview, graph, company totals, filter choices and first timeline "
        "page in every language, so that no reader waits for them; prints each part's time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--language",
            action="append",
            dest="languages",
            metavar="CODE",
            help="Only this language (repeat for several; default: every language).",
        )

    def handle(self, *args, languages=None, **options):
        timings = warm.warm(languages)
        for part, language, seconds in timings:
            self.stdout.write(f"{part} ({language}): {seconds:.2f} s")
        total = sum(seconds for *_, seconds in timings)
        self.stdout.write(f"in all: {total:.2f} s")
        if not warm.cache_is_shared() and options["verbosity"] > 1:
            self.stderr.write(
                "The cache is this process's local memory: server processes warm their own "
                "on their first request. Set REDIS_URL to share one cache."
            )
