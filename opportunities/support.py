"""Find support: from a company's country, sector, stage and what it needs, the open
calls, programmes, organizations and upcoming events that fit, ranked, each with the
reasons it fits ("open to Mali · digital technology · startups").

`SupportForm` reads the answers (a shareable query string: ?country=ML&sector=digital
&stage=2&need=funding); `find_support(answers)` gives the `Support` the page, the API
and the email alerts (alerts/) show. Each section is one bounded query ranked by the
database, then its countries and sectors prefetched: the same few queries however many
records there are."""

from dataclasses import dataclass, field

from django import forms
from django.db.models import Case, Exists, F, OuterRef, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.core.models import Country, Sector
from events.models import Event, EventKind
from members.models import Organization
from opportunities.filters import at_stage
from opportunities.models import Need, Opportunity, Stage, kinds_meeting
from programmes.models import Programme, ProgrammeStatus

# How many of each the answer lists.
LIMITS = {"opportunities": 10, "programmes": 10, "organizations": 10, "events": 5}

# What each kind of event offers a company looking for support.
EVENT_NEEDS = {
    EventKind.TRADE_SHOW: {Need.MARKETS, Need.NETWORKS},
    EventKind.CONFERENCE: {Need.NETWORKS},
    EventKind.CONSULTATION: {Need.MARKETS},
    EventKind.STUDY_VISIT: {Need.TECHNOLOGY, Need.NETWORKS},
    EventKind.TRAINING: {Need.TRAINING},
    EventKind.MISSION: {Need.MARKETS, Need.NETWORKS},
    EventKind.MEETUP: {Need.NETWORKS},
}


