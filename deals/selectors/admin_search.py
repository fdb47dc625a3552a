"""The deal admin's search, fast at a million deals: which deals a search box term finds.

A term finds a deal when the whole term, or each of its words, names one of the deal's
parties (any spelling, either script), is its number or its id (or part of the id), or
appears in its summary in English or Arabic.

Django's own search asks one `UPPER(column) LIKE '%word%'` per field and word, and the
party names through a subquery per field: at a million deals PostgreSQL read every deal
(11–18 s). Here the companies are resolved first, in one query over their folded spellings
(`CompanyAlias.compact`, a few thousand short rows), and the deals are then filtered by
their parties' ids, which the (payer, date) and (payee, date) indexes answer. The text
conditions use the trigram index of migration 0009 on PostgreSQL, which needs three
characters to work with: a shorter word matches parties and ids only, never every summary.
Every condition is one flat OR, so PostgreSQL combines the indexes (a BitmapOr).
`estimated_count` spares the admin's paginator an exact count of a large result.
"""

import json
from functools import reduce
from operator import and_, or_

from django.db import connections
from django.db.models import Q, QuerySet

from companies.models import CompanyAlias
from companies.text import compact_name

# Words shorter than this match parties and ids only: a trigram index cannot narrow them.
MIN_TEXT_LENGTH = 3
TEXT_FIELDS = ("slug", "summary", "summary_ar")
# Above this many deals (as PostgreSQL estimates them), the admin shows the estimate.
ESTIMATE_ABOVE = 10_000


def deal_search(term: str) -> Q:
    """The deals `term` finds, as one condition; reads the matching companies (one query).

    The whole term is tried as one name ("Dabelon Web Services"); a term of several words
    also finds deals where every word names a party or appears in the text ("anthropic
    amazon", "roven compute").
    """
    term = term.strip()
    words = term.split()
    parties = companies_by_spelling({term, *words})
    condition = _one(term, parties)
    if len(words) > 1:
        condition |= reduce(and_, (_one(word, parties) for word in words))
    return condition


def companies_by_spelling(terms: set[str]) -> dict[str, list[int]]:
    """For each folded term, the ids of the companies one of whose spellings contains it.

    One query whatever the number of terms; the few thousand matching aliases at most are
    sorted out in Python.
    """
    keys = {compact_name(term) for term in terms} - {""}
    found: dict[str, set[int]] = {key: set() for key in keys}
    if keys:
        spelled = reduce(or_, (Q(compact__contains=key) for key in keys))
        for company_id, compact in CompanyAlias.objects.filter(spelled).values_list(
            "company_id", "compact"
        ):
            for key in keys:
                if key in compact:
                    found[key].add(company_id)
    return {key: sorted(ids) for key, ids in found.items()}


def _one(text: str, parties: dict[str, list[int]]) -> Q:
    """What one term or word finds: a party, the number, the id, words of the summary."""
    condition = Q(slug=text.lower())  # never empty, so the OR below is never "everything"
    companies = parties.get(compact_name(text))
    if companies:
        condition |= Q(payer_id__in=companies) | Q(payee_id__in=companies)
    if text.isdecimal() and len(text) < 19:  # a number that fits a bigint
        condition |= Q(pk=int(text))
    if len(text) >= MIN_TEXT_LENGTH:
        condition |= reduce(or_, (Q(**{f"{field}__icontains": text}) for field in TEXT_FIELDS))
    return condition


def estimated_count(deals: QuerySet) -> int:
    """How many deals `deals` holds: exact up to ESTIMATE_ABOVE, PostgreSQL's estimate above.

    Counting a hub company's quarter of a million deals reads most of the table (a second
    at a million deals); the admin's paginator needs only the order of magnitude to draw its
    page links. SQLite, and small results, are counted.
    """
    connection = connections[deals.db]
    if connection.vendor != "postgresql":
        return deals.count()
    sql, params = deals.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    rows = int(plan[0]["Plan"]["Plan Rows"])
    return rows if rows > ESTIMATE_ABOVE else deals.count()
