"""`manage.py export_deals`: the public export as JSON (stdout or a file) or CSV tables."""

import json

from django.core.management.base import BaseCommand, CommandError

from deals.export import export_document, write_csv


class Command(BaseCommand):
    help = (
        "Export every deal with its companies, platforms, data centres, articles and valuations. "
        "JSON (described by docs/export.schema.json) goes to stdout unless --output names a "
        "file; --format csv --output DIR writes one CSV file per table into DIR."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument(
            "--output",
            "-o",
            metavar="PATH",
            help="JSON: a file to write instead of stdout. CSV (required): a directory.",
        )
        parser.add_argument(
            "--indent",
            type=int,
            default=2,
            help="JSON indentation in spaces (default 2; 0 for one line per value, -1 compact).",
        )

    def handle(self, *args, format, output, indent, **options):
        if format == "csv" and not output:
            raise CommandError("--format csv needs --output DIR: the directory for the CSV files.")
        document = export_document()
        if format == "csv":
            try:
                paths = write_csv(document, output)
            except OSError as error:
                raise CommandError(
                    f"Cannot write CSV files into {output!r}: {error.strerror or error}."
                ) from error
            self.stderr.write(f"Wrote {len(paths)} CSV files to {output}.")
            return
        text = json.dumps(
            document,
            ensure_ascii=False,
            indent=None if indent < 0 else indent,
            separators=(",", ":") if indent < 0 else None,
        )
        if not output:
            self.stdout.write(text)
            return
        try:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        except OSError as error:
            raise CommandError(f"Cannot write {output!r}: {error.strerror or error}.") from error
        self.stderr.write(f"Wrote {output}.")
