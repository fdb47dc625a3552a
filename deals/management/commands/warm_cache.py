"""`manage.py warm_cache` (`make warm_cache`): build the pages that sum over every deal now.

Run it after a deploy or a bulk load so that no reader computes them on a request. With Redis
the pages built here serve every worker and machine; with the local-memory cache they serve
only this process, and each server process warms itself on its first request instead
(deals/pages/warm.py). Either way it prints how long each part took.

`--follow` keeps it running beside the app servers (with Redis): it rebuilds the big pages each
time the data change, for every server, and while it runs the servers leave that work to it
(`pages.warm.follow`).
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

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
        parser.add_argument(
            "--follow",
            action="store_true",
            help="Keep running: rebuild after every change, for every server sharing the "
            "cache (needs REDIS_URL); the servers then leave that work to this process.",
        )

    def handle(self, *args, languages=None, follow=False, **options):
        if follow:
            self._follow()
            return
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

    def _follow(self):
        if not warm.cache_is_shared():
            raise CommandError(
                "--follow needs a cache the servers share: set REDIS_URL. With the local-memory "
                "cache each server process warms its own pages."
            )
        self.stdout.write("Rebuilding the big pages after every change (Ctrl-C stops).")

        def log(message, *args):
            self.stdout.write(f"{datetime.datetime.now():%H:%M:%S} {message % args}")
            self.stdout.flush()  # a log file, not a terminal: each round as it ends

        try:
            warm.follow(log=log)
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
