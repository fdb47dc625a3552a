"""The synthetic rows already in a database: counted, and deleted set-based."""

# S608: table names come from model metadata; values are parameters.
# ruff: noqa: S608

from django.db import connections

from companies.models import ChipPlatform, CloudPlatform, Company, CompanyAlias
from deals import tally
from deals.models import (
    Article,
    Deal,
    DealCitation,
    DealStatusChange,
    DealTranche,
    Valuation,
    ValuationCitation,
)

SYNTHETIC_FILTERS = {
    Company: "syn-co-",
    Deal: "syn-deal-",
    Article: "syn-art-",
    CloudPlatform: "syn-cloud-",
    ChipPlatform: "syn-chip-",
}


def existing_synthetic(using: str = "default") -> dict[str, int]:
    """How many synthetic rows of each kind the database holds (slug prefix `syn-`)."""
    return {
        model._meta.model_name: model.objects.using(using).filter(slug__startswith=p).count()
        for model, p in SYNTHETIC_FILTERS.items()
    }


def flush_synthetic(using: str = "default") -> None:
    """Delete every synthetic row with set-based DELETEs (no rows loaded into Python)."""
    connection = connections[using]
    qn = connection.ops.quote_name

    def table(model):
        return qn(model._meta.db_table)

    deal_ids = f"SELECT id FROM {table(Deal)} WHERE slug LIKE %s"  # noqa: S608
    company_ids = f"SELECT id FROM {table(Company)} WHERE slug LIKE %s"  # noqa: S608
    through = Deal.chip_platforms.through
    statements = [
        (f"DELETE FROM {table(DealCitation)} WHERE deal_id IN ({deal_ids})", "syn-deal-%"),
        (f"DELETE FROM {table(DealStatusChange)} WHERE deal_id IN ({deal_ids})", "syn-deal-%"),
        (f"DELETE FROM {table(DealTranche)} WHERE deal_id IN ({deal_ids})", "syn-deal-%"),
        (f"DELETE FROM {table(through)} WHERE deal_id IN ({deal_ids})", "syn-deal-%"),
        (f"DELETE FROM {table(Deal)} WHERE slug LIKE %s", "syn-deal-%"),
        (
            f"DELETE FROM {table(ValuationCitation)} WHERE valuation_id IN (SELECT id FROM "
            f"{table(Valuation)} WHERE company_id IN ({company_ids}))",
            "syn-co-%",
        ),
        (f"DELETE FROM {table(Valuation)} WHERE company_id IN ({company_ids})", "syn-co-%"),
        (f"DELETE FROM {table(Article)} WHERE slug LIKE %s", "syn-art-%"),
        (f"DELETE FROM {table(CloudPlatform)} WHERE slug LIKE %s", "syn-cloud-%"),
        (f"DELETE FROM {table(ChipPlatform)} WHERE slug LIKE %s", "syn-chip-%"),
        (f"DELETE FROM {table(CompanyAlias)} WHERE company_id IN ({company_ids})", "syn-co-%"),
        (f"UPDATE {table(Company)} SET parent_id = NULL WHERE slug LIKE %s", "syn-co-%"),
        (f"DELETE FROM {table(Company)} WHERE slug LIKE %s", "syn-co-%"),
    ]
    # A million deal deletes would each move the tally: set its triggers aside, rebuild once.
    with tally.paused(connection), connection.cursor() as cursor:
        for sql, pattern in statements:
            cursor.execute(sql, [pattern])
