import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ecosystem.core.dates import (
    PartialDateField,
    PrecisionField,
    format_as_of,
    format_partial,
    months_before,
    status_as_of,
)
from ecosystem.core.history import History
from ecosystem.core.models import (
    Country,
    Period,
    PublicationStatus,
    Publishable,
    PublishableQuerySet,
    Source,
    Translated,
    fact_source,
    last_check_index,
    non_negative,
    public,
)
from ecosystem.core.roles import Role, organization_link, record_link, role_field, unique_role
from ecosystem.core.search import search_key
from members.models import Organization


class Qualifier(models.TextChoices):
    EXACT = "exact", _("exactly")
    AT_LEAST = "at_least", _("at least")
    # "plus de 100": the source says more than, not at least.
    MORE_THAN = "more_than", _("more than")
    ABOUT = "about", _("about")
    TARGET = "target", _("target")


class ProgrammeStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    ACTIVE = "active", _("active")
    # Started, with no known end, and not verified lately: it was active when its
    # sources were written, which says nothing about today.
    REPORTED_ACTIVE = "reported_active", _("last reported active")
    # Ended as a source written after the end, or staff after it, says.
    CLOSED = "closed", _("closed")
    # Its planned end has passed and nothing written since says that it ended: not
    # counted as closed.
    PAST_PLANNED_END = "past_planned_end", _("past its planned end, no later report")
    # As a source reports it, whatever the dates (ReportedStatus).
    CANCELLED = "cancelled", _("cancelled")
    SUSPENDED = "suspended", _("suspended")


class ReportedStatus(models.TextChoices):
    """What a source reports beyond the dates (IATI's activity status): the programme
    is running, ended, was cancelled or is suspended, as of the dates' source. Ended,
    cancelled and suspended win over what the dates would say; running says that the
    source's date, if after the planned end, is no report that it ended."""

    DATES = "dates", _("as its dates say")
    RUNNING = "running", _("running")
    ENDED = "ended", _("ended")
    CANCELLED = "cancelled", _("cancelled")
    SUSPENDED = "suspended", _("suspended")


class StatusBasis(models.TextChoices):
    """How a status is known (the API's and the CSV's `status_basis`)."""

    REPORTED = "reported", _("reported by a source")
    DERIVED_FROM_DATES = "derived_from_dates", _("derived from planned dates")
    VERIFIED = "verified", _("verified by the directory's staff")


class Existence(models.TextChoices):
    """Whether a programme exists: one that is only proposed or hoped for (NTF VI) is
    shown as such and is neither listed nor counted with the others."""

    CONFIRMED = "confirmed", _("confirmed")
    PROPOSED = "proposed", _("proposed")
    HOPED_FOR = "hoped_for", _("hoped for")


# "closed (verified March 2026)": staff checked it lately.
VERIFIED_ON = _("%(status)s (verified %(date)s)")
# A status that follows from planned dates only says so.
PLANNED_END_PASSED = _("planned to end in %(date)s — no later report")
RUNNING_AS_PLANNED = _("running, planned until %(date)s")


# The statuses a source reports whatever the dates say.
REPORTED_STATUSES = {
    ReportedStatus.ENDED: ProgrammeStatus.CLOSED,
    ReportedStatus.CANCELLED: ProgrammeStatus.CANCELLED,
    ReportedStatus.SUSPENDED: ProgrammeStatus.SUSPENDED,
}


def status_conditions(today=None):
    """The status is never stored: it follows from the dates, staff's last verification,
    the date of the dates' source and today. Starts are the first day and ends the last
    day of their period, so these are plain comparisons."""
    today = today or timezone.localdate()
    verified = Q(last_verified__gte=months_before(today, settings.VERIFIED_RECENTLY_MONTHS))
    started = Q(start__lte=today)
    open_ended = Q(end__isnull=True)
    ended = Q(end__lt=today)
    # A source dated after the end (at its earliest), or a check after it, says it ended;
    # not a source that reports it running.
    source_after = Q(dates_source__published__gt=F("end")) & ~Q(
        reported_status=ReportedStatus.RUNNING
    )
    end_reported = Q(last_verified__gt=F("end")) | source_after
    dated = Q(reported_status__in=[ReportedStatus.DATES, ReportedStatus.RUNNING])
    return {
        ProgrammeStatus.PLANNED: dated & Q(start__gt=today),
        ProgrammeStatus.ACTIVE: dated & started & (Q(end__gte=today) | open_ended & verified),
        ProgrammeStatus.REPORTED_ACTIVE: dated & started & open_ended & ~verified,
        ProgrammeStatus.CLOSED: dated & ended & end_reported
        | Q(reported_status=ReportedStatus.ENDED),
        ProgrammeStatus.PAST_PLANNED_END: dated & ended & ~end_reported,
        ProgrammeStatus.CANCELLED: Q(reported_status=ReportedStatus.CANCELLED),
        ProgrammeStatus.SUSPENDED: Q(reported_status=ReportedStatus.SUSPENDED),
    }


