"""`manage.py seed` (what `make run` loads): the seed fixture, each record with its history begun.

`loaddata` saves a fixture's records raw, so django-simple-history records no creation: a
seeded deal would show no history until its first edit (only a stray "changed" entry when
loaddata sets its chips), and that first edit would have nothing to be compared with
(watch/digest.py finds a corrected figure between two history records). So the fixture is
loaded with the history switched off, and then every record of it whose model keeps a history
and that has no "created" entry yet gets the one a save would have written (with its
many-to-many rows), by no one ("system"), with the reason "created from the seed". Seeding
twice adds nothing the second time.

The entries are dated when the seed says its records were made (their `created_at`), not now:
a follower's digest covers what was recorded since the last one, and the seed's status history
is not news.
"""

import json
from collections import defaultdict
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_manager_for_model, get_m2m_field_name

SEED_FILE = "seed.json"
CHANGE_REASON = "created from the seed"


def seed_path() -> Path:
    for directory in settings.FIXTURE_DIRS:
        path = Path(directory) / SEED_FILE
        if path.is_file():
            return path
    raise CommandError(f"No {SEED_FILE} in FIXTURE_DIRS.")


def seed_records(rows: list[dict]) -> dict[str, list]:
    """The fixture's primary keys, by model label."""
    records = defaultdict(list)
    for row in rows:
        records[row["model"]].append(row["pk"])
    return records


def seeded_at(rows: list[dict]):
    """When the seed says its records were made: the earliest `created_at` it holds."""
    stamps = [
        parse_datetime(row["fields"]["created_at"]) for row in rows if "created_at" in row["fields"]
    ]
    return min(stamps, default=None) or timezone.now()


def begin_history(model, pks: list, when) -> int:
    """Record the "created" entry of each record `pks` of `model` that has none yet."""
    try:
        history = get_history_manager_for_model(model)
    except NotHistoricalModelError:
        return 0
    pk_name = model._meta.pk.attname
    created = history.filter(**{f"{pk_name}__in": pks}, history_type="+")
    recorded = set(created.values_list(pk_name, flat=True))
    instances = list(model._default_manager.filter(pk__in=set(pks) - recorded))
    entries = history.bulk_history_create(
        instances, default_change_reason=CHANGE_REASON, default_date=when
    )
    by_record = {getattr(entry, pk_name): entry for entry in entries}
    for field in getattr(history.model, "_history_m2m_fields", ()):
        _record_m2m(history.model, field, by_record)
    return len(instances)


def _record_m2m(history_model, field, by_record: dict) -> None:
    """The entries' many-to-many rows of `field` (as simple-history writes them on a save), so
    that reverting to a seed entry keeps, say, a deal's chips."""
    m2m_history = getattr(history_model, field.name).model
    through = field.remote_field.through
    owner = get_m2m_field_name(field)
    names = [through_field.name for through_field in through._meta.fields]
    rows = through.objects.filter(**{f"{owner}__in": list(by_record)})
    m2m_history.objects.bulk_create(
        m2m_history(
            history=by_record[getattr(row, f"{owner}_id")],
            **{name: getattr(row, name) for name in names},
        )
        for row in rows
    )


class Command(BaseCommand):
    help = "Load the seed (fixtures/seed.json) and record each seeded record's first history entry."

    def handle(self, *args, **options):
        path = seed_path()
        rows = json.loads(path.read_bytes())
        with transaction.atomic():
            # Else loaddata's setting of many-to-many fields records a change of each record.
            with override_settings(SIMPLE_HISTORY_ENABLED=False):
                call_command("loaddata", str(path), verbosity=options["verbosity"])
            when = seeded_at(rows)
            begun = sum(
                begin_history(apps.get_model(label), pks, when)
                for label, pks in seed_records(rows).items()
            )
        if options["verbosity"]:
            self.stdout.write(f"History begun for {begun} seeded records.")
