"""Site search: companies, clouds, chips, data centres, deals and articles, in either script.

Names are matched on their normalised form (companies.text), so "انفيديا", "نفيديا",
"إنفيديا" and "NVIDIA" all find Nvidia. Deals are found through their parties, their cloud,
their chips or the start of their id; articles through their title, their text, or the deals
they are cited for; data centres by `selectors.datacentres.find_data_centres`.

Three rules keep every search short, whatever the size of the data:

- **Every group is read in a few queries** (how many depends on which ways of matching apply,
  never on the size of the data), each reading only the rows it shows along an index: at a
  million deals, one query with an OR across columns collects and sorts every matching deal
  (seconds for a hub), while one query per side stops at `limit` rows. Each group reads one
  row more than it shows, to say whether there are more, and nothing is counted.
- **A query of one or two letters matches names from their start only**, along the index of
  the folded spellings (`CompanyAlias.compact`), and finds articles only through the deals it
  finds: "contains" with so few letters matches nearly every name and no index serves it in
  article texts (1.3 s at a million deals on PostgreSQL before this rule).
- **A misspelt name is corrected only when the names as typed find nothing**
  (`selectors.spellings`): the caller passes the folded name list (cached per data
  generation by `deals.pages.search`), and the names within one or two edits are read by id.
  Articles are then found through the corrected names' deals: the misspelt word is in no
  text, and looking for it costs the most (0.56 s at a million deals for "kylenvi", whose
  trigrams most articles naming "Kylenvo" share).
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Exists, OuterRef, Q

from companies.models import ChipPlatform, CloudPlatform, Company, CompanyAlias
from companies.text import compact_name
from deals.models import Article, DataCenterProject, Deal, DealCitation

from .datacentres import find_data_centres
from .keyset import newest_first
from .spellings import CHIP, CLOUD, COMPANY, DATA_CENTRE, Spellings, allowed_edits, closest

MAX_QUERY_LENGTH = 200
# A query this long or shorter (folded, without spaces) matches names from their start only.
SHORT_QUERY = 2
# What a deal id (a SlugField) can contain; anything else cannot start one.
_DEAL_ID_CHARACTERS = re.compile(r"[-a-zA-Z0-9_]+")
# Sorts after every character: "x" <= anything starting with "x" < "x" + this.
_LAST_CHARACTER = "\U0010ffff"


@dataclass
class SearchResults:
    """Each group's first `limit` matches; `more` if any group has others."""

    query: str
    limit: int = 20
    companies: list = field(default_factory=list)
    clouds: list = field(default_factory=list)
    chips: list = field(default_factory=list)
    data_centres: list = field(default_factory=list)
    deals: list = field(default_factory=list)
    articles: list = field(default_factory=list)
    # The names were found by their closest spellings, not as typed.
    corrected: bool = False
    more: bool = False

    @property
    def total(self) -> int:
        """How many results are shown (not how many match: see `more`)."""
        groups = (self.companies, self.clouds, self.chips, self.data_centres)
        return sum(len(group) for group in (*groups, self.deals, self.articles))

    @property
    def names_found(self) -> bool:
        return bool(self.companies or self.clouds or self.chips or self.data_centres)

    def keep(self, group: str, rows: list) -> None:
        """Show the first `limit` of `rows` (read with one more, to know if there are more)."""
        setattr(self, group, rows[: self.limit])
        self.more = self.more or len(rows) > self.limit


def clean_query(raw: str | None) -> str:
    """The query on one line, without control characters (PostgreSQL refuses NUL in text)."""
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in (raw or ""))
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def search(
    *,
    query: str,
    limit: int = 20,
    articles: bool = True,
    spellings: Callable[[], Spellings] | None = None,
) -> SearchResults:
    """Everything whose name, alias or text matches `query`, each group capped at `limit`.

    `articles=False` skips the articles (reading article text is the slowest part of a
    search). `spellings`, if given, returns the folded name list that misspelt names are
    corrected against; it is called only when the names as typed find nothing and the
    query is long enough to correct.
    """
    results = SearchResults(query=query, limit=limit)
    key = compact_name(query)
    if not key:
        return results
    short = len(key) <= SHORT_QUERY
    over = limit + 1
    results.keep("companies", _matching_companies(query, key, short, over))
    clouds = CloudPlatform.objects.select_related("operator")
    results.keep("clouds", _matching_platforms(clouds, query, key, short)[:over])
    chips = ChipPlatform.objects.select_related("vendor")
    results.keep("chips", _matching_platforms(chips, query, key, short)[:over])
    results.keep("data_centres", find_data_centres(query, over))
    if spellings is not None and not results.names_found and allowed_edits(key):
        _correct(results, key, spellings(), over)
    results.keep("deals", _matching_deals(query, results, over))
    if articles:
        # A misspelt word is not in the texts either: its corrected names' deals cite them.
        by_text = not (short or results.corrected)
        results.keep("articles", _matching_articles(query, results.deals, over, by_text=by_text))
    return results


