import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.core.dates import PartialDateField, status_as_of
from ecosystem.core.models import (
    Country,
    Period,
    PublicationStatus,
    Publishable,
    PublishableQuerySet,
    Sector,
    Source,
    fact_source,
    last_check_index,
    public,
)
from ecosystem.core.roles import Role, organization_link, record_link, role_field, unique_role
from programmes.models import Programme

SERIES_EDITIONS = 20


class EventSeriesQuerySet(PublishableQuerySet):
    def for_detail(self):
        """Everything a series' page shows, in a fixed number of queries: its roles
        (who takes part, and through which programme) and its published editions."""
        roles = EventSeriesRole.objects.filter(
            organization__publication_status=PublicationStatus.PUBLISHED
        ).select_related("organization", "programme", "source")
        # The latest editions: a series held for decades lists its others in the
        # events list (its page says how many).
        editions = Event.objects.published().for_list().order_by("-start", "pk")
        return (
            super()
            .for_detail()
            .prefetch_related(
                Prefetch("roles", roles),
                Prefetch("events", editions[:SERIES_EDITIONS], to_attr="latest_editions"),
            )
        )


class EventSeries(Publishable):
    """A recurring event (SIPEN, VivaTech, GITEX) whose editions are Events: a record of
    its own, with a page, in lists, search, sitemap and API."""

    # Its links keep the names they had before series became records.
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), blank=True, related_name="event_series"
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="event_series"
    )
    sources = models.ManyToManyField(
        Source, verbose_name=_("sources"), blank=True, related_name="event_series"
    )

    objects = EventSeriesQuerySet.as_manager()

    class Meta(Publishable.Meta):
        verbose_name = _("event series")
        verbose_name_plural = _("event series")
        constraints = [models.UniqueConstraint(fields=["slug"], name="event_series_unique_slug")]

    def get_absolute_url(self):
        return reverse("events:series-detail", kwargs={"slug": self.slug})


class EventKind(models.TextChoices):
    TRADE_SHOW = "trade_show", _("trade show")
    CONFERENCE = "conference", _("conference")
    CONSULTATION = "consultation", _("consultation")
    STUDY_VISIT = "study_visit", _("study visit")
    TRAINING = "training", _("training")
    MISSION = "mission", _("mission")
    MEETUP = "meetup", _("meetup")


class EventStatus(models.TextChoices):
    ANNOUNCED = "announced", _("announced")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class EventQuerySet(PublishableQuerySet):
    # Every saved event has an end (see Event.save), so these are plain comparisons.
    def upcoming(self, today=None):
        """Events not over yet (an event under way is still worth going to)."""
        return self.filter(end__gte=today or timezone.localdate())

    def past(self, today=None):
        return self.filter(end__lt=today or timezone.localdate())

    def soonest(self, today=None):
        """Events not over yet, the first to end first: for an event of a day (most of
        them) that is its start; an event under way comes while it can still be
        attended. Ordered by what it filters on, so that the index on the end (event_end)
        is read from today and the database stops at the rows asked for. Ordered by
        start, it would have to find every event still running, wherever it started."""
        return self.upcoming(today).order_by("end", "start", "slug")

    def recent(self, today=None):
        """Events over, the last to end first, from the same index read backwards."""
        return self.past(today).order_by("-end", "-start", "slug")

    def during(self, year):
        """Events taking place at some point of that year."""
        return self.filter(
            start__lte=datetime.date(year, 12, 31), end__gte=datetime.date(year, 1, 1)
        )

    def for_list(self):
        """What a list row shows; its sources date an "announced" status."""
        return self.select_related("series", "country").prefetch_related(
            "countries", "sectors", "sources"
        )

    def for_api(self):
        return self.for_detail()

    def for_detail(self):
        """Everything an event's page shows, in a fixed number of queries."""
        return (
            self.for_list()
            .select_related("programme", "dates_source")
            .prefetch_related(
                "sources",
                Prefetch(
                    "roles",
                    EventRole.objects.filter(
                        organization__publication_status=PublicationStatus.PUBLISHED
                    ).select_related("organization", "source"),
                ),
            )
        )


