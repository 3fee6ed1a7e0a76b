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
from django.db.models import F
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.core.filters import linked_to
from ecosystem.core.models import Country, Sector
from events.models import Event, EventKind
from members.models import Organization
from opportunities.filters import at_stage
from opportunities.models import Need, Opportunity, Stage, kinds_meeting
from programmes.models import Programme, ProgrammeStatus

# How many of each the answer lists.
LIMITS = {"opportunities": 10, "programmes": 10, "organizations": 10, "events": 5}
# The open calls ranked for an answer: those closing soonest.
CANDIDATES = 2000

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


class CountryField(forms.ModelChoiceField):
    """A country by its code, in any case: ?country=sn is Senegal."""

    def to_python(self, value):
        return super().to_python(value.upper() if isinstance(value, str) else value)


class SupportForm(forms.Form):
    """The four questions; each may be left out. An unknown value is an error the page
    shows next to its field (never a 500)."""

    country = CountryField(
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

    def list_query(self):
        """The opportunities list's filters for the open calls these answers ask for (its
        page, export, API and deadlines calendar read the same): "?open=yes&country=SN".
        The list names the country and sector exactly, without the calls open to any."""
        query = QueryDict(mutable=True)
        query["open"] = "yes"
        if self.country:
            query["country"] = self.country.code
        if self.sector:
            query["sector"] = self.sector.slug
        if self.stage:
            query["stage"] = str(self.stage)
        if self.needs:
            query.setlist("kind", kinds_meeting(self.needs))
        return query.urlencode()


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


def narrowed(records, answers, sectors):
    """Records naming the answer's country and one of its sectors, as semi-joins."""
    if answers.country:
        records = linked_to(records, "countries", [answers.country.pk])
    if sectors:
        records = linked_to(records, "sectors", sectors)
    return records


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


def linked_ids(model, name, pks):
    """{record pk: the pks of the countries (or sectors) it names}, for these records."""
    field = model._meta.get_field(name)
    through = field.remote_field.through
    own, target = field.m2m_column_name(), field.m2m_reverse_name()
    found = {}
    rows = through.objects.filter(**{f"{own}__in": pks}).values_list(own, target)
    for record, linked in rows:
        found.setdefault(record, set()).add(linked)
    return found


def opportunity_matches(answers, sectors, now, among=None):
    """The open calls that fit, ranked: those naming the country and the sector first,
    those open to any after, the soonest deadline first. Ranked in Python among the
    CANDIDATES open calls closing soonest that fit the stage and the needs (an index
    reads them): a database plan over every call's countries and sectors costs seconds
    at 100,000 calls."""
    records = Opportunity.objects.published().open_at(now)
    records = only(records, among, "opportunities")
    if answers.stage:
        records = records.filter(at_stage(answers.stage))
    if answers.needs:
        records = records.filter(kind__in=kinds_meeting(answers.needs))
    soonest = records.order_by(F("closes_at").asc(nulls_last=True), "pk")
    candidates = list(soonest.values_list("pk", flat=True)[:CANDIDATES])
    countries = linked_ids(Opportunity, "countries", candidates)
    named_sectors = linked_ids(Opportunity, "sectors", candidates)

    def fit(pk):
        """2 for each of the country and the sector the call names, 0 when it names
        none (open to any); None when it names others."""
        score = 0
        for chosen, linked in (
            ({answers.country.pk} if answers.country else set(), countries.get(pk)),
            (sectors, named_sectors.get(pk)),
        ):
            if chosen and linked:
                if not chosen & linked:
                    return None
                score += 2
        return score

    scores = {pk: fit(pk) for pk in candidates}
    ranked = sorted((pk for pk in candidates if scores[pk] is not None), key=lambda pk: -scores[pk])
    chosen = ranked[: LIMITS["opportunities"]]
    found = Opportunity.objects.filter(pk__in=chosen).prefetch_related(
        "countries", "sectors", "sources"
    )
    matches = []
    for opportunity in sorted(found, key=lambda record: chosen.index(record.pk)):
        reasons = place_reasons(opportunity, answers, sectors, OPEN_TO)
        if answers.stage:
            reasons.append(Stage(answers.stage).label)
        reasons += [Need(need).label for need in answers.needs if need in opportunity.needs]
        reasons.append(opportunity.get_status_display())
        matches.append(Match(opportunity, reasons))
    return matches


def programme_matches(answers, sectors, now, among=None):
    today = timezone.localdate(now)
    records = (
        Programme.objects.published()
        .existing()
        .with_status(ProgrammeStatus.ACTIVE, ProgrammeStatus.REPORTED_ACTIVE, today=today)
        .select_related("dates_source")
    )
    records = narrowed(only(records, among, "programmes"), answers, sectors)
    ranked = records.order_by(F("start").desc(nulls_last=True), "sort_en", "pk")
    ranked = ranked.prefetch_related("countries", "sectors", "sources")
    return [
        Match(
            programme,
            [*place_reasons(programme, answers, sectors, IN), programme.get_status_display()],
        )
        for programme in ranked[: LIMITS["programmes"]]
    ]


def organization_matches(answers, sectors, now, among=None):
    records = Organization.objects.published().support_organizations()
    records = only(records, among, "organizations")
    records = narrowed(records, answers, sectors)
    ranked = records.order_by("sort_en", "pk").prefetch_related("countries", "sectors")
    return [
        Match(
            organization,
            [*place_reasons(organization, answers, sectors, IN), organization.get_kind_display()],
        )
        for organization in ranked[: LIMITS["organizations"]]
    ]


def event_matches(answers, sectors, now, among=None):
    records = Event.objects.published().upcoming(timezone.localdate(now))
    records = only(records, among, "events")
    if answers.needs:
        kinds = [kind for kind, met in EVENT_NEEDS.items() if met & set(answers.needs)]
        records = records.filter(kind__in=kinds)
    records = narrowed(records, answers, sectors)
    ranked = records.order_by("end", "start", "pk").for_list()
    return [
        Match(event, [*place_reasons(event, answers, sectors, IN), event.period])
        for event in ranked[: LIMITS["events"]]
    ]


def only(records, among, key):
    """The records among those `among` names for this section, or all when it is None."""
    return records if among is None else records.filter(pk__in=among.get(key, ()))


def find_support(answers, now=None, among=None):
    """The open calls, programmes, organizations and upcoming events that fit the
    answers, each section ranked and bounded (LIMITS), each match with its reasons.
    `among` ({section: pks}) looks at those records only: the email alerts ask for the
    records new since their last digest that fit, wherever the whole answer ranks them."""
    now = now or timezone.now()
    sectors = related_sectors(answers.sector)
    return Support(
        answers,
        opportunities=opportunity_matches(answers, sectors, now, among),
        programmes=programme_matches(answers, sectors, now, among),
        organizations=organization_matches(answers, sectors, now, among),
        events=event_matches(answers, sectors, now, among),
    )
