"""Opportunities: what a company can apply for (a call, a grant, a cohort, a training, a
trade mission, a tender), with who may apply, what it gives and until when.

A deadline is a day (or a month, a year) in a time zone, at a time or at the end of
that day: `closes_at` is that moment, kept on save, so that "open now" and "soonest
deadline first" are plain comparisons the database does with an index. The status is
never stored: it follows from the moment it is read and says as of when the call was
last known (`status_as_of`)."""

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Case, F, Prefetch, Q, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ecosystem.core.dates import (
    PartialDateField,
    PrecisionField,
    format_partial,
    iso_partial,
    last_day,
    status_as_of,
)
from ecosystem.core.models import (
    PublicationStatus,
    Publishable,
    PublishableQuerySet,
    Translated,
    fact_source,
    public,
)
from ecosystem.core.roles import Role, organization_link, record_link, role_field, unique_role
from programmes.models import Programme

# "Closing soon": a deadline within this many days.
CLOSING_SOON_DAYS = 14
DEFAULT_TIME_ZONE = "Africa/Dakar"


class OpportunityKind(models.TextChoices):
    CALL = "call", _("call for applications")
    GRANT = "grant", _("grant or prize")
    COHORT = "cohort", _("accelerator cohort")
    TRAINING = "training", _("training")
    MISSION = "mission", _("trade mission or fair delegation")
    TENDER = "tender", _("tender")


class Stage(models.IntegerChoices):
    """A company's stage, in order: an opportunity is open from one stage to another."""

    IDEA = 1, _("idea")
    EARLY = 2, _("early stage")
    GROWTH = 3, _("growth")


class Need(models.TextChoices):
    """What a company looks for ("find support"): each kind of opportunity meets some."""

    FUNDING = "funding", _("funding")
    TRAINING = "training", _("training")
    MARKETS = "markets", _("export and markets")
    TECHNOLOGY = "technology", _("technology")
    NETWORKS = "networks", _("networks")


KIND_NEEDS = {
    OpportunityKind.CALL: {Need.FUNDING, Need.NETWORKS},
    OpportunityKind.GRANT: {Need.FUNDING},
    OpportunityKind.COHORT: {Need.FUNDING, Need.TRAINING, Need.NETWORKS, Need.TECHNOLOGY},
    OpportunityKind.TRAINING: {Need.TRAINING, Need.TECHNOLOGY},
    OpportunityKind.MISSION: {Need.MARKETS, Need.NETWORKS},
    OpportunityKind.TENDER: {Need.MARKETS},
}


def kinds_meeting(needs):
    """The kinds of opportunity that meet any of these needs."""
    return [kind for kind, met in KIND_NEEDS.items() if met & set(needs)]


class Applicant(models.TextChoices):
    """Who may apply; a call open to women-led companies only says so."""

    SMES = "smes", _("SMEs")
    STARTUPS = "startups", _("startups")
    WOMEN_LED = "women_led", _("women-led companies")
    ASSOCIATIONS = "associations", _("associations")


class Status(models.TextChoices):
    UPCOMING = "upcoming", pgettext_lazy("an opportunity's status", "upcoming")
    OPEN = "open", pgettext_lazy("an opportunity's status", "open")
    CLOSING_SOON = "closing_soon", pgettext_lazy("an opportunity's status", "closing soon")
    CLOSED = "closed", pgettext_lazy("an opportunity's status", "closed")
    ROLLING = "rolling", pgettext_lazy("an opportunity's status", "rolling")
    # Neither a deadline nor rolling is known: the source named the call, not its dates.
    UNKNOWN = "unknown", pgettext_lazy("an opportunity's status", "deadline not known")


def end_of_day(day, zone):
    """The last moment of `day` in `zone`: a deadline without a time closes then."""
    start = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return start.replace(tzinfo=zone) - datetime.timedelta(microseconds=1)


