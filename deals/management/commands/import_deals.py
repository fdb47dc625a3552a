"""`manage.py import_deals FILE`: load an export document, all or nothing (deals/importing/)."""

from django.core.management.base import BaseCommand, CommandError

from deals.importing import ImportRefused, import_document, max_bytes, read_file
from deals.pages import warm


def megabytes(text: str) -> int:
    value = float(text)
    if value <= 0:
        raise ValueError(text)
    return int(value * 1024 * 1024)


class Command(BaseCommand):
    help = (
        "Import an export document (the JSON of export_deals) into the database. The file is "
        "checked against docs/export.schema.json and every record against the models; one bad "
        "record and nothing is imported. Only new ids are accepted (see docs/export.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON file written by export_deals.")
        parser.add_argument(
            "--max-size",
            type=megabytes,
            default=None,
            metavar="MB",
            help=f"Refuse larger files (default {max_bytes() // (1024 * 1024)} MB).",
        )

    def handle(self, *args, file, max_size, **options):
        try:
            document = read_file(file, limit=max_size)
            result = import_document(document)
        except ImportRefused as error:
            raise CommandError(f"Nothing was imported. {error}") from error
        self.stdout.write(f"Imported {result}.")
        # The saves moved the generation; the new figures are built now, so no reader waits.
        warm.warm_shared_cache()
