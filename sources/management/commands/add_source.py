"""python manage.py add_source --name NAME --feed URL: watch a news source."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sources.models import Source


class Command(BaseCommand):
    help = "Watch a news feed (--feed) or page (--page); fetch_sources reads it from then on."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="The outlet's name, e.g. 'Asharq'.")
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--feed", help="An RSS or Atom feed URL.")
        where.add_argument("--page", help="A page URL: its feed is found from its links.")
        parser.add_argument(
            "--language", choices=["ar", "en"], default="", help="Default: told from each text."
        )

    def handle(self, *args, name, feed=None, page=None, language="", **options):
        if Source.objects.filter(name=name).exists():
            raise CommandError(f"A source named “{name}” exists already; edit it in the admin.")
        source = Source(name=name, feed_url=feed or "", page_url=page or "", language=language)
        try:
            source.full_clean()
        except ValidationError as error:
            problems = "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
            )
            raise CommandError(f"Not added: {problems}") from error
        source.save()
        self.stdout.write(f"Watching {source.name}: {source.url}")
