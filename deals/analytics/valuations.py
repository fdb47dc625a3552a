"""A company's valuations as a frame, built straight from the ORM's values."""

import pandas as pd

from deals.models import Valuation

VALUATION_COLUMNS = ["as_of", "amount_usd", "amount_qualifier", "is_projection"]


def valuation_frame(company) -> pd.DataFrame:
    """The company's disclosed valuations, oldest first: as_of, amount_usd (float), …."""
    rows = (
        Valuation.objects.filter(company=company, amount_usd__isnull=False)
        .order_by("as_of", "pk")
        .values_list(*VALUATION_COLUMNS)
        .iterator()
    )
    frame = pd.DataFrame.from_records(list(rows), columns=VALUATION_COLUMNS)
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    frame["amount_usd"] = frame["amount_usd"].astype(float)
    frame["is_projection"] = frame["is_projection"].astype(bool)
    return frame
