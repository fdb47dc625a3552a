"""Page parts kept as their HTML (deals/pages/fragments.py): the same page, written out once.

The cached parts are rendered when their entry is built, in the entry's language; the charts
drawn from the tally are drawn once for the same sums and follow the sums at once.
"""

import re
from decimal import Decimal

from deals.models import Deal, DealType
from deals.pages import fragments


def promises_table(html: str) -> str:
    start = html.index('id="promises"')
    table = html[html.index("<table", start) : html.index("</table>", start)]
    return " ".join(re.sub(r"<[^>]+>", " ", table).split())


def test_the_promises_chart_follows_the_tally_at_once(client, seeded):
    before = promises_table(client.get("/").content.decode())
    deal = Deal.objects.filter(deal_type=DealType.INVESTMENT, amount_usd__isnull=False).first()
    # A write that no signal sees (the tally's triggers do): the headline moves, so must this.
    Deal.objects.filter(pk=deal.pk).update(amount_usd=deal.amount_usd + Decimal(10**13))
    after = promises_table(client.get("/").content.decode())
    trillions = re.compile(r"\$[\d.]+T")
    assert trillions.search(after) and not trillions.search(before)


def test_the_same_sums_are_drawn_once(client, seeded, monkeypatch):
    drawn = []
    real = fragments.standing_chart
    monkeypatch.setattr(
        fragments, "standing_chart", lambda *args: drawn.append(args[0]) or real(*args)
    )
    first = promises_table(client.get("/").content.decode())
    second = promises_table(client.get("/").content.decode())
    assert drawn == ["promises"]
    assert first == second


def test_a_cached_part_is_rendered_in_its_readers_language_and_direction(client, seeded):
    english = client.get("/").content.decode()
    arabic = client.get("/ar/").content.decode()
    for html, arrow, other in ((english, "→", "←"), (arabic, "←", "→")):
        loops = html[
            html.index('id="loops-title"') : html.index(
                "</section>", html.index('id="loops-title"')
            )
        ]
        assert 'class="loop card"' in loops  # the seed's deals close loops
        assert arrow in loops and other not in loops
    assert "Deal flow over time" in english and "Deal flow over time" not in arabic


def graph_block(html: str) -> str:
    start = html.index('id="investment-graph"')
    return html[start : html.index("</figure>", start)]


def test_one_warm_round_draws_each_languages_graph_with_its_own_names(client, seeded):
    from deals.pages import warm

    warm.warm()  # both languages from one pair of frames
    english = graph_block(client.get("/graph/").content.decode())
    arabic = graph_block(client.get("/ar/graph/").content.decode())
    # The table's cells (the hover texts quote the seed's Arabic article titles in both).
    assert ">Anthropic<" in english and ">أنثروبيك<" not in english
    assert ">أنثروبيك<" in arabic and ">Anthropic<" not in arabic