def _starting_with(field_name: str, prefix: str) -> Q:
    """Rows whose `field_name` starts with `prefix`, as typed, along the field's index.

    PostgreSQL serves "LIKE 'x%'" from the pattern index Django adds beside a unique or
    indexed text column, whatever the database's collation; SQLite's LIKE ignores case and so
    never uses an index, but its text sorts byte by byte, so the range [x, x + the last code
    point) holds exactly the values starting with x, and the LIKE only checks the range.
    """
    if connection.vendor == "postgresql":
        return Q(**{f"{field_name}__startswith": prefix})
    return Q(
        **{
            f"{field_name}__gte": prefix,
            f"{field_name}__lt": prefix + _LAST_CHARACTER,
            f"{field_name}__startswith": prefix,
        }
    )


def _matching_companies(query: str, key: str, short: bool, over: int) -> list[Company]:
    """Companies with a spelling containing `query`, or starting with it when it is short."""
    if short:
        spellings = CompanyAlias.objects.filter(_starting_with("compact", key))
        companies = Company.objects.filter(pk__in=spellings.values("company_id"))
    else:
        companies = Company.objects.matching(query)
    return list(companies.select_related("parent").order_by("name")[:over])


def _matching_platforms(platforms, query: str, key: str, short: bool) -> list:
    """Clouds or chip platforms (few: read and folded here) matching `query`."""
    if short:
        return [p for p in platforms if any(compact_name(n).startswith(key) for n in p.all_names)]
    return list(platforms.matching(query))


def _correct(results: SearchResults, key: str, spellings: Spellings, over: int) -> None:
    """Fill the name groups with the names nearest to `key`, nearest first (one query each)."""
    near = closest(key, spellings)
    if not near:
        return
    results.corrected = True
    groups = (
        ("companies", Company.objects.select_related("parent"), COMPANY),
        ("clouds", CloudPlatform.objects.select_related("operator"), CLOUD),
        ("chips", ChipPlatform.objects.select_related("vendor"), CHIP),
        ("data_centres", DataCenterProject.objects.select_related("operator"), DATA_CENTRE),
    )
    for group, rows, kind in groups:
        ids = near.get(kind, [])[:over]
        found = rows.in_bulk(ids) if ids else {}
        results.keep(group, [found[pk] for pk in ids if pk in found])


def _deal_id_prefix(query: str) -> Q | None:
    """Deals whose id starts with `query` as typed or in lower case; None if it cannot.

    A prefix, not a substring: "contains" reads every deal's id (a full scan at a million
    deals), while a prefix is a range of the id's unique index, and someone searching for a
    deal by id pastes or types it from its start.
    """
    if not _DEAL_ID_CHARACTERS.fullmatch(query):
        return None
    prefixes = sorted({query, query.lower()})
    return reduce(or_, (_starting_with("slug", prefix) for prefix in prefixes))


def _matching_deals(query: str, results: SearchResults, limit: int) -> list[Deal]:
    """The newest `limit` deals of the companies, clouds, chips and data centres found, or
    with that id.

    Like the timeline (keyset.newest_first), each way of matching is its own query along
    its own index, newest first, so each reads at most `limit` dated deals: the companies'
    (see `_party_ways`), (cloud, date), the sites', and the timeline index for chips and
    ids. Undated deals (few, and last in the timeline) are one query for all ways together.
    """
    party_ids = sorted(
        {company.pk for company in results.companies}
        | {cloud.operator_id for cloud in results.clouds}
    )
    ways = _party_ways(party_ids, limit) if party_ids else []
    if results.clouds:
        ways.append(Q(cloud__in=results.clouds))
    if results.data_centres:
        # A site has a handful of deals: its index gives them all, sorted in a moment.
        ways.append(Q(data_center__in=results.data_centres))
    if results.chips:
        # EXISTS rather than a join: a deal on two of the chips found is still one deal.
        runs_on_chips = Deal.chip_platforms.through.objects.filter(
            deal_id=OuterRef("pk"), chipplatform__in=results.chips
        )
        ways.append(Q(Exists(runs_on_chips)))
    id_prefix = _deal_id_prefix(query)
    if id_prefix is not None:
        ways.append(id_prefix)
    if not ways:
        return []
    # Only ids and dates, so that SQLite answers from the (payer, date) index alone when a
    # list of companies makes it collect and sort their deals instead of walking by date.
    shown = newest_first(
        [Deal.objects.filter(way) for way in ways], limit=limit, undated_together=True
    )
    deals = Deal.objects.select_related("payer", "payee").in_bulk([deal.pk for deal in shown])
    # A deal deleted between the two reads is simply absent.
    return [deals[deal.pk] for deal in shown if deal.pk in deals]


