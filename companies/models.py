"""The organisations behind AI-infrastructure deals, and the clouds and chips they run."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dealwatch.language import reader_is_arabic

from .text import compact_name, normalize_name

# A UTF-16 surrogate on its own (JSON's "\ud800") is no character: no database can store it in
# UTF-8, and writing it fails with a traceback instead of a message.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_no_null_characters = ProhibitNullCharactersValidator()


def storable_text(value) -> None:
    """Text every supported database stores as given: no NUL character (PostgreSQL refuses
    them where SQLite keeps them) and no lone surrogate. Lists and objects (JSON fields) are
    checked string by string, keys included. Here, in the app every other app builds on, so
    that one validator serves every model; `deals.validation` lists the whole set."""
    if isinstance(value, str):
        _no_null_characters(value)
        found = _LONE_SURROGATE.search(value)
        if found:
            raise ValidationError(
                _(
                    "This text holds a lone surrogate (U+%(code)04X at character %(position)s), "
                    "which is not a character and cannot be stored."
                ),
                code="lone_surrogate",
                params={"code": ord(found.group()), "position": found.start() + 1},
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            storable_text(key)
            storable_text(item)
    elif isinstance(value, list | tuple):
        for item in value:
            storable_text(item)


class BilingualNameMixin(models.Model):
    """An English and an Arabic name, shown in the reader's language where known."""

    name = models.CharField(_("English name"), max_length=200, validators=[storable_text])
    name_ar = models.CharField(
        _("Arabic name"), max_length=200, blank=True, validators=[storable_text]
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        if reader_is_arabic():
            return self.name_ar or self.name
        return self.name or self.name_ar


class CompanyQuerySet(models.QuerySet):
    def matching(self, query: str):
        """Companies whose name or any alias contains `query`, in either script, any spelling."""
        key = compact_name(query)
        if not key:
            return self.none()
        return self.filter(aliases__compact__contains=key).distinct()

    def resolve(self, spelling: str):
        """The company this exact spelling (up to normalisation) names, or None."""
        return self.filter(aliases__compact=compact_name(spelling)).first()


class Company(BilingualNameMixin):
    class Kind(models.TextChoices):
        AI_LAB = "ai_lab", _("AI lab")
        CLOUD_PROVIDER = "cloud_provider", _("Cloud provider")
        CHIPMAKER = "chipmaker", _("Chipmaker")
        INVESTOR = "investor", _("Investor / conglomerate")
        DATA_CENTER_OPERATOR = "data_center_operator", _("Data-centre operator")
        OTHER = "other", _("Other")

    slug = models.SlugField(
        _("id"),
        max_length=80,
        unique=True,
        help_text=_("Stable identifier used in URLs and the export, e.g. 'anthropic'."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subsidiaries",
    )
    website = models.URLField(_("website"), blank=True, validators=[storable_text])

    objects = CompanyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="company_not_its_own_parent"
            ),
        ]

    def save(self, *args, **kwargs):
        # The official names always resolve, whatever aliases an editor adds. A spelling that
        # folds to the same key as an existing alias of this company is already covered; one
        # that names another company is refused (clean() says so before we get here).
        with transaction.atomic():
            super().save(*args, **kwargs)
            for spelling in filter(None, [self.name, self.name_ar]):
                compact = compact_name(spelling)
                if not compact:
                    continue
                clash = self._alias_owned_elsewhere(spelling)
                if clash:
                    raise ValidationError(
                        _("“%(name)s” is already a spelling of %(company)s.")
                        % {"name": spelling, "company": clash.company}
                    )
                if not CompanyAlias.objects.filter(compact=compact).exists():
                    CompanyAlias.objects.create(company=self, name=spelling)

    def get_absolute_url(self):
        return reverse("companies:detail", args=[self.slug])

    def clean(self):
        errors = {}
        if self.pk and self.parent_id == self.pk:
            errors["parent"] = _("A company cannot be its own parent.")
        for field in ("name", "name_ar"):
            spelling = getattr(self, field)
            if not spelling:
                continue
            if not compact_name(spelling):
                errors[field] = _("A name needs at least one letter or digit.")
                continue
            clash = self._alias_owned_elsewhere(spelling)
            if clash:
                errors[field] = _(
                    "“%(name)s” is already a spelling of %(company)s (as “%(alias)s”). "
                    "Use another name, or edit %(company)s instead of adding it twice."
                ) % {"name": spelling, "company": clash.company, "alias": clash.name}
        if errors:
            raise ValidationError(errors)

    def _alias_owned_elsewhere(self, spelling: str) -> "CompanyAlias | None":
        """The alias of ANOTHER company that `spelling` folds to, if any."""
        aliases = CompanyAlias.objects.filter(compact=compact_name(spelling))
        if self.pk:
            aliases = aliases.exclude(company_id=self.pk)
        return aliases.select_related("company").first()

    @property
    def all_names(self) -> list[str]:
        return sorted(
            {alias.name for alias in self.aliases.all()} | {self.name, self.name_ar} - {""}
        )


