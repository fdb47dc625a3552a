"""Deals, the articles that report them, and the citations that tie every figure to a sentence.

Over 400 lines because it holds every model of the app with its constraints and QuerySets, in
the one module Django's migrations and admin expect them in (no model moves between files).
"""

from decimal import Decimal
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from companies.models import ChipPlatform, CloudPlatform, Company
from companies.text import compact_name
from deals.validation import (
    amount_not_negative,
    amount_range,
    article_body_size,
    power_not_negative,
    storable_text,
    term_years_range,
)


class Qualifier(models.TextChoices):
    """How a figure is stated: "$8B", "about $10B", "up to $5B", "more than $3B", or no number."""

    EXACT = "exact", _("exact")
    ABOUT = "about", _("about")
    UP_TO = "up_to", _("up to")
    MORE_THAN = "more_than", _("more than")
    UNDISCLOSED = "undisclosed", _("undisclosed")


class DatePrecision(models.TextChoices):
    """How much of a date the sources give; the date stored is the first day of that period."""

    DAY = "day", _("day")
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    YEAR = "year", _("year")


class DealType(models.TextChoices):
    INVESTMENT = "investment", _("investment")
    COMPUTE_COMMITMENT = "compute_commitment", _("compute commitment")
    CHIP_SUPPLY = "chip_supply", _("chip supply")


# The part a company plays in a deal: which side it is on, in deals of which type. The
# timeline's `role` filter, the company page's tables and the words beside each party
# ("investor", "provider", ...: deals.formatting.ROLE_WORDS) all name roles by these keys.
PARTY_ROLES: dict[str, tuple[str, str]] = {
    "investor": ("payer", DealType.INVESTMENT),
    "investee": ("payee", DealType.INVESTMENT),
    "buyer": ("payer", DealType.COMPUTE_COMMITMENT),
    "provider": ("payee", DealType.COMPUTE_COMMITMENT),
    "chip_buyer": ("payer", DealType.CHIP_SUPPLY),
    "chip_vendor": ("payee", DealType.CHIP_SUPPLY),
}
SIDES = ("payer", "payee")


def role_of(side: str, deal_type: str) -> str:
    """The PARTY_ROLES key of the company on `side` of a deal of `deal_type`."""
    return next(role for role, key in PARTY_ROLES.items() if key == (side, deal_type))


class DealStatus(models.TextChoices):
    RUMORED = "rumored", _("rumored")
    IN_TALKS = "in_talks", _("in talks")
    ANNOUNCED = "announced", _("announced")
    SIGNED = "signed", _("signed")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


# Signed or completed: what a reader can count on. A graph edge that merges deals of several
# statuses has the status MIXED (never stored on a deal).
FIRM_STATUSES = frozenset({DealStatus.SIGNED, DealStatus.COMPLETED})
MIXED_STATUS = "mixed"

# Deals still on: every total counts these, and only these (a cancelled deal stays on the
# timeline). A Q as well as `live()`, so that an aggregate can filter by it.
LIVE = ~Q(status=DealStatus.CANCELLED)
# Newest first, undated last: Deal.Meta.ordering. deals.selectors.keyset walks the same order
# along the indexes when only a page of it is read.
NEWEST_FIRST = (F("announced_on").desc(nulls_last=True), "-pk")


# Every text field, JSON included, holds only what PostgreSQL stores (deals/validation.py).
TEXT = {"validators": [storable_text]}
MONEY = {
    "max_digits": 18,
    "decimal_places": 2,
    "validators": [amount_not_negative, amount_range],
}
POWER = {"max_digits": 9, "decimal_places": 3, "validators": [power_not_negative]}


def figure_constraints(prefix: str, amount: str, qualifier: str) -> list[models.BaseConstraint]:
    """An undisclosed figure has no number, any other has one, and none is negative."""
    return [
        models.CheckConstraint(
            condition=(
                Q(**{qualifier: Qualifier.UNDISCLOSED, f"{amount}__isnull": True})
                | (~Q(**{qualifier: Qualifier.UNDISCLOSED}) & Q(**{f"{amount}__isnull": False}))
            ),
            name=f"{prefix}_{amount}_matches_qualifier",
            violation_error_message=_(
                "Give a number unless the figure is undisclosed, and none if it is."
            ),
        ),
        models.CheckConstraint(
            condition=Q(**{f"{amount}__gte": 0}) | Q(**{f"{amount}__isnull": True}),
            name=f"{prefix}_{amount}_not_negative",
        ),
        models.CheckConstraint(
            condition=Q(**{f"{qualifier}__in": Qualifier.values}),
            name=f"{prefix}_{qualifier}_valid",
        ),
    ]


