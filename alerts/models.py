"""A visitor following a filtered list (or a "find support" answer) by email. The address
is kept for that alone: deleted on unsubscribe, or a year after it was given if it was
never confirmed (alerts.digest)."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    DAILY = "daily", _("daily")
    WEEKLY = "weekly", _("weekly")


class Subscription(models.Model):
    # What the links in its mails name (signed, alerts.tokens): never the row's number,
    # which another subscription may take after this one is deleted.
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    email = models.EmailField(_("email address"))
    # A record type's key ("programmes") or "support" (alerts.follow), and its filters as
    # a query string ("country=ML&sector=agritech").
    followed = models.CharField(_("list followed"), max_length=40)
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=6, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    language = models.CharField(_("language"), max_length=2, default="en")
    created = models.DateTimeField(_("asked on"), auto_now_add=True)
    confirmed = models.DateTimeField(_("confirmed on"), null=True, blank=True)
    # Records published up to this moment have been looked at for this subscription:
    # the next digest holds those first published after it.
    covered_until = models.DateTimeField(_("new records looked for until"), null=True, blank=True)

    class Meta:
        verbose_name = _("email alert")
        verbose_name_plural = _("email alerts")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["key"], name="alerts_subscription_unique_key"),
            models.UniqueConstraint(
                fields=["email", "followed", "query"], name="alerts_subscription_unique_follow"
            ),
        ]
        indexes = [
            # The digest's query: confirmed subscriptions due, by frequency.
            models.Index(
                fields=["frequency", "covered_until"],
                condition=Q(confirmed__isnull=False),
                name="alerts_due",
            ),
            # The clean-up's query: unconfirmed addresses by age.
            models.Index(
                fields=["created"],
                condition=Q(confirmed__isnull=True),
                name="alerts_unconfirmed",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.followed}?{self.query}"
