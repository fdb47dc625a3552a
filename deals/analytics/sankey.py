"""The Sankey's links: money from investors to labs to clouds to chip vendors."""

import pandas as pd

from companies.models import Company

from .common import pick_name


def sankey_links(flows: list[dict], language: str | None = None, per_stage: int = 30):
    """Money from investors to labs to clouds to chip vendors, from `money_flows.flow_edges`.

    A company can sit in two stages (Microsoft invests and sells cloud); each stage gets its own
    node. Chip links count the compute bought on a vendor's chips (what the deal is worth, not
    what the vendor is paid, which the sources do not give). 1 query for the names.
    """
    stages = {
        "investment": ("investor", "lab"),
        "compute": ("lab", "cloud"),
        "runs_on": ("cloud", "chips"),
        "chips": ("cloud", "chips"),
    }
    columns = ["kind", "source_stage", "source", "target_stage", "target", "amount", "deals"]
    frame = pd.DataFrame.from_records(
        [
            (
                flow["kind"],
                *stages[flow["kind"]][:1],
                flow["source"],
                stages[flow["kind"]][1],
                flow["target"],
                float(flow["amount"]),
                flow["deals"],
            )
            for flow in flows
        ],
        columns=columns,
    )
    if frame.empty:
        return frame.assign(source_name=[], target_name=[])
    frame = (
        frame.sort_values("amount", ascending=False)
        .groupby("kind", sort=False)
        .head(per_stage)
        .reset_index(drop=True)
    )
    ids = set(frame["source"]) | set(frame["target"])
    names = pd.DataFrame.from_records(
        list(Company.objects.filter(pk__in=ids).values_list("pk", "name", "name_ar")),
        columns=["pk", "name", "name_ar"],
    )
    names = pd.Series(pick_name(names, "", language).to_numpy(), index=names["pk"])
    frame["source_name"] = frame["source"].map(names)
    frame["target_name"] = frame["target"].map(names)
    return frame
