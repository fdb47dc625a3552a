"""The Sankey's links: money from investors to labs to clouds and chip vendors, and the chips
the compute runs on (a layer of its own: no source reports a cloud paying a chip vendor)."""

import pandas as pd

from companies.models import Company

from .common import pick_name


def sankey_links(flows: list[dict], language: str | None = None, per_stage: int = 30):
    """Money from investors to labs to clouds and chip vendors, from `flows.flow_edges`.

    A company can sit in two stages (Microsoft invests and sells cloud); each stage gets its own
    node. Money paid: investments (investor → lab), compute bought (buyer → cloud) and chips
    bought (buyer → chip vendor). Apart from those, `runs_on` links go from a cloud to the
    vendor of the chips its compute runs on ("runs_on" stage): what the deal is worth, not what
    the vendor is paid, which the sources do not give. Each link keeps its honest `total` and
    its `statuses`; flows of undisclosed amount (`amount` 0) stay in for the table. 1 query for
    the names.
    """
    stages = {
        "investment": ("investor", "lab"),
        "compute": ("lab", "cloud"),
        "chips": ("lab", "chips"),
        "runs_on": ("cloud", "runs_on"),
    }
    columns = [
        "kind", "source_stage", "source", "target_stage", "target", "amount", "deals", "total",
        "statuses",
    ]  # fmt: skip
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
                flow.get("total"),
                flow.get("statuses", {}),
            )
            for flow in flows
        ],
        columns=columns,
    )
    if frame.empty:
        return frame.assign(source_name=[], target_name=[])
    frame = (
        frame.sort_values(["amount", "deals"], ascending=False)
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