class Event(Publishable, Period):
    # Every event has at least a known year; the end stays optional.
    start = PartialDateField(_("start"), precision_field="start_precision", null=False, blank=False)
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    series = models.ForeignKey(
        EventSeries,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country where held"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events_held",
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.ANNOUNCED
    )
    dates_source = fact_source()

    objects = EventQuerySet.as_manager()

    class Meta(Publishable.Meta):
        ordering = ["-start", "slug"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [*Publishable.Meta.constraints, *Period.Meta.constraints]
        indexes = [
            models.Index(fields=["start"], name="event_start"),
            last_check_index("event_published_checked"),
            # Upcoming and recent events (the home page) are read in the order of their
            # end from today, one way or the other: the scan starts where the answer
            # is and stops at the fifth, instead of walking past every event over.
            models.Index(fields=["end"], name="event_end"),
            # The list by name (its sort "name"), in each language.
            models.Index(fields=["sort_en", "id"], name="event_sort_en"),
            models.Index(fields=["sort_fr", "id"], name="event_sort_fr"),
        ]

    def get_absolute_url(self):
        return reverse("events:event-detail", kwargs={"slug": self.slug})

    @property
    def public_programme(self) -> Programme | None:
        return public(self.programme)

    def get_status_display(self):
        """Held and cancelled are facts; "announced" may have changed since its source
        said it, so it says when: "announced (as of January 2019)"."""
        label = EventStatus(self.status).label
        if self.status == EventStatus.ANNOUNCED:
            return status_as_of(label, self.as_of)
        return label

    def clean(self):
        super().clean()
        if self.status == EventStatus.HELD and self.start and self.start > timezone.localdate():
            raise ValidationError(
                {"status": _("An event cannot be marked held before it has started.")}
            )

    def save(self, *args, **kwargs):
        # An event without an end took place within its start: "September 2018" ends on
        # 30 September, "4 July 2018" on 4 July. It prints the same and filters right.
        if self.end is None and self.start is not None:
            self.end, self.end_precision = self.start, self.start_precision
        super().save(*args, **kwargs)
        # Where it was held is one of the countries it concerns: filters, facets and
        # country pages, which read `countries`, never disagree with the page.
        if self.country_id and not self.countries.filter(pk=self.country_id).exists():
            self.countries.add(self.country_id)


class EventRoleKind(models.TextChoices):
    ORGANIZER = "organizer", _("organizer")
    CO_ORGANIZER = "co_organizer", _("co-organizer")
    HOST = "host", _("host")
    # "sous l'égide du Ministère": patronage, not hosting.
    PATRON = "patron", _("under the aegis of")
    SPONSOR = "sponsor", _("sponsor")
    EXHIBITOR = "exhibitor", _("exhibitor")
    PARTICIPANT = "participant", _("participant")
    DELEGATION = "delegation", _("delegation")


ROLE_PLURALS = {
    EventRoleKind.ORGANIZER: _("organizers"),
    EventRoleKind.CO_ORGANIZER: _("co-organizers"),
    EventRoleKind.HOST: _("hosts"),
    EventRoleKind.PATRON: _("under the aegis of"),
    EventRoleKind.SPONSOR: _("sponsors"),
    EventRoleKind.EXHIBITOR: _("exhibitors"),
    EventRoleKind.PARTICIPANT: _("participants"),
    EventRoleKind.DELEGATION: _("delegations"),
}
ROLE_ON_ORGANIZATION_PAGE = {
    EventRoleKind.ORGANIZER: _("organizer of"),
    EventRoleKind.CO_ORGANIZER: _("co-organizer of"),
    EventRoleKind.HOST: _("host of"),
    EventRoleKind.PATRON: _("patron of"),
    EventRoleKind.SPONSOR: _("sponsor of"),
    EventRoleKind.EXHIBITOR: _("exhibitor at"),
    EventRoleKind.PARTICIPANT: _("took part in"),
    EventRoleKind.DELEGATION: _("sent a delegation to"),
}


class EventRole(Role):
    event = record_link(Event, _("event"))
    organization = organization_link("event_roles")
    role = role_field(EventRoleKind)

    record_field = "event"
    plurals = ROLE_PLURALS
    organization_labels = ROLE_ON_ORGANIZATION_PAGE

    class Meta:
        ordering = ["event__slug", "role", "organization__slug"]
        verbose_name = _("event role")
        verbose_name_plural = _("event roles")
        constraints = [unique_role("event", "event_role_unique")]


class EventSeriesRoleQuerySet(models.QuerySet):
    def public(self):
        """The rows the public sees, with what a row shows: the organization's page
        ("sent a delegation to SIPEN (through NTF V)") and the programme's ("supported:
        OPTIC sent a delegation to SIPEN") read this one query, so they never disagree."""
        published = PublicationStatus.PUBLISHED
        return self.filter(
            organization__publication_status=published, series__publication_status=published
        ).select_related("series", "organization", "programme", "source")


class EventSeriesRole(Role):
    """An organization's part in a series as a whole ("OPTIC's members exhibited at
    SIPEN through NTF V"), when the source names no edition."""

    series = record_link(EventSeries, _("series"))
    organization = organization_link("series_roles")
    role = role_field(EventRoleKind)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("through programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="series_roles",
        help_text=_("The programme that made this part possible, if the source names one."),
    )

    record_field = "series"
    plurals = ROLE_PLURALS
    organization_labels = ROLE_ON_ORGANIZATION_PAGE

    objects = EventSeriesRoleQuerySet.as_manager()

    class Meta:
        ordering = ["series__slug", "role", "organization__slug"]
        verbose_name = _("series role")
        verbose_name_plural = _("series roles")
        constraints = [unique_role("series", "event_series_role_unique")]

    @property
    def through(self):
        return public(self.programme)