def _party_ways(party_ids: list[int], limit: int) -> list[Q]:
    """The deals paid or received by any of `party_ids`, as ways `newest_first` walks fast.

    SQLite collects and sorts the companies' deals along the (payer, date) and (payee, date)
    indexes. PostgreSQL, asked for "payer_id IN (…) ORDER BY date DESC LIMIT n", walks the
    whole timeline index instead when the companies' deals are old (5.9 s at a million deals
    for 20 companies whose deals stop in 2021), so there `_newest_party_deal_ids` reads the
    newest dated deals of each company and side along its own index, and the way is those
    ids plus the companies' undated deals.
    """
    if connection.vendor != "postgresql":
        return [Q(payer_id__in=party_ids), Q(payee_id__in=party_ids)]
    undated = Q(payer_id__in=party_ids) | Q(payee_id__in=party_ids)
    newest = _newest_party_deal_ids(party_ids, limit)
    return [Q(pk__in=newest) | (Q(announced_on__isnull=True) & undated)]


# For each company, its newest `limit` dated deals as payer and as payee, each side read
# along its (payer, date) or (payee, date) index, then the newest `limit` of them all. One
# statement: the ORM can say it as a UNION of 2 × 20 sliced querysets, but building them costs
# more CPU (about 20 ms) than PostgreSQL needs to answer (about 5 ms).
_NEWEST_PARTY_DEALS = """
SELECT deal.id FROM unnest(%(parties)s::bigint[]) AS party(id)
CROSS JOIN LATERAL (
    (SELECT id, announced_on FROM {deals} WHERE payer_id = party.id AND announced_on IS NOT NULL
     ORDER BY announced_on DESC, id DESC LIMIT %(limit)s)
    UNION ALL
    (SELECT id, announced_on FROM {deals} WHERE payee_id = party.id AND announced_on IS NOT NULL
     ORDER BY announced_on DESC, id DESC LIMIT %(limit)s)
) AS deal
ORDER BY deal.announced_on DESC, deal.id DESC LIMIT %(rows)s
"""


def _newest_party_deal_ids(party_ids: list[int], limit: int) -> list[int]:
    """The ids of the newest `limit` dated deals of `party_ids` (PostgreSQL only)."""
    sql = _NEWEST_PARTY_DEALS.format(deals=connection.ops.quote_name(Deal._meta.db_table))
    # A deal between two of the companies comes twice: twice as many rows hold `limit` deals.
    params = {"parties": party_ids, "limit": limit, "rows": 2 * limit}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [pk for (pk,) in cursor.fetchall()]
    return list(dict.fromkeys(ids))[:limit]


def _matching_articles(query: str, deals: list[Deal], limit: int, *, by_text: bool) -> list:
    """The newest `limit` articles citing `deals`, or (`by_text`) with `query` in their
    title or text.

    Three short queries: the articles citing the deals, the newest `limit` whose title or
    text contains `query`, then those of both shown newest first. Asked apart, the text
    search can use either of two indexes: walking article_newest_idx newest first, it stops
    after `limit` matches, which is quick for a common word; on PostgreSQL the trigram index
    (migration 0007) finds a rare word of three letters or more at once. No index serves
    fewer letters, so a short query (`by_text=False`) finds articles through their deals
    only; a rare word on SQLite still reads every article's text (35 ms for 5,000).
    """
    ids = set()
    if deals:
        citations = DealCitation.objects.filter(deal__in=[deal.pk for deal in deals])
        ids = set(citations.values_list("article_id", flat=True))
    if by_text:
        containing = Article.objects.filter(Q(title__icontains=query) | Q(body__icontains=query))
        newest_ids = containing.order_by("-published_on", "slug").values_list("pk", flat=True)
        ids |= set(newest_ids[:limit])
    if not ids:
        return []
    shown = Article.objects.filter(pk__in=ids).defer("body")
    return list(shown.order_by("-published_on", "slug")[:limit])
