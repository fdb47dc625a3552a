"""API tokens: what lets a program read the API when the site requires sign-in.

Only a hash of each token is stored (SHA-256: a token is 32 random bytes, so no slow hash is
needed to stop guessing), and the token itself is shown once, to the admin who issues it.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "dw_"  # noqa: S105 (a marker that says what the secret is, not a secret)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def for_token(self, token: str):
        """The active token of an active user that `token` is, or None: one query."""
        return (
            self.filter(digest=token_digest(token), is_active=True, user__is_active=True)
            .select_related("user")
            .first()
        )


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
        help_text=_("The API reads with this person's access; deactivating them stops it."),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Who uses it, for example “Newsroom notebook”.")
    )
    # The first characters, so that an admin can tell tokens apart without storing them.
    prefix = models.CharField(_("begins with"), max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick to revoke the token at once.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def issue(self) -> str:
        """Give this token a new secret and return it: the only time it can be read."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.prefix = token[: len(TOKEN_PREFIX) + 6]
        self.digest = token_digest(token)
        return token