def open_first(now=None):
    """What orders a list of opportunities (OPEN_FIRST): open ones first (the soonest
    deadline first, rolling ones after), then upcoming, then those whose dates are
    unknown, then closed (the latest closed first). Annotations rather than expressions
    in the order, so that an export's keyset can follow it (ecosystem.core.exports)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    return {
        "open_rank": Case(
            When(opens__gt=today, then=Value(2)),
            When(rolling=True, then=Value(1)),
            When(closes_at__gte=now, then=Value(0)),
            When(closes_at__isnull=True, then=Value(3)),
            default=Value(4),
        ),
        "still_open_until": Case(
            When(closes_at__lt=now, then=Value(None)),
            default=F("closes_at"),
            output_field=models.DateTimeField(),
        ),
    }


OPEN_FIRST = [
    F("open_rank").asc(),
    F("still_open_until").asc(nulls_last=True),
    F("closes_at").desc(nulls_last=True),
]


def opened_by(now):
    """Opened at `now` (an opportunity with no opening date is)."""
    return Q(opens__isnull=True) | Q(opens__lte=timezone.localdate(now))


class OpportunityQuerySet(PublishableQuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        # No save() in a bulk write (an import, the demo data): the moment is kept here.
        objs = list(objs)
        for opportunity in objs:
            opportunity.closes_at = opportunity.closing_moment()
        return super().bulk_create(objs, *args, **kwargs)

    def open_at(self, now=None):
        """Opportunities one can apply to at `now`: opened (or with no opening date) and
        not closed, a rolling one included."""
        now = now or timezone.now()
        opened = opened_by(now)
        # The mark tells read_page that the groups of closed calls are empty: the
        # database would not deduce it, and would walk every closed call to find none.
        open_now = self.filter(opened & (Q(rolling=True) | Q(closes_at__gte=now)))
        return open_now.alias(open_only=Value(True))

    def closing_soon(self, now=None):
        """Open and closing within CLOSING_SOON_DAYS: a range of the index on closes_at
        (a rolling call has no closing moment)."""
        now = now or timezone.now()
        soon = now + datetime.timedelta(days=CLOSING_SOON_DAYS)
        return self.filter(opened_by(now), closes_at__range=(now, soon))

    def open_first(self, now=None):
        return self.annotate(**open_first(now)).order_by(*OPEN_FIRST, "pk")

    def read_page(self, bottom, top):
        """Rows `bottom` to `top` of this list (ecosystem.core.listing.CappedPaginator).
        Ordered open first, no index holds that order (it moves with the clock): each of
        its five groups is read in an index's order up to `top` rows, the union of those
        few rows sorted, then the page's rows read by their keys. Two queries, however
        many opportunities there are."""
        order = self.query.order_by
        # SQLite cannot limit the parts of a UNION: it sorts the whole list, as it did.
        indexed = connections[self.db].features.supports_slicing_ordering_in_compound
        if tuple(order[: len(OPEN_FIRST)]) != tuple(OPEN_FIRST) or not indexed:
            return self[bottom:top]
        tail = order[len(OPEN_FIRST) :]  # the name in a language, then the pk
        if top <= bottom:
            return []
        now = timezone.now()
        opened = opened_by(now)
        dated = opened & Q(rolling=False)
        upcoming = Q(opens__gt=timezone.localdate(now))
        groups = [
            (dated & Q(closes_at__gte=now), ["closes_at", *tail]),
            (opened & Q(rolling=True), tail),
            (upcoming & Q(closes_at__gte=now), ["closes_at", *tail]),
            # Upcoming, rolling or with a deadline before the opening: few, if any.
            (upcoming & (Q(closes_at__isnull=True) | Q(closes_at__lt=now)), [*OPEN_FIRST, *tail]),
            (dated & Q(closes_at__isnull=True), tail),
            (dated & Q(closes_at__lt=now), ["-closes_at", *tail]),
        ]
        keys = ["pk", *open_first(now), "closes_at", *(key for key in tail if key != "pk")]
        base = self.order_by().annotate(**open_first(now))
        if "open_only" in self.query.annotations:
            groups = groups[:2]  # open by a date, rolling
        parts = [base.filter(where).order_by(*by).values_list(*keys)[:top] for where, by in groups]
        union = parts[0].union(*parts[1:], all=True).order_by(*OPEN_FIRST, *tail)
        pks = [row[0] for row in union[bottom:top]]
        rows = self.order_by().in_bulk(pks)
        return [rows[pk] for pk in pks]

    def for_list(self):
        return super().for_list().select_related("programme").prefetch_related("sources")

    def for_api(self):
        return self.for_detail()

    def for_detail(self):
        roles = OpportunityRole.objects.filter(
            organization__publication_status=PublicationStatus.PUBLISHED
        ).select_related("organization", "source")
        return (
            self.for_list()
            .select_related("dates_source")
            .prefetch_related("sources", Prefetch("roles", roles))
        )


class Opportunity(Publishable):
    # A call a visitor suggests (suggestions/) starts as a call for applications.
    kind = models.CharField(
        _("kind"), max_length=10, choices=OpportunityKind.choices, default=OpportunityKind.CALL
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
    )
    # Eligibility (countries and sectors are every record's)
    stage_from = models.PositiveSmallIntegerField(
        _("from stage"), choices=Stage.choices, default=Stage.IDEA
    )
    stage_to = models.PositiveSmallIntegerField(
        _("to stage"), choices=Stage.choices, default=Stage.GROWTH
    )
    for_smes = models.BooleanField(_("open to SMEs"), default=True)
    for_startups = models.BooleanField(_("open to startups"), default=True)
    for_associations = models.BooleanField(_("open to associations"), default=False)
    women_led_only = models.BooleanField(_("women-led companies only"), default=False)
    # What it gives
    amount_min = models.PositiveBigIntegerField(_("amount from"), null=True, blank=True)
    amount_max = models.PositiveBigIntegerField(_("amount up to"), null=True, blank=True)
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("ISO 4217: XOF, EUR, USD.")
    )
    benefits_en = models.CharField(_("what it gives (English)"), max_length=400, blank=True)
    benefits_fr = models.CharField(_("what it gives (French)"), max_length=400, blank=True)
    # When
    opens = PartialDateField(_("opens"), precision_field="opens_precision")
    opens_precision = PrecisionField(_("precision of the opening"))
    deadline = PartialDateField(_("deadline"), precision_field="deadline_precision", at_end=True)
    deadline_precision = PrecisionField(_("precision of the deadline"))
    deadline_time = models.TimeField(
        _("deadline time"), null=True, blank=True, help_text=_("Empty: the end of the day.")
    )
    time_zone = models.CharField(_("time zone"), max_length=40, default=DEFAULT_TIME_ZONE)
    rolling = models.BooleanField(
        _("rolling"), default=False, help_text=_("Applications are taken at any time.")
    )
    closes_at = models.DateTimeField(editable=False, null=True)
    dates_source = fact_source()
    # How to apply
    apply_url = models.URLField(_("where to apply"), max_length=300, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)

    benefits = Translated(_("what it gives"))

    objects = OpportunityQuerySet.as_manager()

    class Meta(Publishable.Meta):
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(stage_to__gte=F("stage_from")),
                name="opportunity_stages_in_order",
                violation_error_message=_("The last stage cannot come before the first."),
            ),
            models.CheckConstraint(
                condition=Q(amount_min__isnull=True)
                | Q(amount_max__isnull=True)
                | Q(amount_max__gte=F("amount_min")),
                name="opportunity_amounts_in_order",
                violation_error_message=_("The highest amount cannot be below the lowest."),
            ),
        ]
        # The open-first order read group by group from indexes (read_page): open calls
        # by closes_at forward, closed ones backward, rolling and upcoming ones (few) from
        # their own; "open now" is then an OR of two index scans.
        indexes = [
            models.Index(fields=["closes_at"], name="opportunity_closes_at"),
            models.Index(fields=["opens", "closes_at"], name="opportunity_opens"),
            models.Index(
                fields=["closes_at"], condition=Q(rolling=True), name="opportunity_rolling"
            ),
            models.Index(
                fields=["closes_at"],
                condition=Q(rolling=False, closes_at__isnull=True),
                name="opportunity_undated",
            ),
            # The home page's latest records (PublishableQuerySet.by_last_check).
            models.Index(
                Coalesce("last_verified", TruncDate("created")).desc(),
                F("id").desc(),
                condition=Q(publication_status=PublicationStatus.PUBLISHED),
                name="opportunity_published_checked",
            ),
            models.Index(
                fields=["kind"],
                condition=Q(publication_status=PublicationStatus.PUBLISHED),
                name="opportunity_published_kind",
            ),
        ]

    def get_absolute_url(self):
        return reverse("opportunities:opportunity-detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        try:
            zoneinfo.ZoneInfo(self.time_zone)
        except (ValueError, zoneinfo.ZoneInfoNotFoundError):
            raise ValidationError(
                {"time_zone": _("Not a time zone: give one like Africa/Dakar.")}
            ) from None
        if self.opens and self.deadline and self.deadline < self.opens:
            raise ValidationError({"deadline": _("The deadline cannot be before the opening.")})

    def save(self, *args, **kwargs):
        self.closes_at = self.closing_moment()
        super().save(*args, **kwargs)

    def closing_moment(self):
        """The moment applications close, in its time zone, or None (rolling, unknown)."""
        if self.deadline is None or self.rolling:
            return None
        zone = zoneinfo.ZoneInfo(self.time_zone or DEFAULT_TIME_ZONE)
        # As it will be stored: "September 2026" closes on the 30th.
        day = last_day(self.deadline, self.deadline_precision)
        if self.deadline_time is None:
            return end_of_day(day, zone)
        return datetime.datetime.combine(day, self.deadline_time, tzinfo=zone)

    @property
    def public_programme(self) -> Programme | None:
        return public(self.programme)

    def status_at(self, now=None):
        now = now or timezone.now()
        closes = self.closes_at if self.pk else self.closing_moment()
        if self.opens and self.opens > timezone.localdate(now):
            return Status.UPCOMING
        if self.rolling:
            return Status.ROLLING
        if closes is None:
            return Status.UNKNOWN
        if closes < now:
            return Status.CLOSED
        if closes <= now + datetime.timedelta(days=CLOSING_SOON_DAYS):
            return Status.CLOSING_SOON
        return Status.OPEN

    @property
    def status(self):
        return self.status_at()

    def get_status_display(self):
        """ "open (as of March 2026)": the dates are as of when the call was last known."""
        return status_as_of(Status(self.status).label, self.as_of)

    @property
    def deadline_display(self):
        """ "30 June 2026, 17:00 (Africa/Dakar)", "June 2026", "" (none)."""
        text = format_partial(self.deadline, self.deadline_precision)
        if text and self.deadline_time:
            text = f"{text}, {self.deadline_time:%H:%M} ({self.time_zone})"
        return text

    @property
    def opens_display(self):
        return format_partial(self.opens, self.opens_precision)

    @property
    def deadline_iso(self):
        return iso_partial(self.deadline, self.deadline_precision)

    @property
    def applicants(self):
        """Who may apply, as Applicant values."""
        if self.women_led_only:
            return [Applicant.WOMEN_LED]
        flags = [
            (self.for_smes, Applicant.SMES),
            (self.for_startups, Applicant.STARTUPS),
            (self.for_associations, Applicant.ASSOCIATIONS),
        ]
        return [applicant for given, applicant in flags if given]

    @property
    def stages_display(self):
        if self.stage_from == self.stage_to:
            return Stage(self.stage_from).label
        return f"{Stage(self.stage_from).label} – {Stage(self.stage_to).label}"

    @property
    def amount_display(self):
        """ "up to 50,000 EUR", "5,000–20,000 USD", "" when no amount is given."""
        low, high, currency = self.amount_min, self.amount_max, self.currency
        if low is None and high is None:
            return ""
        if low is not None and high is not None and low != high:
            text = f"{low:,}–{high:,}"
        elif high is not None and low is None:
            text = _("up to %(amount)s") % {"amount": f"{high:,}"}
        else:
            text = f"{(low if low is not None else high):,}"
        return f"{text} {currency}".strip().replace(",", "\u202f")

    @property
    def needs(self):
        return KIND_NEEDS[self.kind]


class OpportunityRoleKind(models.TextChoices):
    OFFERER = "offerer", _("offered by")
    FUNDER = "funder", _("funder")
    PARTNER = "partner", _("partner")


class OpportunityRole(Role):
    opportunity = record_link(Opportunity, _("opportunity"))
    organization = organization_link("opportunity_roles")
    role = role_field(OpportunityRoleKind)

    record_field = "opportunity"
    plurals = {
        OpportunityRoleKind.OFFERER: _("offered by"),
        OpportunityRoleKind.FUNDER: _("funders"),
        OpportunityRoleKind.PARTNER: _("partners"),
    }
    organization_labels = {
        OpportunityRoleKind.OFFERER: _("offers"),
        OpportunityRoleKind.FUNDER: _("funds"),
        OpportunityRoleKind.PARTNER: _("partner in"),
    }

    class Meta:
        ordering = ["opportunity__slug", "role", "organization__slug"]
        verbose_name = _("opportunity role")
        verbose_name_plural = _("opportunity roles")
        constraints = [unique_role("opportunity", "opportunity_role_unique")]