class ProgrammeQuerySet(PublishableQuerySet):
    def existing(self):
        """Programmes that exist: not those only proposed or hoped for."""
        return self.filter(existence=Existence.CONFIRMED)

    def with_status(self, *statuses, today=None):
        """Programmes in any of these statuses (planned, active, closed) today."""
        conditions = status_conditions(today)
        condition = Q(pk__in=[])
        for status in statuses:
            condition |= conditions[status]
        return self.filter(condition)

    def status_counts(self, today=None):
        """{status: count} in one query."""
        return self.aggregate(
            **{
                status: Count("pk", filter=condition, distinct=True)
                for status, condition in status_conditions(today).items()
            }
        )

    def active_in(self, year):
        """Programmes running at some point of that year."""
        return self.filter(
            Q(start__lte=datetime.date(year, 12, 31)),
            Q(end__isnull=True) | Q(end__gte=datetime.date(year, 1, 1)),
        )

    def for_list(self):
        """What a list row shows: dates, status (as of its sources), parent, countries,
        sectors and funders."""
        funders = ProgrammeRole.objects.filter(
            role=ProgrammeRoleKind.FUNDING,
            organization__publication_status=PublicationStatus.PUBLISHED,
        ).select_related("organization")
        return self.select_related("parent", "dates_source").prefetch_related(
            "countries", "sectors", "sources", Prefetch("roles", funders, to_attr="funding_roles")
        )

    def with_public_roles(self):
        """Roles of published organizations only."""
        roles = ProgrammeRole.objects.filter(
            organization__publication_status=PublicationStatus.PUBLISHED
        ).select_related("organization", "source")
        return self.prefetch_related(Prefetch("roles", roles))

    def for_api(self):
        return (
            self.for_list()
            .with_public_roles()
            .select_related("dates_source", "budget_source")
            .prefetch_related(
                "sources",
                Prefetch(
                    "sites",
                    Site.objects.select_related(
                        "host", "country", "source", "location_source", "programme__dates_source"
                    ).prefetch_related("programme__sources"),
                ),
                Prefetch("indicators", Indicator.objects.select_related("source")),
            )
        )

    def for_detail(self):
        """Everything a programme's page shows, in a fixed number of queries. Related
        records the public may not see (drafts) are left out."""
        # Its sites, figures and events are read with its phases' (programmes.views).
        children = Programme.objects.published().select_related("dates_source")
        children = children.prefetch_related("sources")
        return self.for_api().prefetch_related(
            Prefetch("contacts", Contact.objects.select_related("source")),
            Prefetch("children", children.existing()),
            Prefetch("children", children.exclude(existence=Existence.CONFIRMED), "hoped_for"),
        )


