"""What the directory keeps of the IATI activities it imported: the DAC-sector mapping
staff edit, one record per imported activity with what the publisher said at the last
import (per field, so that a re-import tells the publisher's changes from staff's),
the conflicts between the two, and the publishers' files to sync."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ecosystem.core.models import Source
from programmes.models import Programme


class SectorMapping(models.Model):
    """A DAC sector code (5 digits, or a 3-digit category covering its 5-digit codes)
    and the directory's sector it files programmes under. Kept by slug, so that the
    default mapping exists before the seed makes the sectors; a slug naming no sector
    leaves its code unmapped (and listed as such by the import)."""

    code = models.CharField(
        _("DAC sector code"),
        max_length=5,
        help_text=_("A DAC 5-digit sector code (22040) or 3-digit category (220)."),
    )
    sector_slug = models.SlugField(
        _("directory sector"),
        max_length=80,
        help_text=_("The slug of the directory’s sector, e.g. digital-technology."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("DAC sector mapping")
        verbose_name_plural = _("DAC sector mappings")
        constraints = [
            models.UniqueConstraint(fields=["code"], name="iati_sector_mapping_unique_code"),
            models.CheckConstraint(
                condition=Q(code__regex=r"^([0-9]{3}|[0-9]{5})$"),
                name="iati_sector_mapping_code_digits",
                violation_error_message=_("A DAC sector code has 3 or 5 digits."),
            ),
        ]

    def __str__(self):
        return f"{self.code} → {self.sector_slug}"


class SyncSource(models.Model):
    """A publisher's activity file, or a query URL, that the weekly job imports again.
    Only addresses on the hosts of settings.IATI_ALLOWED_HOSTS are fetched."""

    url = models.URLField(_("address"), max_length=500)
    publisher = models.CharField(
        _("publisher"),
        max_length=200,
        help_text=_("Who publishes the file, as staff know them (AFD, the AfDB...)."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    whole_file = models.BooleanField(
        _("the publisher’s whole file"),
        default=True,
        help_text=_(
            "Activities of its publishers missing from it are flagged as gone. Untick for a "
            "query that returns only some of a publisher’s activities."
        ),
    )
    last_run = models.DateTimeField(_("last run"), null=True, blank=True, editable=False)
    last_ok = models.BooleanField(_("last run succeeded"), null=True, editable=False)
    last_result = models.TextField(_("last result"), blank=True, editable=False)

    class Meta:
        ordering = ["publisher", "url"]
        verbose_name = _("IATI source to sync")
        verbose_name_plural = _("IATI sources to sync")
        constraints = [models.UniqueConstraint(fields=["url"], name="iati_sync_source_unique_url")]

    def __str__(self):
        return f"{self.publisher} ({self.url})"


class Activity(models.Model):
    """An IATI activity the directory imported, and the programme it became.

    `imported` holds each field and relation as the publisher gave it at the last
    import, in the import's own terms ({"name_en": "...", "countries": ["ML", "SN"]}):
    a re-import changes a field only when the programme still holds that value (staff
    did not edit it since) and the publisher's has changed; otherwise a Conflict."""

    identifier = models.CharField(_("IATI identifier"), max_length=150)
    programme = models.OneToOneField(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="iati_activity",
    )
    publisher_ref = models.CharField(_("publisher’s identifier"), max_length=100, blank=True)
    publisher_name = models.CharField(_("publisher"), max_length=250, blank=True)
    last_updated = models.DateTimeField(_("last updated by the publisher"), null=True, blank=True)
    version = models.CharField(_("IATI version"), max_length=8, blank=True)
    # IATI's ActivityStatus code (1 pipeline … 6 suspended), as of `last_updated`.
    status = models.CharField(_("IATI activity status"), max_length=2, blank=True)
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # What the programme's fields cannot hold, as the publisher gave it: planned and
    # actual dates, countries with their percentages, regions, every sector code (the
    # unmapped ones listed apart), budgets per currency and period, transaction totals,
    # contacts.
    details = models.JSONField(_("details"), default=dict, blank=True)
    imported = models.JSONField(_("values at the last import"), default=dict, blank=True)
    first_imported = models.DateTimeField(_("first imported"), auto_now_add=True)
    last_imported = models.DateTimeField(_("last imported"), auto_now=True)
    # Set when a file of its publisher no longer holds it: flagged, never deleted.
    gone_since = models.DateTimeField(
        _("gone from its publisher’s file since"), null=True, blank=True
    )
    sync_source = models.ForeignKey(
        SyncSource,
        verbose_name=_("synced from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )

    class Meta:
        ordering = ["identifier"]
        verbose_name = _("imported IATI activity")
        verbose_name_plural = _("imported IATI activities")
        constraints = [
            models.UniqueConstraint(fields=["identifier"], name="iati_activity_unique_identifier")
        ]

    def __str__(self):
        return self.identifier


class Resolution(models.TextChoices):
    KEPT_STAFF = "kept_staff", _("kept staff’s value")
    TOOK_PUBLISHER = "took_publisher", _("took the publisher’s value")


class Conflict(models.Model):
    """A field or relation the publisher changed after staff had changed it: the
    programme keeps staff's value until staff resolve it."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("IATI activity"),
        on_delete=models.CASCADE,
        related_name="conflicts",
    )
    field = models.CharField(_("field"), max_length=40)
    staff_value = models.JSONField(_("staff’s value"), null=True, blank=True)
    publisher_value = models.JSONField(_("publisher’s value"), null=True, blank=True)
    found = models.DateTimeField(_("found"), auto_now_add=True)
    resolved = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolution = models.CharField(
        _("resolution"), max_length=16, choices=Resolution.choices, blank=True
    )

    class Meta:
        ordering = ["-found", "field"]
        verbose_name = _("IATI conflict")
        verbose_name_plural = _("IATI conflicts")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "field"],
                condition=Q(resolved__isnull=True),
                name="iati_conflict_one_open_per_field",
            )
        ]

    def __str__(self):
        return f"{self.activity} – {self.field}"


class KnownOrganization(models.Model):
    """How a publisher names an organization (its IATI identifier, else its name,
    folded) and the directory's organization staff matched it to in a preview: the next
    import finds it without asking."""

    key = models.CharField(_("identifier or folded name"), max_length=250)
    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        ordering = ["key"]
        verbose_name = _("organization as IATI names it")
        verbose_name_plural = _("organizations as IATI names them")
        constraints = [
            models.UniqueConstraint(fields=["key"], name="iati_known_organization_unique_key")
        ]

    def __str__(self):
        return self.key
