"""Pass 3 of an import: every record of a checked document written, all or nothing.

References resolve to records of the file or of the database; every id must be new and used
once in the file; every text must be storable (no NUL, no lone surrogate: checked before any
query, with the models' own validator); each record passes the model's `full_clean()` (and the
database's constraints) before it is saved, and a refusal names the record, e.g.
`deals[3] (id 'x'): amount_usd: ...`. A deal's own fields are
read through the field map (`deals/fields.py`), under the names the export gives them.

Derived parts of the document are not read: `reported_figures` (recomputed from `sources`)
and the valuations' `id` (recomputed from company and date).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import UniqueConstraint

from companies.models import ChipPlatform, CloudPlatform, Company, CompanyAlias
from companies.text import compact_name, normalize_name
from deals.fields import DEAL_FIELDS, ROW_FIELDS, Kind
from deals.importing.refusal import ImportRefused, record_label
from deals.importing.schema import check_schema
from deals.models import (
    Article,
    DataCenterCitation,
    DataCenterProject,
    DataCenterStatusChange,
    Deal,
    DealCitation,
    DealStatusChange,
    DealTranche,
    Valuation,
    ValuationCitation,
)
from deals.validation import storable_text

CHANGE_REASON = "import_deals"

# What an error calls a record of each model that a reference failed to find.
_NOUNS = {
    Company: "company",
    CloudPlatform: "cloud",
    ChipPlatform: "chip platform",
    DataCenterProject: "data centre",
    Article: "article",
}
# A status change's own values, as the export writes them (its article is a reference).
STATUS_STEP_FIELDS = ("status", "changed_on", "date_precision", "quote", "reference_url")
# A data centre's place fields that are text (empty when a file predates them).
PLACE_TEXTS = (
    "country",
    "country_ar",
    "state",
    "state_ar",
    "location_quote",
    "location_reference_url",
)
(_CHIPS,) = (deal_field for deal_field in DEAL_FIELDS if deal_field.kind is Kind.REFERENCES)

# Top-level list -> the model whose slug its ids are (valuations have no id of their own).
ID_MODELS = {
    "companies": Company,
    "clouds": CloudPlatform,
    "chip_platforms": ChipPlatform,
    "data_centers": DataCenterProject,
    "articles": Article,
    "deals": Deal,
}


@dataclass
class ImportResult:
    counts: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return ", ".join(f"{count} {name}" for name, count in self.counts.items())


class _Importer:
    def __init__(self, document: dict):
        self.document = document
        self.cache: dict[type, dict[str, object]] = {}

    # -- helpers ------------------------------------------------------------------------------

    def fail(self, where: tuple, message: str):
        label, inner = record_label(self.document, where)
        raise ImportRefused(f"{label}: {inner + ': ' if inner else ''}{message}")

    def ref(self, model, slug: str | None, where: tuple, what: str):
        """The `model` record with id `slug`, from this file or the database."""
        if slug is None:
            return None
        known = self.cache.setdefault(model, {})
        if slug not in known:
            found = model.objects.filter(slug=slug).first()
            if found is None:
                self.fail(
                    where,
                    f"no {what} has the id {slug!r} (neither in the file nor in the database).",
                )
            known[slug] = found
        return known[slug]

    def refs(self, model, slugs: list[str], where: tuple, field: str, what: str) -> list:
        """The records a list field names, each located as `field[i]` in an error."""
        return [self.ref(model, slug, (*where, field, i), what) for i, slug in enumerate(slugs)]

    def save(self, obj, where: tuple, *, exclude=None):
        """full_clean() then save(); a refusal names the record and the field."""
        try:
            # Check constraints are not re-queried one by one here (a query each, most of an
            # import's time): every one has a clean() rule with the editor's wording, and the
            # database enforces them at save(), which is caught below. Unique ones are checked.
            obj.full_clean(exclude=exclude, validate_constraints=False)
            for constraint in obj._meta.constraints:
                if isinstance(constraint, UniqueConstraint):
                    constraint.validate(type(obj), obj, exclude=exclude)
        except ValidationError as error:
            self.fail(where, _validation_text(error))
        obj._change_reason = CHANGE_REASON
        try:
            with transaction.atomic():
                obj.save()
        except ValidationError as error:  # Company.save refuses a clashing spelling
            self.fail(where, _validation_text(error))
        except DatabaseError as error:
            self.fail(where, f"the database refused it: {error}")
        if hasattr(obj, "slug"):
            self.cache.setdefault(type(obj), {})[obj.slug] = obj
        return obj

    # -- the whole document -------------------------------------------------------------------

    def check_ids_are_new(self):
        taken = []
        for name, model in ID_MODELS.items():
            ids = [entry["id"] for entry in self.document[name]]
            existing = set()
            for start in range(0, len(ids), 500):
                existing |= set(
                    model.objects.filter(slug__in=ids[start : start + 500]).values_list(
                        "slug", flat=True
                    )
                )
            if existing:
                shown = sorted(existing)
                listed = ", ".join(shown[:5]) + (f" and {len(shown) - 5} more" if shown[5:] else "")
                taken.append(f"{name}: {listed}")
        if taken:
            raise ImportRefused(
                "The database already holds records with ids from this file ("
                + "; ".join(taken)
                + "). An import only adds new records: import into an empty database, or "
                "delete those records first. Nothing was imported."
            )

    def check_ids_are_unique(self):
        """A second record with an id of the file would be dropped or refused far from the
        first: name both."""
        for name in ID_MODELS:
            first_at: dict[str, int] = {}
            for index, entry in enumerate(self.document[name]):
                at = first_at.setdefault(entry["id"], index)
                if at != index:
                    self.fail(
                        (name, index, "id"),
                        f"{name}[{at}] has the same id; each record of the file needs its own id.",
                    )

    def check_text(self, value=None, where: tuple = ()):
        """Every string of the document (keys too) is one the database can store; a refusal
        names the record and field before anything is written or queried."""
        if not where:
            value = self.document
        if isinstance(value, dict):
            for key, item in value.items():
                self._storable(key, where)
                self.check_text(item, (*where, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.check_text(item, (*where, index))
        elif isinstance(value, str):
            self._storable(value, where)

    def _storable(self, text: str, where: tuple):
        try:
            storable_text(text)
        except ValidationError as error:
            self.fail(where, _validation_text(error))

    def run(self) -> ImportResult:
        self.check_text()
        self.check_ids_are_unique()
        self.check_ids_are_new()
        self.companies()
        for entry_index, entry in enumerate(self.document["clouds"]):
            self.platform(CloudPlatform, "clouds", entry_index, entry, "operator")
        for entry_index, entry in enumerate(self.document["chip_platforms"]):
            self.platform(ChipPlatform, "chip_platforms", entry_index, entry, "vendor")
        for index, entry in enumerate(self.document["articles"]):
            self.article(index, entry)
        for index, entry in enumerate(self.document["data_centers"]):
            self.data_center(index, entry)
        # Deals are exported newest first; written oldest first, their primary keys (the
        # timeline's tie-break) keep the file's order, so a re-export lists them identically.
        deals = list(enumerate(self.document["deals"]))
        for index, entry in reversed(deals):
            self.deal(index, entry)
        for index, entry in enumerate(self.document["valuations"]):
            self.valuation(index, entry)
        return ImportResult(
            {name: len(self.document[name]) for name in self.document if name != "schema_version"}
        )

    # -- one list each ------------------------------------------------------------------------

    def companies(self):
        entries = self.document["companies"]
        in_file = {entry["id"]: index for index, entry in enumerate(entries)}
        done: set[str] = set()

        def write(index: int, chain: tuple = ()):
            entry = entries[index]
            if entry["id"] in done:
                return
            parent = entry["parent"]
            if parent in chain or parent == entry["id"]:
                self.fail(("companies", index, "parent"), "the parent companies form a loop.")
            if parent in in_file:
                write(in_file[parent], (*chain, entry["id"]))
            self.company(index, entry)
            done.add(entry["id"])

        for index in range(len(entries)):
            write(index)

    def company(self, index: int, entry: dict):
        where = ("companies", index)
        company = Company(
            slug=entry["id"],
            name=entry["name"],
            name_ar=entry["name_ar"],
            kind=entry["kind"],
            website=entry["website"],
            parent=self.ref(Company, entry["parent"], (*where, "parent"), "company"),
        )
        self.save(company, where)
        # Saving added the official names as aliases; add the other spellings. A spelling
        # that folds to an official name's key was the stored one (the official name only
        # gets its own alias when its key is free), so it takes that alias's place.
        official = {a.compact: a for a in company.aliases.all()}
        for position, spelling in enumerate(entry["aliases"]):
            key = compact_name(spelling)
            if spelling in (company.name, company.name_ar):
                continue
            if key in official:
                alias = official[key]
                if alias.name in (company.name, company.name_ar):
                    alias.name = spelling
                    self.save(alias, (*where, "aliases", position))
                continue
            alias = CompanyAlias(
                company=company, name=spelling, normalized=normalize_name(spelling), compact=key
            )
            self.save(alias, (*where, "aliases", position))
            official[alias.compact] = alias

    def platform(self, model, name: str, index: int, entry: dict, owner: str):
        where = (name, index)
        fields = {
            "slug": entry["id"],
            "name": entry["name"],
            "name_ar": entry["name_ar"],
            "aliases": list(entry["aliases"]),
            owner: self.ref(Company, entry[owner], (*where, owner), "company"),
        }
        if model is ChipPlatform:
            fields["kind"] = entry["kind"]
        self.save(model(**fields), where)

    def article(self, index: int, entry: dict):
        self.save(
            Article(
                slug=entry["id"],
                title=entry["title"],
                language=entry["language"],
                published_on=entry["published_on"],
                source_file=entry["source_file"],
                url=entry["url"],
                body=entry["body"],
            ),
            ("articles", index),
        )

    def citations(self, model, owner_field: str, owner, sources: list, where: tuple, **extra):
        for position, source in enumerate(sources):
            at = (*where, "sources", position)
            fields = {
                owner_field: owner,
                "article": self.ref(Article, source["article"], (*at, "article"), "article"),
                "quote": source["quote"],
            }
            for key, default in extra.items():
                fields[key] = source[key] if source[key] is not None else default
            self.save(model(**fields), at)

    def status_history(self, model, owner_field: str, owner, steps: list, where: tuple):
        """A deal's or a site's status changes, each dated and sourced as the file gives it."""
        for position, step in enumerate(steps):
            at = (*where, "status_history", position)
            fields = {key: step[key] for key in STATUS_STEP_FIELDS}
            fields["article"] = self.ref(Article, step["article"], (*at, "article"), "article")
            self.save(model(**{owner_field: owner}, **fields), at)

    def data_center(self, index: int, entry: dict):
        where = ("data_centers", index)
        center = DataCenterProject(
            slug=entry["id"],
            name=entry["name"],
            name_ar=entry["name_ar"],
            operator=self.ref(Company, entry["operator"], (*where, "operator"), "company"),
            location=entry["location"],
            location_ar=entry["location_ar"],
            power_gw=entry["power_gw"],
            power_qualifier=entry["power_qualifier"],
            status=entry["status"],
            online_on=entry["online_on"],
            reference_url=entry["reference_url"],
            **self.site_place(entry, where),
        )
        self.save(center, where)
        center.tenants.set(self.refs(Company, entry["tenants"], where, "tenants", "company"))
        center.chip_platforms.set(
            self.refs(
                ChipPlatform, entry["chip_platforms"], where, "chip_platforms", "chip platform"
            )
        )
        self.citations(DataCenterCitation, "data_center", center, entry["sources"], where)
        # Absent from files exported before sites had a history.
        steps = entry.get("status_history", [])
        self.status_history(DataCenterStatusChange, "data_center", center, steps, where)

    def site_place(self, entry: dict, where: tuple) -> dict:
        """A site's other spellings and location; absent from files exported before them."""
        article = entry.get("location_article")
        return {
            "aliases": entry.get("aliases", []),
            **{key: entry.get(key, "") for key in PLACE_TEXTS},
            "latitude": entry.get("latitude"),
            "longitude": entry.get("longitude"),
            "location_precision": entry.get("location_precision") or "",
            "location_article": self.ref(Article, article, (*where, "location_article"), "article"),
        }

    def deal(self, index: int, entry: dict):
        where = ("deals", index)
        values = {}
        for deal_field in ROW_FIELDS:
            value = entry[deal_field.name]
            if deal_field.kind is Kind.REFERENCE:
                model = deal_field.related_model
                value = self.ref(model, value, (*where, deal_field.name), _NOUNS[model])
            values[deal_field.attribute] = value
        deal = Deal(**values)
        self.save(deal, where)
        chips = _CHIPS.related_model
        deal.chip_platforms.set(
            self.refs(chips, entry[_CHIPS.name], where, _CHIPS.name, _NOUNS[chips])
        )
        for position, tranche in enumerate(entry["tranches"]):
            self.save(
                DealTranche(
                    deal=deal,
                    amount_usd=tranche["amount_usd"],
                    amount_qualifier=tranche["amount_qualifier"],
                    paid_on=tranche["paid_on"],
                    date_precision=tranche["date_precision"],
                    reference_url=tranche["reference_url"],
                ),
                (*where, "tranches", position),
            )
        self.citations(
            DealCitation,
            "deal",
            deal,
            entry["sources"],
            where,
            reported_amount_usd=None,
            reported_amount_qualifier="",
            reported_power_gw=None,
            reported_power_qualifier="",
        )
        self.status_history(DealStatusChange, "deal", deal, entry["status_history"], where)

    def valuation(self, index: int, entry: dict):
        where = ("valuations", index)
        valuation = Valuation(
            company=self.ref(Company, entry["company"], (*where, "company"), "company"),
            amount_usd=entry["amount_usd"],
            amount_qualifier=entry["amount_qualifier"],
            as_of=entry["as_of"],
            date_precision=entry["date_precision"],
            is_projection=entry["is_projection"],
            reference_url=entry["reference_url"],
        )
        self.save(valuation, where)
        self.citations(ValuationCitation, "valuation", valuation, entry["sources"], where)


def _validation_text(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def _exact_numbers(value):
    """Floats (from Python callers' json.loads) as the Decimal their shortest repr names."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {key: _exact_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_exact_numbers(item) for item in value]
    return value


def import_document(document: dict) -> ImportResult:
    """Check `document` against the schema and write it, all or nothing.

    Raises ImportRefused (with the record at fault) and leaves the database unchanged if the
    document is malformed, a record is invalid, or an id is already taken.
    """
    check_schema(document)
    document = _exact_numbers(document)
    with transaction.atomic():
        return _Importer(document).run()