class CompanyAlias(models.Model):
    """One spelling of a company's name, as the press writes it (e.g. "إنتروبيك")."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(_("spelling"), max_length=200, validators=[storable_text])
    normalized = models.CharField(max_length=200, editable=False, db_index=True)
    compact = models.CharField(max_length=200, editable=False, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalized = normalize_name(self.name)
        self.compact = compact_name(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        compact = compact_name(self.name)
        if not compact:
            raise ValidationError({"name": _("An alias needs at least one letter or digit.")})
        clash = CompanyAlias.objects.filter(compact=compact).exclude(pk=self.pk).first()
        if clash and clash.company_id != self.company_id:
            raise ValidationError(
                {
                    "name": _("“%(name)s” already names %(company)s.")
                    % {"name": self.name, "company": clash.company}
                }
            )


class PlatformQuerySet(models.QuerySet):
    def matching(self, query: str):
        """Platforms any of whose names or other spellings contains `query`, once folded.

        Platforms are few and keep their spellings in a JSON list, which SQL cannot fold:
        they are read (one query) and folded here. The result is those found by pk, with its
        rows already in place, so reading it costs no second query and chaining onto it
        filters in SQL as usual.
        """
        key = compact_name(query)
        if not key:
            return self.none()
        found = [p for p in self if any(key in compact_name(n) for n in p.all_names)]
        matching = self.filter(pk__in=[p.pk for p in found])
        matching._result_cache = found
        return matching


class Platform(BilingualNameMixin):
    """Something a deal runs on: shared fields of clouds and chip platforms."""

    slug = models.SlugField(_("id"), max_length=80, unique=True)
    aliases = models.JSONField(
        _("other spellings"),
        default=list,
        blank=True,
        help_text=_("A list of strings."),
        validators=[storable_text],
    )

    objects = PlatformQuerySet.as_manager()
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    @property
    def all_names(self) -> list[str]:
        return [n for n in [self.name, self.name_ar, *self.aliases] if n]


class CloudPlatform(Platform):
    operator = models.ForeignKey(
        Company, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="clouds"
    )

    class Meta(Platform.Meta):
        verbose_name = _("cloud platform")
        verbose_name_plural = _("cloud platforms")


class ChipPlatform(Platform):
    class Kind(models.TextChoices):
        GPU = "gpu", _("GPU")
        TPU = "tpu", _("TPU")
        CUSTOM_ACCELERATOR = "custom_accelerator", _("Custom accelerator")
        CPU = "cpu", _("CPU")

    vendor = models.ForeignKey(
        Company, verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="chip_platforms"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)

    class Meta(Platform.Meta):
        verbose_name = _("chip platform")
        verbose_name_plural = _("chip platforms")