class SupportForm(forms.Form):
    """The four questions; each may be left out. An unknown value is an error the page
    shows next to its field (never a 500)."""

    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Country.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Any country"),
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any sector"),
    )
    stage = forms.TypedChoiceField(
        label=_("Stage"),
        choices=[("", _("Any stage")), *Stage.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    need = forms.MultipleChoiceField(
        label=_("What you need"),
        choices=Need.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, data=None, **kwargs):
        if data is not None and "country" in data:
            data = data.copy()
            data.setlist("country", [code.upper() for code in data.getlist("country")])
        super().__init__(data, **kwargs)


@dataclass(frozen=True)
class Answers:
    country: Country | None = None
    sector: Sector | None = None
    stage: int | None = None
    needs: tuple = ()

    @classmethod
    def from_form(cls, form):
        data = form.cleaned_data
        return cls(data["country"], data["sector"], data["stage"], tuple(data["need"]))

    @property
    def given(self):
        return bool(self.country or self.sector or self.stage or self.needs)


@dataclass(frozen=True)
class Match:
    record: object
    reasons: list

    @property
    def reason(self):
        return " · ".join(str(reason) for reason in self.reasons)


@dataclass
class Support:
    answers: Answers
    opportunities: list = field(default_factory=list)
    programmes: list = field(default_factory=list)
    organizations: list = field(default_factory=list)
    events: list = field(default_factory=list)

    @property
    def sections(self):
        return [
            ("opportunities", _("Open calls"), self.opportunities),
            ("programmes", _("Programmes"), self.programmes),
            ("organizations", _("Organizations"), self.organizations),
            ("events", _("Upcoming events"), self.events),
        ]

    @property
    def count(self):
        return sum(len(matches) for _key, _title, matches in self.sections)


def related_sectors(sector):
    """A sector fits with its main sector and its sub-sectors: a call for the digital
    economy fits an IT & BPO company, and the reverse."""
    if sector is None:
        return set()
    pks = {sector.pk, *Sector.objects.filter(parent=sector).values_list("pk", flat=True)}
    if sector.parent_id:
        pks.add(sector.parent_id)
    return pks


def links(model, name, pks):
    """Whether a record links to any of these countries or sectors (`name`)."""
    through = model._meta.get_field(name).remote_field.through
    own = model._meta.get_field(name).m2m_field_name()
    target = model._meta.get_field(name).m2m_reverse_field_name()
    return Exists(through.objects.filter(**{own: OuterRef("pk"), f"{target}__in": pks}))


def unlinked(model, name):
    """Whether a record names no country (or sector): open to any."""
    through = model._meta.get_field(name).remote_field.through
    own = model._meta.get_field(name).m2m_field_name()
    return ~Exists(through.objects.filter(**{own: OuterRef("pk")}))


def narrowed(records, answers, sectors, *, open_to_any):
    """Records in the answer's country and sector; with `open_to_any`, those naming no
    country or no sector (open to all) too, ranked after the ones naming it."""
    model = records.model
    score = Value(0)
    for name, pks in (
        ("countries", [answers.country.pk] if answers.country else []),
        ("sectors", sectors),
    ):
        if not pks:
            continue
        named = links(model, name, pks)
        records = records.filter(named | unlinked(model, name) if open_to_any else named)
        score = score + Case(When(named, then=Value(2)), default=Value(0))
    return records.annotate(fit=score)


def place_reasons(record, answers, sectors, open_to_all_label):
    reasons = []
    if answers.country:
        countries = list(record.countries.all())
        if any(country.pk == answers.country.pk for country in countries):
            reasons.append(open_to_all_label[0] % {"country": answers.country.name})
        else:
            reasons.append(open_to_all_label[1])
    if sectors:
        named = [sector for sector in record.sectors.all() if sector.pk in sectors]
        reasons.append(named[0].name if named else _("any sector"))
    return reasons


OPEN_TO = (_("open to %(country)s"), _("open to every country"))
IN = (_("in %(country)s"), _("across the region"))


def opportunity_matches(answers, sectors, now):
    records = Opportunity.objects.published().open_at(now)
    if answers.stage:
        records = records.filter(at_stage(answers.stage))
    if answers.needs:
        records = records.filter(kind__in=kinds_meeting(answers.needs))
    records = narrowed(records, answers, sectors, open_to_any=True)
    ranked = records.order_by(
        F("fit").desc(), F("closes_at").asc(nulls_last=True), "sort_en", "pk"
    ).prefetch_related("countries", "sectors", "sources")
    matches = []
    for opportunity in ranked[: LIMITS["opportunities"]]:
        reasons = place_reasons(opportunity, answers, sectors, OPEN_TO)
        if answers.stage:
            reasons.append(Stage(answers.stage).label)
        reasons += [Need(need).label for need in answers.needs if need in opportunity.needs]
        reasons.append(opportunity.get_status_display())
        matches.append(Match(opportunity, reasons))
    return matches


def programme_matches(answers, sectors, now):
    today = timezone.localdate(now)
    records = (
        Programme.objects.published()
        .existing()
        .with_status(ProgrammeStatus.ACTIVE, ProgrammeStatus.REPORTED_ACTIVE, today=today)
        .select_related("dates_source")
    )
    records = narrowed(records, answers, sectors, open_to_any=False)
    ranked = records.order_by(F("start").desc(nulls_last=True), "sort_en", "pk")
    ranked = ranked.prefetch_related("countries", "sectors", "sources")
    return [
        Match(
            programme,
            [*place_reasons(programme, answers, sectors, IN), programme.get_status_display()],
        )
        for programme in ranked[: LIMITS["programmes"]]
    ]


def organization_matches(answers, sectors, now):
    records = Organization.objects.published().support_organizations()
    records = narrowed(records, answers, sectors, open_to_any=False)
    ranked = records.order_by("sort_en", "pk").prefetch_related("countries", "sectors")
    return [
        Match(
            organization,
            [*place_reasons(organization, answers, sectors, IN), organization.get_kind_display()],
        )
        for organization in ranked[: LIMITS["organizations"]]
    ]


def event_matches(answers, sectors, now):
    records = Event.objects.published().upcoming(timezone.localdate(now))
    if answers.needs:
        kinds = [kind for kind, met in EVENT_NEEDS.items() if met & set(answers.needs)]
        records = records.filter(kind__in=kinds)
    records = narrowed(records, answers, sectors, open_to_any=False)
    ranked = records.order_by("end", "start", "pk").for_list()
    return [
        Match(event, [*place_reasons(event, answers, sectors, IN), event.period])
        for event in ranked[: LIMITS["events"]]
    ]


def find_support(answers, now=None):
    """The open calls, programmes, organizations and upcoming events that fit the
    answers, each section ranked and bounded (LIMITS), each match with its reasons."""
    now = now or timezone.now()
    sectors = related_sectors(answers.sector)
    return Support(
        answers,
        opportunities=opportunity_matches(answers, sectors, now),
        programmes=programme_matches(answers, sectors, now),
        organizations=organization_matches(answers, sectors, now),
        events=event_matches(answers, sectors, now),
    )
