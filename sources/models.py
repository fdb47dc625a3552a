"""What DealWatch watches (Source) and each item it has seen in a source (SourceItem)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from deals.models import Article


class Source(models.Model):
    """A news feed (RSS or Atom), or a page that names its feed or is itself one article."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    feed_url = models.URLField(_("feed URL"), max_length=1000, blank=True)
    page_url = models.URLField(
        _("page URL"),
        max_length=1000,
        blank=True,
        help_text=_(
            "A page instead of a feed: its feed is found from its alternate links, or the "
            "page is read as one article."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Article.Language.choices,
        blank=True,
        help_text=_("Leave blank to tell each article's language from its text."),
    )
    active = models.BooleanField(_("active"), default=True)
    # The feed's validators, sent back as a conditional request next time.
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    failures = models.PositiveIntegerField(_("failures in a row"), default=0, editable=False)
    retry_after = models.DateTimeField(_("next try"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("news source")
        verbose_name_plural = _("news sources")

    def __str__(self):
        return self.name

    @property
    def url(self) -> str:
        return self.feed_url or self.page_url

    def clean(self):
        if not (self.feed_url or self.page_url):
            raise ValidationError(_("Give a feed URL or a page URL."))


class SourceItem(models.Model):
    """One link a source listed, and what became of it: read into an article, or why not."""

    class Status(models.TextChoices):
        STORED = "stored", _("stored as a new article")
        DUPLICATE = "duplicate", _("same text as an article already stored")
        EMPTY = "empty", _("no article text found")
        FAILED = "failed", _("failed; tried again next time")

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="items")
    url = models.URLField(_("URL"), max_length=1000)
    title = models.CharField(_("title"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    article = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="source_items",
        verbose_name=_("article"),
    )
    seen_at = models.DateTimeField(_("first seen"), auto_now_add=True)
    fetched_at = models.DateTimeField(_("last fetched"), auto_now=True)

    class Meta:
        ordering = ["-seen_at"]
        verbose_name = _("source item")
        verbose_name_plural = _("source items")
        constraints = [
            models.UniqueConstraint(fields=["source", "url"], name="source_item_url_unique")
        ]

    def __str__(self):
        return self.title or self.url


class ArticleReview(models.Model):
    """Where an article stands in the editors' inbox, and what the assistant noted reading it.

    Made when the assistant proposes the article's drafts (pasted or fetched), so the inbox
    lists what arrived that way, never the articles editors typed in themselves."""

    class State(models.TextChoices):
        NEW = "new", _("new")
        REVIEWED = "reviewed", _("reviewed")
        IGNORED = "ignored", _("ignored")

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="inbox", verbose_name=_("article")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.NEW, db_index=True
    )
    # What the extractor noted (a model-backed extractor's fallback, drafts it dropped).
    notes = models.JSONField(_("extractor's notes"), default=list, blank=True)
    decided_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("article review")
        verbose_name_plural = _("article reviews")

    def __str__(self):
        return f"{self.article} ({self.get_state_display()})"


class InboxArticle(Article):
    """The editors' inbox in the admin: articles the assistant read, newest first."""

    class Meta:
        proxy = True
        ordering = ["-added_at"]
        verbose_name = _("article to review")
        verbose_name_plural = _("editor’s inbox")
