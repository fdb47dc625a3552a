"""Every page measured in this process, on the configured database: a quick look without
`make bench`'s databases, Datasette or worker processes.

    from bench.pages import pages_for, format_table
    from bench.worker import measure
    print(format_table([measure(path, repeat=10) for path in pages_for()]))

`python manage.py shell -c "from bench.pages import main; main()"` prints the table for every
page; `main(["/graph/"], repeat=5)` for some. `measure` (bench/worker.py) is the one used by
`make bench`: a cold request with the cache emptied, then warm timed ones.
"""

import json

from .worker import Measurement, measure


def pages_for() -> list[str]:
    """Every page worth measuring, with real ids: the company in the most deals (hub), one in
    the fewest (tail), the hub's latest deal and an article citing it."""
    from django.db.models import Count

    from companies.models import Company
    from deals.models import Article, Deal

    paid = dict(
        Deal.objects.order_by().values_list("payer").annotate(n=Count("pk")).order_by("-n")[:50]
    )
    received = dict(
        Deal.objects.order_by().values_list("payee").annotate(n=Count("pk")).order_by("-n")[:50]
    )
    totals = {pk: paid.get(pk, 0) + received.get(pk, 0) for pk in {*paid, *received}}
    hub = Company.objects.filter(pk=max(totals, key=totals.get)).first() if totals else None
    tail = (
        Company.objects.filter(deals_paid__isnull=False)
        .order_by("-pk")
        .exclude(pk=getattr(hub, "pk", None))
        .first()
    )
    deal = Deal.objects.order_by("-pk").first()
    article = Article.objects.order_by("-pk").first()
    paths = ["/", "/deals/"]
    if hub:
        paths += [f"/deals/?company={hub.slug}", f"/companies/{hub.slug}/"]
    if tail:
        paths += [f"/deals/?company={tail.slug}"]
    paths += ["/graph/"]
    if hub:
        paths += [f"/graph/?company={hub.slug}"]
    if deal:
        paths += [f"/deals/{deal.slug}/"]
    paths += ["/companies/", "/companies/?sort=deals"]
    paths += ["/data-centres/"]
    if article:
        paths += [f"/articles/{article.slug}/"]
    paths += ["/search/?q=lab", "/export/deals.json", "/export/deals.csv"]
    if hub:
        paths += [f"/api/v1/deals/?company={hub.slug}"]
    if hub:
        paths += [f"/export/deals.json?company={hub.slug}"]
    return paths


def format_table(results: list[Measurement]) -> str:
    header = "| page | status | cold ms | median ms | p95 ms | CPU ms | queries (cold) | KB |"
    lines = [header, "|---|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(
            f"| `{r.path}` | {r.status} | {r.cold_ms:.0f} | {r.median_ms:.0f} | {r.p95_ms:.0f} "
            f"| {r.cpu_median_ms:.0f} | {r.queries} ({r.cold_queries}) | {r.bytes / 1024:.0f} |"
        )
    return "\n".join(lines)


def main(paths: list[str] | None = None, repeat: int = 10, as_json: bool = False) -> None:
    from django.test import Client

    # The dev settings allow localhost, not the test client's default "testserver".
    client = Client(HTTP_HOST="localhost")
    results = [measure(path, repeat=repeat, client=client) for path in (paths or pages_for())]
    if as_json:
        print(json.dumps(results, indent=2))
    else:
        print(format_table(results))
