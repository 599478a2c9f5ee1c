"""The secret calendar (ICS) addresses (imported by campaigns.models, so that Django
finds them in the campaigns app)."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign


class CalendarFeed(models.Model):
    """A secret ICS address for one staff member's visits or one campaign's visits.

    Only a hash of the token is stored: the address is shown once, when it is made.
    Revoking it makes the old address answer 404; a new one can be made at any time.
    """

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_feeds",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_feeds",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, campaign__isnull=True)
                    | models.Q(user__isnull=True, campaign__isnull=False)
                ),
                name="calendar_feed_for_one_user_or_one_campaign",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_at__isnull=True, user__isnull=False),
                name="one_active_feed_per_user",
            ),
            models.UniqueConstraint(
                fields=["campaign"],
                condition=models.Q(revoked_at__isnull=True, campaign__isnull=False),
                name="one_active_feed_per_campaign",
            ),
        ]

    def __str__(self):
        return str(self.user or self.campaign)

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
