"""Every name search can find, folded, and the nearest of them to a misspelt query.

Readers misspell names by a letter or two, in either script: "مايكروسفت" for مايكروسوفت,
"Nvidai" for Nvidia, "اوركل" for أوراكل. Exact matching finds nothing for them, so when it
finds too little the search asks `closest()` for the names within one or two edits.

The names are few (a few thousand companies, each with a handful of spellings): they are read
once per data generation (`searchable_names`, cached by `deals.pages.search`) and compared in
memory with rapidfuzz, instead of a query per keystroke. Spellings are compared folded by
`companies.text`, so hamza, taa marbuta, case and spacing never count as a mistake.

The distance is optimal string alignment (Levenshtein plus swapping two neighbours, so
"Nvidai" is one edit from "nvidia", not two). How many edits a query may hold grows with its
length: a short query would otherwise match everything ("oracle" is two edits from "orange").
"""

from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from companies.models import ChipPlatform, CloudPlatform, CompanyAlias
from companies.text import normalize_name
from deals.models import DataCenterProject

# Below this many letters a query is never corrected: one edit in four letters is another
# word ("meta"/"beta"), and exact prefixes already serve short queries.
SHORTEST_CORRECTED = 5
# From this many letters on, two edits are forgiven; below it, one.
TWO_EDITS_FROM = 8

COMPANY, CLOUD, CHIP, DATA_CENTRE = "company", "cloud", "chip", "data_centre"


@dataclass(frozen=True)
class Spellings:
    """Parallel lists: `keys[i]` is a folded spelling of the `kinds[i]` with id `ids[i]`.

    Plain lists of strings and numbers, so that caching them (pickled) stays small and fast.
    """

    keys: list[str]
    kinds: list[str]
    ids: list[int]


def searchable_names() -> Spellings:
    """Every folded spelling of every company, cloud, chip platform and data centre (its
    names and its place).

    Four queries, whatever the number of rows. A spelling is kept whole without its spaces
    ("amazonwebservices") and word by word ("amazon"), so that a misspelt word of a longer
    name still finds it.
    """
    entries = set()
    for company_id, normalized in CompanyAlias.objects.values_list("company_id", "normalized"):
        entries.update((key, COMPANY, company_id) for key in _keys(normalized))
    for kind, model in ((CLOUD, CloudPlatform), (CHIP, ChipPlatform)):
        for pk, name, name_ar, aliases in model.objects.values_list(
            "pk", "name", "name_ar", "aliases"
        ):
            for spelling in [name, name_ar, *(a for a in aliases or () if isinstance(a, str))]:
                entries.update((key, kind, pk) for key in _keys(normalize_name(spelling)))
    site_texts = ("name", "name_ar", "location", "location_ar", "state", "state_ar", "aliases")
    for pk, *texts, aliases in DataCenterProject.objects.values_list("pk", *site_texts):
        for spelling in [*texts, *(a for a in aliases or () if isinstance(a, str))]:
            entries.update((key, DATA_CENTRE, pk) for key in _keys(normalize_name(spelling)))
    ordered = sorted(entries)
    return Spellings(
        keys=[key for key, _kind, _pk in ordered],
        kinds=[kind for _key, kind, _pk in ordered],
        ids=[pk for _key, _kind, pk in ordered],
    )


def _keys(normalized: str) -> set[str]:
    words = normalized.split()
    keys = {word for word in words if len(word) >= SHORTEST_CORRECTED}
    if words:
        keys.add("".join(words))
    return keys


def allowed_edits(key: str) -> int:
    """How many wrong letters a folded, space-free query may hold and still be corrected."""
    if len(key) < SHORTEST_CORRECTED:
        return 0
    return 2 if len(key) >= TWO_EDITS_FROM else 1


def closest(key: str, spellings: Spellings) -> dict[str, list[int]]:
    """`{kind: [id, ...]}` of the names nearest to `key` (folded, no spaces), best first.

    Only the nearest distance found is kept: when one name is one edit away, those two edits
    away are noise. Empty when `key` is too short to correct or nothing is near enough.
    """
    edits = allowed_edits(key)
    if not edits:
        return {}
    found = process.extract(
        key, spellings.keys, scorer=OSA.distance, score_cutoff=edits, limit=None
    )
    if not found:
        return {}
    nearest = min(distance for _key, distance, _index in found)
    ranked: dict[str, list[int]] = {}
    for _key, _distance, index in sorted(
        (hit for hit in found if hit[1] == nearest), key=lambda hit: hit[0]
    ):
        ids = ranked.setdefault(spellings.kinds[index], [])
        if spellings.ids[index] not in ids:
            ids.append(spellings.ids[index])
    return ranked
