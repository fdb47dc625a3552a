"""The deal tally (`deals.tally`): the database keeps the headline's sums in each write, so the
overview's headline is exact once a write commits, whoever made it, without a rebuild."""

import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.test.utils import CaptureQueriesContext

from deals import analytics, tally
from deals.models import Deal, DealStatus, DealTally, DealType, Qualifier
from tests.factories import DealFactory

GROUP = ["deal_type", "status", "amount_qualifier", "power_qualifier"]


def tally_rows() -> set[tuple]:
    return {
        (*row[:4], Decimal(row[4]).quantize(Decimal("0.01")), row[5])
        for row in DealTally.objects.filter(deals__gt=0).values_list(*GROUP, "money", "deals")
    }


def grouped_rows() -> set[tuple]:
    rows = (
        Deal.objects.order_by()
        .values_list(*GROUP)
        .annotate(money=Coalesce(Sum("amount_usd"), Decimal(0)), count=Count("pk"))
    )
    return {(*row[:4], Decimal(row[4]).quantize(Decimal("0.01")), row[5]) for row in rows}


def test_the_migration_filled_the_tally_from_the_seed(seeded):
    assert Deal.objects.exists()
    assert tally_rows() == grouped_rows()


def test_every_kind_of_write_keeps_the_tally_exact(seeded):
    deal = DealFactory(amount_usd=Decimal("7000000000"))
    assert tally_rows() == grouped_rows()
    # A save that moves the deal to another group (status, qualifier, amount).
    deal.status = DealStatus.SIGNED
    deal.amount_usd = Decimal("9000000000")
    deal.amount_qualifier = Qualifier.UP_TO
    deal.save()
    assert tally_rows() == grouped_rows()
    # An undisclosed amount: counted, adds nothing.
    deal.amount_usd, deal.amount_qualifier = None, Qualifier.UNDISCLOSED
    deal.save()
    assert tally_rows() == grouped_rows()
    # Writes that bypass the models' signals: a queryset update and raw SQL.
    Deal.objects.filter(deal_type=DealType.INVESTMENT).update(status=DealStatus.COMPLETED)
    assert tally_rows() == grouped_rows()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE deals_deal SET status = 'cancelled' WHERE id = %s", [deal.pk])
    assert tally_rows() == grouped_rows()
    # A save that changes nothing the tally holds.
    deal.refresh_from_db()
    deal.summary = "Edited words only."
    deal.save()
    assert tally_rows() == grouped_rows()
    Deal.objects.filter(pk=deal.pk).delete()
    assert tally_rows() == grouped_rows()


def test_a_rolled_back_write_leaves_the_tally_as_it_was(seeded):
    before = tally_rows()
    with pytest.raises(RuntimeError), transaction.atomic():
        DealFactory(amount_usd=Decimal("5000000000"))
        raise RuntimeError("the editor's form failed")
    assert tally_rows() == before == grouped_rows()


def test_a_paused_bulk_load_rebuilds_the_tally(seeded):
    with transaction.atomic(), tally.paused():
        DealFactory.create_batch(3, amount_usd=Decimal("2000000000"))
        # While paused the triggers are off: the tally lags the deals...
        assert tally_rows() != grouped_rows()
    # ... and is rebuilt when the load ends.
    assert tally_rows() == grouped_rows()
    DealFactory(amount_usd=Decimal("1000000000"))  # the triggers are back
    assert tally_rows() == grouped_rows()


def test_the_headline_from_the_tally_equals_the_sums_over_the_deals(seeded):
    DealFactory(amount_usd=Decimal("3000000000"), amount_qualifier=Qualifier.MORE_THAN)
    DealFactory(amount_usd=None, amount_qualifier=Qualifier.UNDISCLOSED)
    DealFactory(
        deal_type=DealType.COMPUTE_COMMITMENT,
        power_gw=Decimal("1.5"),
        power_qualifier=Qualifier.ABOUT,
        status=DealStatus.CANCELLED,
    )
    assert analytics.headline_of_every_deal() == analytics.headline_figures(Deal.objects.all())


def stated_investments(client) -> int:
    html = client.get("/").content.decode()
    return int(re.search(r"([\d,]+) of them with a stated amount", html)[1].replace(",", ""))


def test_the_overview_headline_shows_a_write_made_behind_the_sites_back(client, seeded):
    before = stated_investments(client)
    deal = Deal.objects.filter(
        deal_type=DealType.INVESTMENT, amount_usd__isnull=False, status=DealStatus.COMPLETED
    ).first()
    # Raw SQL moves no generation and sends no signal: only the tally can know.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE deals_deal SET amount_usd = NULL, amount_qualifier = 'undisclosed' "
            "WHERE id = %s",
            [deal.pk],
        )
    assert stated_investments(client) == before - 1


def test_the_headline_reads_a_few_tally_rows_whatever_the_number_of_deals(client, seeded):
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    DealFactory.create_batch(20)
    client.get("/")
    with CaptureQueriesContext(connection) as more:
        client.get("/")
    assert len(more) == len(few)
    tally_reads = [q["sql"] for q in more if "deals_dealtally" in q["sql"]]
    assert len(tally_reads) == 1


def test_synthetic_loads_and_flushes_keep_the_tally_exact(db):
    quiet = {"no_progress": True, "stdout": io.StringIO()}
    call_command("seed_synthetic", companies=20, deals=300, seed=1, **quiet)
    assert Deal.objects.count() == 300
    assert tally_rows() == grouped_rows()
    # --flush deletes the earlier rows with the triggers set aside, then rebuilds the tally.
    call_command("seed_synthetic", companies=20, deals=120, seed=2, flush=True, **quiet)
    assert Deal.objects.count() == 120
    assert tally_rows() == grouped_rows()
