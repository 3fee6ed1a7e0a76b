"""What the public proposes: a new record or a correction to one. A suggestion never
publishes anything: staff accept it (a draft is created, or the record is updated, citing
the suggestion as its source) or reject it with a reason."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecosystem.core.text import clean_model_text
from events.models import EventKind
from members.models import network_link, validate_phone

# What a suggestion may propose, and who says it on what grounds: the form and the
# moderation queue show them in this order.
PROPOSED = [
    *("name", "summary", "website", "countries", "sectors", "event_kind", "start"),
    *("email", "phone", "address", "linkedin", "x", "facebook", "details"),
]
SUBMITTER = ["submitter_name", "submitter_email", "source"]


class SuggestionKind(models.TextChoices):
    NEW = "new", _("a new record")
    CORRECTION = "correction", _("a correction")


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("to review")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class Suggestion(models.Model):
    kind = models.CharField(_("suggestion"), max_length=10, choices=SuggestionKind.choices)
    record_type = models.CharField(_("kind of record"), max_length=20)
    record_slug = models.SlugField(
        _("record corrected"), max_length=120, blank=True, db_index=False
    )
    # What is proposed (empty: nothing proposed for that field).
    name = models.CharField(_("name"), max_length=250, blank=True)
    summary = models.CharField(_("summary"), max_length=400, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    countries = models.CharField(
        _("countries"), max_length=300, blank=True, help_text=_("Names or codes, separated by ;")
    )
    sectors = models.CharField(_("sectors"), max_length=300, blank=True)
    event_kind = models.CharField(
        _("kind of event"), max_length=12, choices=EventKind.choices, blank=True
    )
    start = models.CharField(
        _("date"),
        max_length=10,
        blank=True,
        help_text=_("For an event: 2026, 2026-06 or 2026-06-14."),
    )
    email = models.EmailField(_("public email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[validate_phone])
    address = models.CharField(_("postal address"), max_length=300, blank=True)
    linkedin = network_link("LinkedIn", "linkedin.com")
    x = network_link("X", "x.com", "twitter.com")
    facebook = network_link("Facebook", "facebook.com", "fb.com")
    details = models.TextField(_("what to add or correct"), max_length=3000, blank=True)
    # Who, and on what grounds.
    submitter_name = models.CharField(_("your name"), max_length=120)
    submitter_email = models.EmailField(_("your email"))
    source = models.CharField(
        _("source"),
        max_length=500,
        help_text=_("A link to where this is said, or a description of the document."),
    )
    # Moderation.
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.PENDING,
    )
    reason = models.TextField(_("reason for rejecting"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    result_slug = models.SlugField(_("record created or updated"), max_length=120, blank=True)
    language = models.CharField(_("language"), max_length=2, default="fr", editable=False)
    created = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        ordering = ["created"]
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.name or self.record_slug}"

    def save(self, *args, **kwargs):
        # As every record: stored as clean text (ecosystem.core.text), whoever writes it.
        clean_model_text(self)
        super().save(*args, **kwargs)

    def clean(self):
        if self.status == SuggestionStatus.REJECTED and not self.reason.strip():
            raise ValidationError({"reason": _("Say why the suggestion is rejected.")})