class Programme(Publishable, Period):
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("The programme this is a phase or component of (NTF V is a phase of NTF)."),
    )
    # IATI's activity identifier (publisher's organisation identifier, then its own
    # reference: "XM-DAC-7-PPR-4000001234"): what an IATI import matches and an export
    # writes. Empty for a programme no IATI publisher reports.
    iati_identifier = models.CharField(
        _("IATI identifier"),
        max_length=150,
        blank=True,
        help_text=_("The activity's iati-identifier, when a funder publishes it in IATI."),
    )
    objectives_en = models.TextField(_("objectives (English)"), blank=True)
    objectives_fr = models.TextField(_("objectives (French)"), blank=True)
    budget_amount = models.DecimalField(
        _("budget"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    budget_currency = models.CharField(
        _("budget currency"), max_length=3, blank=True, help_text=_("ISO 4217, e.g. EUR")
    )
    budget_qualifier = models.CharField(
        _("budget qualifier"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    dates_source = fact_source()
    reported_status = models.CharField(
        _("reported status"),
        max_length=10,
        choices=ReportedStatus.choices,
        default=ReportedStatus.DATES,
        help_text=_(
            "Set when a source reports that the programme is running, ended, was "
            "cancelled or is suspended, whatever its dates; it is as of the dates’ source."
        ),
    )
    budget_source = fact_source()
    existence = models.CharField(
        _("existence"),
        max_length=10,
        choices=Existence.choices,
        default=Existence.CONFIRMED,
        help_text=_(
            "A programme a source only proposes or hopes for is shown as such, and not "
            "listed or counted with the programmes that exist."
        ),
    )

    objectives = Translated(_("objectives"))

    objects = ProgrammeQuerySet.as_manager()

    class Meta(Publishable.Meta):
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            *Publishable.Meta.constraints,
            *Period.Meta.constraints,
            non_negative("budget_amount", "programme_budget_not_negative"),
            models.CheckConstraint(
                condition=Q(budget_amount__isnull=True) | ~Q(budget_currency=""),
                name="programme_budget_has_currency",
                violation_error_message=_("A budget needs its currency."),
            ),
            models.UniqueConstraint(
                fields=["iati_identifier"],
                condition=~Q(iati_identifier=""),
                name="programme_unique_iati_identifier",
                violation_error_message=_("Another programme has this IATI identifier."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="programme_not_own_parent",
                violation_error_message=_("A programme cannot be part of itself."),
            ),
        ]
        indexes = [
            models.Index(fields=["start", "end"], name="programme_period"),
            last_check_index("programme_published_checked"),
        ]

    def get_absolute_url(self):
        return reverse("programmes:programme-detail", kwargs={"slug": self.slug})

    @property
    def public_parent(self) -> "Programme | None":
        return public(self.parent)

    def status_on(self, today):
        reported = REPORTED_STATUSES.get(self.reported_status)
        if reported:
            return reported
        if self.start and self.start > today:
            return ProgrammeStatus.PLANNED
        if self.end and self.end < today:
            return ProgrammeStatus.CLOSED if self.end_reported else ProgrammeStatus.PAST_PLANNED_END
        if self.start:
            if self.end or self.verified_recently(today):
                return ProgrammeStatus.ACTIVE
            return ProgrammeStatus.REPORTED_ACTIVE
        return None  # dates unknown: the directory does not guess

    @property
    def status(self):
        return self.status_on(timezone.localdate())

    @property
    def status_reported_as_of(self):
        """(date, precision) of the source that reports the status: the dates' source,
        else what the programme says is as of."""
        source = self.dates_source
        if source and source.published:
            return source.published, source.published_precision
        return self.as_of

    @property
    def end_reported(self):
        """Whether the end is known to have happened: staff checked after it, or the
        dates' source was written after it (at the earliest its publication may be)."""
        source = self.dates_source
        if self.reported_status == ReportedStatus.RUNNING:
            source = None  # it reports the programme running, not ended
        return bool(
            self.end
            and (
                (self.last_verified and self.last_verified > self.end)
                or (source and source.published and source.published > self.end)
            )
        )

    def status_basis_on(self, today):
        """How the status is known (StatusBasis), None when there is none."""
        status = self.status_on(today)
        if status is None:
            return None
        if self.reported_status in REPORTED_STATUSES:
            verified = self.verified_recently(today)
            return StatusBasis.VERIFIED if verified else StatusBasis.REPORTED
        if status == ProgrammeStatus.CLOSED:
            verified = self.last_verified and self.last_verified > self.end
            return StatusBasis.VERIFIED if verified else StatusBasis.REPORTED
        if status == ProgrammeStatus.PAST_PLANNED_END:
            return StatusBasis.DERIVED_FROM_DATES
        if self.verified_recently(today):
            return StatusBasis.VERIFIED
        if status == ProgrammeStatus.ACTIVE:
            return StatusBasis.DERIVED_FROM_DATES  # its end is still to come, as planned
        return StatusBasis.REPORTED

    @property
    def status_basis(self):
        return self.status_basis_on(timezone.localdate())

    def get_status_display(self):
        """The status in words, never more current or more certain than its source:
        "planned (as of January 2019)", "last reported active, January 2019", "planned
        to end in June 2023 — no later report", "closed (verified March 2026)",
        "hoped for", "status unknown"."""
        today = timezone.localdate()
        status = self.status_on(today)
        if self.existence != Existence.CONFIRMED:
            return status_as_of(Existence(self.existence).label, self.as_of)
        if status is None:
            return _("dates unknown")
        basis = self.status_basis_on(today)
        label = ProgrammeStatus(status).label
        if basis == StatusBasis.VERIFIED:
            return VERIFIED_ON % {"status": label, "date": format_as_of(self.last_verified, "day")}
        if self.reported_status in REPORTED_STATUSES:
            return status_as_of(label, self.status_reported_as_of)
        if status == ProgrammeStatus.PAST_PLANNED_END:
            return PLANNED_END_PASSED % {"date": format_as_of(self.end, self.end_precision)}
        if status == ProgrammeStatus.ACTIVE:
            running = RUNNING_AS_PLANNED % {"date": format_as_of(self.end, self.end_precision)}
            return status_as_of(running, self.as_of)
        if status == ProgrammeStatus.REPORTED_ACTIVE:
            as_of = self.as_of
            if not as_of:
                return _("status unknown")
            return _("last reported active, %(date)s") % {"date": format_as_of(*as_of)}
        if status == ProgrammeStatus.CLOSED:
            source = self.dates_source
            return status_as_of(label, (source.published, source.published_precision))
        return status_as_of(label, self.as_of)

    def save(self, *args, **kwargs):
        self.budget_currency = self.budget_currency.upper()
        super().save(*args, **kwargs)


class ProgrammeRoleKind(models.TextChoices):
    # IATI participating-organisation roles (the values, in the API and the CSV codes),
    # labelled in plain words; then the directory's own.
    FUNDING = "funding", _("funder")
    ACCOUNTABLE = "accountable", _("responsible body")
    EXTENDING = "extending", _("fund manager")
    IMPLEMENTING = "implementing", _("implementer")
    PARTNER = "partner", _("partner")
    HOST = "host", _("host")
    BENEFICIARY = "beneficiary", _("beneficiary")


ROLE_PLURALS = {
    ProgrammeRoleKind.FUNDING: _("funders"),
    ProgrammeRoleKind.ACCOUNTABLE: _("responsible bodies"),
    ProgrammeRoleKind.EXTENDING: _("fund managers"),
    ProgrammeRoleKind.IMPLEMENTING: _("implementers"),
    ProgrammeRoleKind.PARTNER: _("partners"),
    ProgrammeRoleKind.HOST: _("hosts"),
    ProgrammeRoleKind.BENEFICIARY: _("beneficiaries"),
}
ROLE_ON_ORGANIZATION_PAGE = {
    ProgrammeRoleKind.FUNDING: _("funds"),
    ProgrammeRoleKind.ACCOUNTABLE: _("is responsible for"),
    ProgrammeRoleKind.EXTENDING: _("manages the funds of"),
    ProgrammeRoleKind.IMPLEMENTING: _("implements"),
    ProgrammeRoleKind.PARTNER: _("is a partner in"),
    ProgrammeRoleKind.HOST: _("hosts"),
    ProgrammeRoleKind.BENEFICIARY: _("benefits from"),
}


class ProgrammeRole(Role):
    programme = record_link(Programme, _("programme"))
    organization = organization_link("programme_roles")
    role = role_field(ProgrammeRoleKind)

    record_field = "programme"
    plurals = ROLE_PLURALS
    organization_labels = ROLE_ON_ORGANIZATION_PAGE

    class Meta:
        ordering = ["programme__slug", "role", "organization__slug"]
        verbose_name = _("programme role")
        verbose_name_plural = _("programme roles")
        constraints = [unique_role("programme", "programme_role_unique")]


class SiteStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    OPEN = "open", _("open")
    CLOSED = "closed", pgettext_lazy("a site's status", "closed")


class Site(models.Model):
    """A place where a programme operates, such as one Hub-IIT."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="sites"
    )
    name = models.CharField(_("name"), max_length=200)
    host = models.ForeignKey(
        Organization,
        verbose_name=_("host organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_sites",
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="sites"
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=7, decimal_places=4, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=7, decimal_places=4, null=True, blank=True
    )
    opened = PartialDateField(_("opening date"), precision_field="opened_precision")
    opened_precision = PrecisionField(_("precision of the opening date"))
    status = models.CharField(
        _("status"), max_length=8, choices=SiteStatus.choices, default=SiteStatus.OPEN
    )
    note_en = models.CharField(_("note (English)"), max_length=300, blank=True)
    note_fr = models.CharField(_("note (French)"), max_length=300, blank=True)
    source = fact_source()

    location_source = fact_source()
    # Folded name, city and country, for search (ecosystem.core.search): "thies" finds
    # the Dakar/Thiès hub.
    search_text = models.TextField(editable=False, blank=True)

    note = Translated(_("note"))

    history = History(excluded_fields=["search_text"])

    class Meta:
        ordering = ["programme__slug", "country__code", "name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="site_unique_name"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="site_coordinates_valid",
                violation_error_message=_(
                    "Give both latitude (−90 to 90) and longitude (−180 to 180), or neither."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = self.folded_search_text()
        super().save(*args, **kwargs)

    def folded_search_text(self):
        country = self.country if self.country_id else None
        names = [country.name_en, country.name_fr, country.code] if country else []
        return search_key(" ".join([self.name, self.city, *names]))

    @property
    def public_host(self) -> Organization | None:
        return public(self.host)

    @property
    def opened_display(self):
        return format_partial(self.opened, self.opened_precision)

    @property
    def as_of(self):
        source = self.source or self.programme.dates_source
        if source and source.published:
            return source.published, source.published_precision
        return self.programme.as_of

    @property
    def status_basis(self):
        """A site's status is stored as its source gave it (reported), unless staff
        verified its programme lately, after that source."""
        programme = self.programme
        if programme.verified_recently(timezone.localdate()):
            as_of = self.as_of
            if not as_of or as_of[0] <= programme.last_verified:
                return StatusBasis.VERIFIED
        return StatusBasis.REPORTED

    def get_status_display(self):
        """A status with when it was last known: "open (as of January 2019)"; an opening
        that was planned may have happened since, an open site may have closed."""
        label = SiteStatus(self.status).label
        if self.status_basis == StatusBasis.VERIFIED:
            date = format_as_of(self.programme.last_verified, "day")
            return VERIFIED_ON % {"status": label, "date": date}
        return status_as_of(label, self.as_of)


class Indicator(models.Model):
    """A figure a programme reports: "more than 100 MSMEs professionalised"."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    label_en = models.CharField(_("label (English)"), max_length=200)
    label_fr = models.CharField(_("label (French)"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    qualifier = models.CharField(
        _("qualifier"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    unit_en = models.CharField(_("unit (English)"), max_length=60, blank=True)
    unit_fr = models.CharField(_("unit (French)"), max_length=60, blank=True)
    # The value as the source words it ("one third", "between 20 and 30"): pages show it
    # in place of the number, which stays for the API and the CSV with its qualifier.
    value_text_en = models.CharField(
        _("value as the source words it (English)"),
        max_length=100,
        blank=True,
        help_text=_(
            "A fraction or a range as the source gives it (one third, 20 to 30): shown "
            "instead of the number."
        ),
    )
    value_text_fr = models.CharField(
        _("value as the source words it (French)"), max_length=100, blank=True
    )
    as_of = PartialDateField(_("as of"), precision_field="as_of_precision")
    as_of_precision = PrecisionField(_("precision of the date"))
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )

    label = Translated(_("label"))
    unit = Translated(_("unit"))
    value_text = Translated(_("value as the source words it"))

    history = History()

    class Meta:
        ordering = ["programme__slug", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "label_en"], name="indicator_unique_label"
            ),
            non_negative("value", "indicator_value_not_negative"),
        ]

    def __str__(self):
        if self.value_text:
            return f"{self.value_text} {self.label}"
        return f"{self.get_qualifier_display()} {self.value.normalize():f} {self.label}"

    @property
    def as_of_display(self):
        return format_partial(self.as_of, self.as_of_precision)


class Contact(models.Model):
    """Whom to ask about a programme, as a source gives it (an IATI activity's
    contact-info): an office or a person, with how to reach them."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="contacts"
    )
    organisation = models.CharField(_("organization or office"), max_length=200, blank=True)
    person = models.CharField(_("person"), max_length=200, blank=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    telephone = models.CharField(_("telephone"), max_length=50, blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    source = fact_source()

    history = History()

    class Meta:
        ordering = ["programme__slug", "pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.CheckConstraint(
                condition=~Q(organisation="", person="", email="", telephone="", website=""),
                name="contact_says_whom_or_how",
                violation_error_message=_(
                    "A contact needs an organization, a person, an email, a telephone or a website."
                ),
            )
        ]

    def __str__(self):
        return (
            ", ".join(filter(None, [self.person, self.organisation]))
            or self.email
            or (self.telephone or self.website)
        )

    @property
    def values(self):
        """[organisation, person, job title, email, telephone, website, address]: what an
        IATI import compares and writes (iati.importing)."""
        return [getattr(self, name) for name in CONTACT_FIELDS]


CONTACT_FIELDS = (
    "organisation",
    "person",
    "job_title",
    "email",
    "telephone",
    "website",
    "address",
)
