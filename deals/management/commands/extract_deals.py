"""python manage.py extract_deals FILE: the deals an article reports, as JSON drafts."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from deals.extraction.llm import extract_article
from deals.extraction.reading import UnreadableArticle, check_size, decode_article


def read_article(path: Path) -> tuple[str, str]:
    """The text of `path` and the encoding it was read with; CommandError if unusable."""
    if not path.exists():
        raise CommandError(f"No such file: {path}")
    if not path.is_file():
        raise CommandError(f"Not a file: {path}")
    try:
        check_size(path.stat().st_size)
        return decode_article(path.read_bytes())
    except UnreadableArticle as error:
        raise CommandError(f"{path}: {error}") from error


class Command(BaseCommand):
    help = (
        "Read an article (Arabic or English text file) and print the deals it reports as JSON "
        "drafts for review: type, from, to, amount_usd, amount_qualifier, power_gw, "
        "term_years, status, chips, cloud, quote. Companies are given by id where known and "
        "by the article's spelling where not (those are also listed under new_companies)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to a UTF-8 (or Windows-1256) text file.")

    def handle(self, *args, file, **options):
        path = Path(file)
        text, encoding = read_article(path)
        if encoding == "cp1256":
            self.stderr.write(f"Read {path} as Windows-1256 (cp1256), not UTF-8.")
        extraction = extract_article(text)
        for note in extraction.notes:
            self.stderr.write(note)
        self.stdout.write(json.dumps(extraction.as_json(), ensure_ascii=False, indent=2))
