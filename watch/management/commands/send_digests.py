"""`manage.py send_digests`: email each follower what changed since their last digest.

Cron-friendly: idempotent (each follow remembers up to when it has been told; a second run
sends nothing twice), quiet but for one line of counts, non-zero exit only on failure.
"""

from django.core.management.base import BaseCommand, CommandError

from watch.services import send_digests

COUNTED = (
    "sent",
    "nothing new",
    "not sent (unsubscribed, inactive or no address)",
    "new deals",
    "status changes",
    "corrected figures",
    "failed",
)


class Command(BaseCommand):
    help = (
        "Email every follower the new deals, status changes and corrected figures since "
        "their last digest."
    )

    def handle(self, *args, **options):
        counts = send_digests()
        self.stdout.write("digests " + ", ".join(f"{name}: {counts[name]}" for name in COUNTED))
        if counts["failed"]:
            # cron mails a failing job's output; the next run retries the readers not reached.
            raise CommandError(f"{counts['failed']} digest(s) could not be sent; see the log.")