def validate_figure(amount, qualifier, amount_field: str, what: str) -> dict[str, str]:
    """The editor-facing words for `figure_constraints`; returns {field: message}."""
    errors = {}
    if qualifier == Qualifier.UNDISCLOSED and amount is not None:
        errors[amount_field] = _(
            "The %(what)s is marked undisclosed, so leave it empty (or choose another qualifier)."
        ) % {"what": what}
    elif qualifier != Qualifier.UNDISCLOSED and amount is None:
        errors[amount_field] = _(
            "Enter the %(what)s, or set its qualifier to “undisclosed” if the source gives none."
        ) % {"what": what}
    # A negative figure is refused by its field's validator (deals.validation), in one message.
    return errors


class Article(models.Model):
    """A news article, stored verbatim, that deals and figures cite."""

    class Language(models.TextChoices):
        ARABIC = "ar", _("Arabic")
        ENGLISH = "en", _("English")

    slug = models.SlugField(_("id"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=500, **TEXT)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    body = models.TextField(
        _("body"),
        help_text=_("The full text, verbatim."),
        validators=[storable_text, article_body_size],
    )
    source_file = models.CharField(_("source file"), max_length=200, blank=True, **TEXT)
    url = models.URLField(_("URL"), max_length=1000, blank=True, **TEXT)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "slug"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(
                fields=["source_file"],
                condition=~Q(source_file=""),
                name="article_source_file_unique",
            )
        ]
        indexes = [
            # The graph's hover text lists the first few hundred articles by title: walked in
            # title order it reads a few thousand citations, not every one (1 s at 1M deals).
            models.Index(fields=["title"], name="article_title_idx"),
            # Search walks the articles newest first (their ordering) and stops after a
            # page of matches, instead of reading and sorting every article's text.
            models.Index(fields=["-published_on", "slug"], name="article_newest_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("deals:article", args=[self.slug])

    @property
    def outlet(self) -> str:
        """Who published it, as its address names it ("reuters.com"); "" without an address.

        The source file is how the article reached DealWatch, not who wrote it: readers are
        shown the outlet and the original link instead."""
        if not self.url:
            return ""
        return (urlsplit(self.url).hostname or "").removeprefix("www.")


class LocationPrecision(models.TextChoices):
    """How precisely the sources place a site: its coordinates are of that place."""

    SITE = "site", _("the site itself")
    CITY = "city", _("city or town")
    STATE = "state", _("state or region")
    COUNTRY = "country", _("country")


COORDINATE = {"max_digits": 9, "decimal_places": 6}


def degrees(limit: int) -> list:
    return [MinValueValidator(Decimal(-limit)), MaxValueValidator(Decimal(limit))]


def location_constraints() -> list[models.BaseConstraint]:
    """Coordinates come in pairs, on the globe, with a precision and a source."""
    no_point = Q(latitude__isnull=True, longitude__isnull=True)
    return [
        models.CheckConstraint(
            condition=no_point | Q(latitude__isnull=False, longitude__isnull=False),
            name="datacenter_coordinates_in_pairs",
            violation_error_message=_("Give both the latitude and the longitude, or neither."),
        ),
        models.CheckConstraint(
            condition=no_point
            | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
            name="datacenter_coordinates_on_globe",
            violation_error_message=_(
                "Latitude runs from -90 to 90 and longitude from -180 to 180."
            ),
        ),
        models.CheckConstraint(
            condition=no_point
            | (
                Q(location_precision__in=LocationPrecision.values)
                & (~Q(location_article=None) | ~Q(location_reference_url=""))
            ),
            name="datacenter_location_is_sourced",
            violation_error_message=_(
                "A located site needs its precision and a source for the location."
            ),
        ),
    ]


def site_search_key(texts) -> str:
    """Each text folded and compacted, one per line: a query matches inside one, not across."""
    return "\n".join(key for key in (compact_name(text) for text in texts if text) if key)


class DataCenterProject(models.Model):
    """A physical site, e.g. Project Rainier in New Carlisle, Indiana."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        UNDER_CONSTRUCTION = "under_construction", _("under construction")
        OPERATIONAL = "operational", _("operational")
        CANCELLED = "cancelled", _("cancelled")

    slug = models.SlugField(_("id"), max_length=80, unique=True)
    name = models.CharField(_("English name"), max_length=200, **TEXT)
    name_ar = models.CharField(_("Arabic name"), max_length=200, blank=True, **TEXT)
    operator = models.ForeignKey(
        Company,
        verbose_name=_("built and run by"),
        on_delete=models.PROTECT,
        related_name="operated_data_centers",
    )
    tenants = models.ManyToManyField(
        Company, verbose_name=_("tenants"), related_name="tenant_data_centers", blank=True
    )
    location = models.CharField(_("location"), max_length=200, blank=True, **TEXT)
    location_ar = models.CharField(_("location (Arabic)"), max_length=200, blank=True, **TEXT)
    power_gw = models.DecimalField(_("power (GW)"), null=True, blank=True, **POWER)
    power_qualifier = models.CharField(
        _("power qualifier"),
        max_length=16,
        choices=Qualifier.choices,
        default=Qualifier.UNDISCLOSED,
    )
    chip_platforms = models.ManyToManyField(
        ChipPlatform, verbose_name=_("chip platforms"), related_name="data_centers", blank=True
    )
    status = models.CharField(_("status"), max_length=32, choices=Status.choices)
    online_on = models.DateField(_("switched on"), null=True, blank=True)
    reference_url = models.URLField(
        _("reference URL"),
        max_length=1000,
        blank=True,
        help_text=_("Source of facts not stated in a cited article, e.g. the switch-on date."),
        **TEXT,
    )
    aliases = models.JSONField(
        _("other spellings"),
        default=list,
        blank=True,
        help_text=_("A list of strings."),
        **TEXT,
    )
    # Where the site is, as precisely as a source says: a map places it there and says how
    # precisely (a site known only to a state is drawn at the state, never at a guessed spot).
    country = models.CharField(_("country"), max_length=100, blank=True, **TEXT)
    country_ar = models.CharField(_("country (Arabic)"), max_length=100, blank=True, **TEXT)
    state = models.CharField(_("state or region"), max_length=100, blank=True, **TEXT)
    state_ar = models.CharField(_("state or region (Arabic)"), max_length=100, blank=True, **TEXT)
    latitude = models.DecimalField(
        _("latitude"), null=True, blank=True, validators=degrees(90), **COORDINATE
    )
    longitude = models.DecimalField(
        _("longitude"), null=True, blank=True, validators=degrees(180), **COORDINATE
    )
    location_precision = models.CharField(
        _("location precision"),
        max_length=8,
        choices=LocationPrecision.choices,
        blank=True,
        help_text=_("How precisely the sources place the site; the coordinates are of that place."),
    )
    location_article = models.ForeignKey(
        Article,
        verbose_name=_("location cited from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="data_center_locations",
    )
    location_quote = models.TextField(_("location quote"), blank=True, **TEXT)
    location_reference_url = models.URLField(
        _("location reference URL"),
        max_length=1000,
        blank=True,
        help_text=_("Source of a location the cited articles do not give, e.g. the town."),
        **TEXT,
    )
    # Every name and place folded (companies.text), so that search finds the site in SQL.
    search_key = models.TextField(editable=False, blank=True, default="")

    history = HistoricalRecords(
        m2m_fields=[tenants, chip_platforms], excluded_fields=["search_key"]
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("data-centre project")
        verbose_name_plural = _("data-centre projects")
        constraints = [
            *figure_constraints("datacenter", "power_gw", "power_qualifier"),
            *location_constraints(),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_key = site_search_key(self.searchable_texts())
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("datacentres:detail", args=[self.slug])

    def searchable_texts(self) -> list[str]:
        """The site's own words search looks in (its operator and tenants are matched apart)."""
        fields = (self.name, self.name_ar, self.location, self.location_ar, self.country)
        return [*fields, self.country_ar, self.state, self.state_ar, *(self.aliases or [])]

    def clean(self):
        errors = validate_figure(self.power_gw, self.power_qualifier, "power_gw", _("power"))
        errors.update(self._location_errors())
        if errors:
            raise ValidationError(errors)

    def _location_errors(self) -> dict:
        """The editor-facing words for `location_constraints`."""
        if (self.latitude is None) != (self.longitude is None):
            return {"longitude": _("Give both the latitude and the longitude, or neither.")}
        if self.latitude is None:
            return {}
        if not self.location_precision:
            return {"location_precision": _("Say how precisely the sources place the site.")}
        if not (self.location_article_id or self.location_reference_url):
            return {
                "location_reference_url": _(
                    "Cite the location from an article or give a reference URL."
                )
            }
        if (
            self.location_article_id
            and self.location_quote.strip() not in self.location_article.body
        ):
            return {
                "location_quote": _(
                    "This quote does not appear in the chosen article; paste it exactly."
                )
            }
        return {}


class DealQuerySet(models.QuerySet):
    def live(self):
        """Not cancelled."""
        return self.filter(LIVE)

    def newest_first(self):
        return self.order_by(*NEWEST_FIRST)

    def timeline(self):
        """Newest first, with all a timeline card shows loaded in a fixed number of queries.

        A card links to its source, so the articles' text is not read (kilobytes per deal).
        """
        return (
            self.select_related("payer", "payee", "cloud", "data_center")
            .prefetch_related(
                "chip_platforms",
                models.Prefetch(
                    "citations",
                    queryset=DealCitation.objects.select_related("article").defer("article__body"),
                ),
            )
            .newest_first()
        )

    def involving(self, company, role: str | None = None):
        """Deals `company` is party to: in any role, in one of PARTY_ROLES, or on one side
        ("payer" or "payee")."""
        if role in PARTY_ROLES:
            side, deal_type = PARTY_ROLES[role]
            return self.filter(**{side: company, "deal_type": deal_type})
        if role in SIDES:
            return self.filter(**{role: company})
        if role:
            raise KeyError(role)
        return self.filter(Q(payer=company) | Q(payee=company))

    def of_type(self, deal_type: str):
        return self.filter(deal_type=deal_type)

    def runs_on(self, *, cloud=None, chip=None):
        qs = self
        if cloud is not None:
            qs = qs.filter(cloud=cloud)
        if chip is not None:
            qs = qs.filter(chip_platforms=chip)
        return qs


class Deal(models.Model):
    """Money moving between two companies: an investment, or a purchase of compute.

    `payer` is the investor or buyer, `payee` the investee or provider (the export's `from`
    and `to`). `amount_usd` is the figure DealWatch shows; what each source says is kept on
    its citation, so disagreements between articles stay visible.
    """

    Type = DealType

    slug = models.SlugField(_("id"), max_length=120, unique=True)
    deal_type = models.CharField(_("type"), max_length=32, choices=DealType.choices)
    payer = models.ForeignKey(
        Company,
        verbose_name=_("from (investor or buyer)"),
        on_delete=models.PROTECT,
        related_name="deals_paid",
    )
    payee = models.ForeignKey(
        Company,
        verbose_name=_("to (investee or provider)"),
        on_delete=models.PROTECT,
        related_name="deals_received",
    )
    cloud = models.ForeignKey(
        CloudPlatform,
        verbose_name=_("cloud"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deals",
    )
    chip_platforms = models.ManyToManyField(
        ChipPlatform, verbose_name=_("chip platforms"), related_name="deals", blank=True
    )
    data_center = models.ForeignKey(
        DataCenterProject,
        verbose_name=_("data-centre project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deals",
    )
    amount_usd = models.DecimalField(_("amount (USD)"), null=True, blank=True, **MONEY)
    amount_qualifier = models.CharField(
        _("amount qualifier"), max_length=16, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    power_gw = models.DecimalField(_("power (GW)"), null=True, blank=True, **POWER)
    power_qualifier = models.CharField(
        _("power qualifier"),
        max_length=16,
        choices=Qualifier.choices,
        default=Qualifier.UNDISCLOSED,
    )
    term_years = models.PositiveSmallIntegerField(
        _("term (years)"), null=True, blank=True, validators=[term_years_range]
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DealStatus.choices,
        db_index=True,
        help_text=_("The latest entry of the status history."),
    )
    announced_on = models.DateField(_("date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    starts_on = models.DateField(_("term starts"), null=True, blank=True)
    ends_on = models.DateField(_("term ends"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True, **TEXT)
    summary_ar = models.TextField(_("summary (Arabic)"), blank=True, **TEXT)
    reference_url = models.URLField(
        _("reference URL"),
        max_length=1000,
        blank=True,
        help_text=_("Source of facts not stated in a cited article, e.g. the date."),
        **TEXT,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped on every edit through the admin, so two editors saving the same deal cannot
    # silently overwrite each other (the second save is refused and shown what changed).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = DealQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[chip_platforms])

    class Meta:
        ordering = list(NEWEST_FIRST)
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        indexes = [
            models.Index(F("announced_on").desc(), F("id").desc(), name="deal_timeline_idx"),
            models.Index(fields=["payer", "announced_on"], name="deal_payer_date_idx"),
            models.Index(fields=["payee", "announced_on"], name="deal_payee_date_idx"),
            # A company's deals of one type (the company page's tables, "?company=&type="): a
            # hub receives no investments, and without these PostgreSQL scans every investment
            # to learn so.
            models.Index(
                fields=["payer", "deal_type", "announced_on"], name="deal_payer_type_date_idx"
            ),
            models.Index(
                fields=["payee", "deal_type", "announced_on"], name="deal_payee_type_date_idx"
            ),
            models.Index(fields=["deal_type", "announced_on"], name="deal_type_date_idx"),
            models.Index(fields=["cloud", "announced_on"], name="deal_cloud_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(payer=F("payee")),
                name="deal_payer_is_not_payee",
                violation_error_message=_("A company cannot invest in or buy from itself."),
            ),
            models.CheckConstraint(
                condition=Q(deal_type__in=DealType.values), name="deal_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DealStatus.values), name="deal_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="deal_ends_after_it_starts",
                violation_error_message=_("The term cannot end before it starts."),
            ),
            *figure_constraints("deal", "amount_usd", "amount_qualifier"),
            *figure_constraints("deal", "power_gw", "power_qualifier"),
        ]

    def __str__(self):
        return f"{self.payer} → {self.payee} ({self.get_deal_type_display()})"

    def get_absolute_url(self):
        return reverse("deals:detail", args=[self.slug])

    def clean(self):
        errors = {}
        if self.payer_id and self.payer_id == self.payee_id:
            errors["payee"] = _(
                "A company cannot invest in or buy from itself: choose a different counterparty."
            )
        errors |= validate_figure(self.amount_usd, self.amount_qualifier, "amount_usd", _("amount"))
        errors |= validate_figure(self.power_gw, self.power_qualifier, "power_gw", _("power"))
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The term cannot end before it starts (%(start)s).") % {
                "start": self.starts_on
            }
        if errors:
            raise ValidationError(errors)


class DealTranche(models.Model):
    """One payment of a deal paid in parts, e.g. Amazon's $8B in three rounds."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="tranches")
    amount_usd = models.DecimalField(_("amount (USD)"), null=True, blank=True, **MONEY)
    amount_qualifier = models.CharField(
        _("amount qualifier"), max_length=16, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    paid_on = models.DateField(_("date"))
    date_precision = models.CharField(
        _("date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    reference_url = models.URLField(_("reference URL"), max_length=1000, **TEXT)

    history = HistoricalRecords()

    class Meta:
        ordering = ["paid_on"]
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        constraints = figure_constraints("tranche", "amount_usd", "amount_qualifier")

    def __str__(self):
        return f"{self.deal}: {self.paid_on}"

    def clean(self):
        errors = validate_figure(self.amount_usd, self.amount_qualifier, "amount_usd", _("amount"))
        if errors:
            raise ValidationError(errors)


class Citation(models.Model):
    """An exact quote from an article that supports a fact."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.PROTECT, related_name="%(class)ss"
    )
    quote = models.TextField(
        _("quote"),
        help_text=_("Paste the exact sentence from the article that supports this."),
        **TEXT,
    )

    class Meta:
        abstract = True

    def __str__(self):
        return f"“{self.quote[:60]}…” ({self.article.slug})"

    def clean(self):
        if self.quote:
            self.quote = self.quote.strip()
        if self.article_id and self.quote and self.quote not in self.article.body:
            raise ValidationError(
                {
                    "quote": _(
                        "This quote does not appear in “%(title)s”. Paste the sentence exactly as "
                        "the article writes it, without changing spelling or punctuation."
                    )
                    % {"title": self.article.title[:80]}
                }
            )


class DealCitation(Citation):
    """A source for a deal, with the figures that source reports (blank when it gives none)."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="citations")
    reported_amount_usd = models.DecimalField(
        _("amount this source reports"), null=True, blank=True, **MONEY
    )
    reported_amount_qualifier = models.CharField(
        _("its qualifier"), max_length=16, choices=Qualifier.choices, blank=True
    )
    reported_power_gw = models.DecimalField(
        _("power this source reports (GW)"), null=True, blank=True, **POWER
    )
    reported_power_qualifier = models.CharField(
        _("its qualifier"), max_length=16, choices=Qualifier.choices, blank=True
    )

    class Meta:
        ordering = ["article__published_on", "pk"]
        verbose_name = _("deal citation")
        verbose_name_plural = _("deal citations")
        constraints = [
            models.UniqueConstraint(
                fields=["deal", "article", "quote"], name="deal_citation_unique"
            ),
            models.CheckConstraint(
                condition=Q(reported_amount_usd__isnull=True)
                | ~Q(reported_amount_qualifier__in=["", Qualifier.UNDISCLOSED]),
                name="deal_citation_reported_amount_has_qualifier",
            ),
        ]

    def clean(self):
        super().clean()
        if self.reported_amount_usd is not None and self.reported_amount_qualifier in (
            "",
            Qualifier.UNDISCLOSED,
        ):
            raise ValidationError(
                {"reported_amount_qualifier": _("Say how the source states this amount.")}
            )


class DealStatusChange(models.Model):
    """One step of a deal's history: from rumour to talks to signature, each dated and cited."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField(_("status"), max_length=16, choices=DealStatus.choices)
    changed_on = models.DateField(_("date"))
    date_precision = models.CharField(
        _("date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="status_changes",
    )
    quote = models.TextField(_("quote"), blank=True, **TEXT)
    reference_url = models.URLField(_("reference URL"), max_length=1000, blank=True, **TEXT)

    history = HistoricalRecords()

    class Meta:
        ordering = ["changed_on", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        constraints = [
            models.CheckConstraint(
                condition=~Q(article=None, reference_url=""),
                name="status_change_is_sourced",
                violation_error_message=_("Cite an article or give a reference URL."),
            ),
        ]

    def __str__(self):
        return f"{self.get_status_display()} ({self.changed_on})"

    def clean(self):
        if self.article_id is None and not self.reference_url:
            raise ValidationError(
                _("Each status change needs a source: an article and quote, or a reference URL.")
            )
        if self.article_id and self.quote and self.quote.strip() not in self.article.body:
            raise ValidationError(
                {"quote": _("This quote does not appear in the chosen article; paste it exactly.")}
            )


class Valuation(models.Model):
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="valuations"
    )
    amount_usd = models.DecimalField(_("valuation (USD)"), null=True, blank=True, **MONEY)
    amount_qualifier = models.CharField(
        _("qualifier"), max_length=16, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    as_of = models.DateField(_("as of"))
    date_precision = models.CharField(
        _("date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    is_projection = models.BooleanField(
        _("projected"),
        default=False,
        help_text=_("The source says the valuation could reach this, not that it has."),
    )
    reference_url = models.URLField(_("reference URL"), max_length=1000, blank=True, **TEXT)

    history = HistoricalRecords()

    class Meta:
        ordering = ["company", "as_of"]
        verbose_name = _("valuation")
        verbose_name_plural = _("valuations")
        constraints = figure_constraints("valuation", "amount_usd", "amount_qualifier")

    def __str__(self):
        return f"{self.company}: {self.as_of}"

    def clean(self):
        errors = validate_figure(
            self.amount_usd, self.amount_qualifier, "amount_usd", _("valuation")
        )
        if errors:
            raise ValidationError(errors)


class ValuationCitation(Citation):
    valuation = models.ForeignKey(Valuation, on_delete=models.CASCADE, related_name="citations")

    class Meta:
        verbose_name = _("valuation citation")
        verbose_name_plural = _("valuation citations")


class DataCenterCitation(Citation):
    data_center = models.ForeignKey(
        DataCenterProject, on_delete=models.CASCADE, related_name="citations"
    )

    class Meta:
        verbose_name = _("data-centre citation")
        verbose_name_plural = _("data-centre citations")


class DataCenterStatusChange(models.Model):
    """One step of a site's history, from plans to switch-on, each dated and cited.

    The same shape as a deal's DealStatusChange: the date the status took effect at the
    precision the source gives, and its source (an article and the verbatim sentence, or a
    reference URL). The site's `status` follows the latest entry (deals.services).
    """

    data_center = models.ForeignKey(
        DataCenterProject, on_delete=models.CASCADE, related_name="status_history"
    )
    status = models.CharField(_("status"), max_length=32, choices=DataCenterProject.Status.choices)
    changed_on = models.DateField(_("date"))
    date_precision = models.CharField(
        _("date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="site_status_changes",
    )
    quote = models.TextField(_("quote"), blank=True, **TEXT)
    reference_url = models.URLField(_("reference URL"), max_length=1000, blank=True, **TEXT)

    history = HistoricalRecords()

    class Meta:
        ordering = ["changed_on", "pk"]
        verbose_name = _("site status change")
        verbose_name_plural = _("site status history")
        constraints = [
            models.CheckConstraint(
                condition=~Q(article=None, reference_url=""),
                name="datacenter_status_change_is_sourced",
                violation_error_message=_("Cite an article or give a reference URL."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=DataCenterProject.Status.values),
                name="datacenter_status_change_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_status_display()} ({self.changed_on})"

    def clean(self):
        if self.article_id is None and not self.reference_url:
            raise ValidationError(
                _("Each status change needs a source: an article and quote, or a reference URL.")
            )
        if self.article_id and self.quote and self.quote.strip() not in self.article.body:
            raise ValidationError(
                {"quote": _("This quote does not appear in the chosen article; paste it exactly.")}
            )


# --- The article assistant (deals/assistant/): drafts waiting for an editor's review ----------


class DealDraft(models.Model):
    """A deal the extractor proposes from an article. Not a Deal: nothing public shows it.

    `proposal` keeps what the extractor read (companies by slug, or the article's spelling
    when unknown; figures as strings), so the review form can be filled from it at any time.
    Accepting creates a Deal (`deal`); adding it as a citation points `deal` at the existing
    deal it repeats.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("to review")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")
        MERGED = "merged", _("added as a citation")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="deal_drafts"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    proposal = models.JSONField(_("what the article seems to report"), default=dict, **TEXT)
    quote = models.TextField(_("quote"), **TEXT)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    deal = models.ForeignKey(
        Deal,
        verbose_name=_("deal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="drafts",
    )
    reviewed_by = models.ForeignKey(
        "auth.User",
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article", "position", "pk"]
        verbose_name = _("deal draft")
        verbose_name_plural = _("deal drafts")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "accepted", "rejected", "merged"]),
                name="deal_draft_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["proposed", "rejected"]) | Q(deal__isnull=True),
                name="deal_draft_only_reviewed_drafts_have_a_deal",
            ),
        ]

    def __str__(self):
        proposal = self.proposal
        return f"{proposal.get('payer_name', '?')} → {proposal.get('payee_name', '?')}"


class DealTally(models.Model):
    """The sums of every deal per (type, status, amount qualifier, power qualifier): what the
    overview's headline adds up, kept by the database itself in the same transaction as each
    write to `deals_deal` (triggers, `deals.tally`), so it is exact the moment a write commits,
    whoever made it (admin, import, shell, another machine), and reads as a few hundred rows
    instead of a million deals. Never written by the application."""

    deal_type = models.CharField(max_length=32)
    status = models.CharField(max_length=16)
    amount_qualifier = models.CharField(max_length=16)
    power_qualifier = models.CharField(max_length=16)
    # The sums of the stated amounts and powers (an undisclosed one adds 0 and is counted by
    # its qualifier); wide enough for a million deals of the largest amount.
    money = models.DecimalField(max_digits=30, decimal_places=2, default=0)
    power = models.DecimalField(max_digits=20, decimal_places=3, default=0)
    deals = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["deal_type", "status", "amount_qualifier", "power_qualifier"],
                name="deal_tally_one_row_per_group",
            )
        ]

    def __str__(self):
        return f"{self.deal_type}/{self.status}: {self.deals} deals"
