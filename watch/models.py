"""Who follows what, and what each follower was last sent.

A `Follow` is one company or one saved timeline filter (its query string, in the export's
ids, e.g. "company=anthropic&type=investment"). Its `sent_until` is the moment up to which
its follower has been told everything: each digest covers (sent_until, now] and then moves
it, so running `send_digests` twice sends nothing twice. A `Reader` holds the person's digest
settings: the language of their emails and whether they want them at all.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from deals.validation import storable_text


class Reader(models.Model):
    """A person's digest settings; made the first time they follow something."""

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        ARABIC = "ar", _("Arabic")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="reader",
    )
    language = models.CharField(
        _("digest language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    receives_digests = models.BooleanField(
        _("receives digests"),
        default=True,
        help_text=_("Off once the reader unsubscribes from an email; their follows stay."),
    )

    class Meta:
        verbose_name = _("reader")
        verbose_name_plural = _("readers")
        constraints = [
            models.CheckConstraint(
                condition=Q(language__in=["en", "ar"]), name="watch_reader_language_valid"
            )
        ]

    def __str__(self):
        return self.user.get_username()


class FollowQuerySet(models.QuerySet):
    def of_user(self, user):
        return self.filter(user=user).select_related("company")


class Follow(models.Model):
    """One company, or one saved filter of the timeline, that a user follows."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="follows",
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followers",
    )
    query = models.CharField(
        _("saved filter"),
        max_length=500,
        blank=True,
        validators=[storable_text],
        help_text=_("The timeline's query string, e.g. company=anthropic&type=investment."),
    )
    created_at = models.DateTimeField(_("followed since"), default=timezone.now)
    sent_until = models.DateTimeField(
        _("told everything up to"),
        default=timezone.now,
        help_text=_("The next digest lists what changed after this moment."),
    )

    objects = FollowQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.CheckConstraint(
                condition=(Q(company__isnull=False) & Q(query=""))
                | (Q(company__isnull=True) & ~Q(query="")),
                name="watch_follow_company_or_filter",
                violation_error_message=_("Follow either a company or a saved filter."),
            ),
            models.UniqueConstraint(
                fields=["user", "company"],
                condition=Q(company__isnull=False),
                name="watch_follow_company_once",
            ),
            models.UniqueConstraint(
                fields=["user", "query"], condition=~Q(query=""), name="watch_follow_filter_once"
            ),
        ]

    def __str__(self):
        return str(self.company) if self.company_id else self.query
