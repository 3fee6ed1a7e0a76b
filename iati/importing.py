"""Import IATI activities as programmes: `plan` reads a file and says what it would do
without writing; `apply` writes a plan, all of it or nothing. The admin (iati/admin.py),
`manage.py import_iati` and the weekly sync share them.

A programme is matched by its IATI identifier. What a re-import may change is decided
per field and relation against what the publisher gave at the last import
(`Activity.imported`): a value the publisher changed replaces the programme's only if
the programme still holds what the last import wrote; if staff changed it since, the
programme keeps staff's value and a Conflict is recorded for staff to resolve. A
publisher's empty value never blanks one. An activity gone from its publisher's file is
flagged, never deleted; a programme staff deleted is not brought back. Organizations are
matched by their IATI identifier, then by what staff chose before (KnownOrganization),
then by name; the preview asks staff about the rest (pick one, or create a draft).
Every fact the import writes cites the activity as an outside source.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ecosystem.core import counts, history
from ecosystem.core.dates import Precision
from ecosystem.core.models import (
    Country,
    Language,
    PublicationStatus,
    Region,
    Sector,
    Source,
    validate_country_code,
)
from ecosystem.core.search import fold
from iati import reading
from iati.models import Activity, Conflict, KnownOrganization, Resolution, SectorMapping
from members.models import Organization, OrganizationKind
from programmes.models import (
    CONTACT_FIELDS,
    Contact,
    Existence,
    Programme,
    ProgrammeRole,
    ProgrammeRoleKind,
    Qualifier,
    ReportedStatus,
    Site,
)

# The value of `choices[key]` that makes a new draft organization.
NEW = "new"
# Where the public reads an activity: each imported fact's source links there.
PORTAL = "https://d-portal.org/ctrack.html#view=act&aid={identifier}"
IATI_ROLES = [
    ProgrammeRoleKind.FUNDING,
    ProgrammeRoleKind.ACCOUNTABLE,
    ProgrammeRoleKind.EXTENDING,
    ProgrammeRoleKind.IMPLEMENTING,
]
# IATI OrganisationType → the directory's kind: governments (10, 11), international
# agencies (40) and foundations (60) and NGOs (21-24) by their nature; others "other".
KINDS = {
    "10": OrganizationKind.GOVERNMENT,
    "11": OrganizationKind.GOVERNMENT,
    "15": OrganizationKind.GOVERNMENT,
    "21": OrganizationKind.NGO,
    "22": OrganizationKind.NGO,
    "23": OrganizationKind.NGO,
    "24": OrganizationKind.NGO,
    "40": OrganizationKind.INTERNATIONAL_AGENCY,
    "60": OrganizationKind.FUNDER,
}
# A country the directory does not have yet is added in its region (ECOWAS and
# Mauritania: West Africa), else in "other" for staff to correct.
WEST_AFRICA = {
    "BJ",
    "BF",
    "CV",
    "CI",
    "GM",
    "GH",
    "GN",
    "GW",
    "LR",
    "ML",
    "MR",
    "NE",
    "NG",
    "SN",
    "SL",
    "TG",
}
# The fields and relations a re-import compares, in the order the preview lists them.
FIELDS = [
    "name_en",
    "name_fr",
    "description_en",
    "description_fr",
    "objectives_en",
    "objectives_fr",
    "existence",
    "dates",
    "budget",
    "countries",
    "sectors",
    "roles",
    "parent",
    "sites",
    "reported_status",
    "contacts",
]
# ActivityStatus: pipeline (1) is a proposed programme (`existence`), whose dates say
# the rest; implementation (2) says that it runs, as of the activity's last update
# (past a planned end, that is no report that it ended); finalisation (3) and closed
# (4) say that it ended.
REPORTED = {
    "1": ReportedStatus.DATES,
    "2": ReportedStatus.RUNNING,
    "3": ReportedStatus.ENDED,
    "4": ReportedStatus.ENDED,
    "5": ReportedStatus.CANCELLED,
    "6": ReportedStatus.SUSPENDED,
}
# An IATI contact-info's elements, in the order of CONTACT_FIELDS.
CONTACT_ELEMENTS = (
    "organisation",
    "person-name",
    "job-title",
    "email",
    "telephone",
    "website",
    "mailing-address",
)


@dataclass
class OrganizationMatch:
    """An organization the file names, and how it is found in the directory."""

    key: str  # its IATI identifier, else "name:" and its folded name: what `choices` keys
    ref: str
    names: dict  # {language: name}
    type: str = ""
    organization: object = None  # the Organization found, None if staff must choose
    how: str = ""  # "identifier", "known", "name" or "" (not found)
    candidates: list = field(default_factory=list)  # Organizations of similar names
    activities: list = field(default_factory=list)  # identifiers of the activities naming it

    @property
    def name(self):
        return (
            self.names.get("en")
            or self.names.get("fr")
            or next(iter(self.names.values()), self.ref)
        )


@dataclass
class Change:
    """One field or relation of a programme: its value now and the publisher's."""

    field: str
    old: object
    new: object


@dataclass
class ActivityPlan:
    """What the import does with one activity."""

    activity: object  # the reading.Activity
    programme: object = None  # the existing Programme, None for a new one
    record: object = None  # the existing Activity record, if imported before
    action: str = "create"  # create, update, unchanged, skip (staff deleted it)
    changes: list = field(default_factory=list)  # [Change] written
    conflicts: list = field(default_factory=list)  # [Change] kept as staff left them
    unmapped_sectors: list = field(default_factory=list)  # DAC codes no mapping files
    notes: list = field(default_factory=list)  # what was set aside, in words
    values: dict = field(default_factory=dict)  # the publisher's, as compared
    errors: list = field(default_factory=list)


@dataclass
class Plan:
    activities: list  # [ActivityPlan]
    organizations: dict  # {key: OrganizationMatch}
    errors: list  # messages naming the activity and the element; none: it may be applied
    gone: list = field(default_factory=list)  # identifiers of Activities no longer in the file

    @property
    def to_choose(self):
        """The organizations staff must match (or accept as new drafts) in the preview."""
        return [match for match in self.organizations.values() if match.organization is None]

    def counts(self):
        return {
            action: sum(item.action == action for item in self.activities)
            for action in ("create", "update", "unchanged", "skip")
        }


# Planning --------------------------------------------------------------------------------


def plan(source, *, limits=None, whole_file=True):
    """The Plan of importing the IATI activity file at `source` (a path or a binary
    file that can seek). Reads the file and the database, writes nothing. Raises
    reading.IatiFileError when the file as a whole is refused. Only a publisher's
    `whole_file` says which of its activities are gone (a query's answer does not)."""
    activities = reading.read(source, limits)
    errors = [message for activity in activities for message in activity.errors]
    seen = set()
    for activity in activities:
        if activity.identifier in seen:
            errors.append(
                _("Activity %(activity)s is in the file twice.") % {"activity": activity.identifier}
            )
        seen.add(activity.identifier)
    organizations = match_organizations(activities)
    context = Context(activities)
    found = {
        key: match.organization.pk for key, match in organizations.items() if match.organization
    }
    plans = [plan_activity(activity, context, found) for activity in activities]
    for item in plans:
        errors += item.errors
    gone = context.gone(activities) if whole_file else []
    return Plan(plans, organizations, errors, gone=gone)


class Context:
    """What planning reads from the database, once per file."""

    def __init__(self, activities):
        identifiers = [activity.identifier for activity in activities]
        self.records = {
            record.identifier: record
            for record in Activity.objects.filter(identifier__in=identifiers).select_related(
                "programme"
            )
        }
        self.programmes = {
            programme.iati_identifier: programme
            for programme in Programme.objects.filter(iati_identifier__in=identifiers)
        }
        self.mapping = dict(SectorMapping.objects.values_list("code", "sector_slug"))
        self.sectors = set(Sector.objects.values_list("slug", flat=True))
        self.in_file = set(identifiers)
        # A parent names its phases (type 2), a phase its parent (type 1): either says.
        self.parents = {}
        for activity in activities:
            for kind, ref in activity.related:
                if kind == "2":
                    self.parents.setdefault(ref, activity.identifier)
        for activity in activities:
            for kind, ref in activity.related:
                if kind == "1":
                    self.parents[activity.identifier] = ref
        referred = set(self.parents.values()) - self.in_file
        self.known = set(
            Programme.objects.filter(iati_identifier__in=referred).values_list(
                "iati_identifier", flat=True
            )
        )

    def sector_slugs(self, code, vocabulary):
        """The directory's sector for a DAC code: its own mapping, else its category's."""
        if vocabulary not in reading.DAC_VOCABULARIES:
            return None
        for candidate in (code, code[:3]):
            slug = self.mapping.get(candidate)
            if slug in self.sectors:
                return slug
        return None

    def gone(self, activities):
        publishers = {activity.publisher_ref for activity in activities if activity.publisher_ref}
        missing = Activity.objects.filter(publisher_ref__in=publishers, gone_since__isnull=True)
        return sorted(
            missing.exclude(identifier__in=self.in_file).values_list("identifier", flat=True)
        )


def match_organizations(activities):
    """{key: OrganizationMatch} of every organization the activities name."""
    matches = {}
    for activity in activities:
        for participant in activity.participants:
            key = organization_key(participant.ref, participant.name)
            match = matches.setdefault(
                key,
                OrganizationMatch(
                    key=key, ref=participant.ref, names=participant.names, type=participant.type
                ),
            )
            if activity.identifier not in match.activities:
                match.activities.append(activity.identifier)
    if not matches:
        return matches
    refs = {match.ref for match in matches.values() if match.ref}
    by_ref = {
        org.iati_identifier: org for org in Organization.objects.filter(iati_identifier__in=refs)
    }
    known = {
        row.key: row.organization
        for row in KnownOrganization.objects.filter(key__in=list(matches)).select_related(
            "organization"
        )
    }
    for match in matches.values():
        if match.ref in by_ref:
            match.organization, match.how = by_ref[match.ref], "identifier"
        elif match.key in known:
            match.organization, match.how = known[match.key], "known"
        else:
            match.candidates = named(match.names.values())
            if len(match.candidates) == 1:
                match.organization, match.how = match.candidates[0], "name"
    return matches


def organization_key(ref, name):
    return ref if ref else f"name:{fold(name)}"[:250]


def named(names):
    """Organizations whose name in either language, or acronym, is one of `names`,
    accents and case aside."""
    folded = {fold(name) for name in names if name}
    if not folded:
        return []
    found = Organization.objects.filter(sort_en__in=folded) | Organization.objects.filter(
        sort_fr__in=folded
    )
    return list(found.distinct()[:5])


def plan_activity(activity, context, organizations):
    """The ActivityPlan of one activity; `organizations`: {OrganizationMatch.key: the
    pk of the organization it is} (a key not there: a new organization)."""
    record = context.records.get(activity.identifier)
    programme = record.programme if record else context.programmes.get(activity.identifier)
    item = ActivityPlan(activity=activity, programme=programme, record=record)
    if record is not None and record.programme is None:
        item.action = "skip"
        item.notes.append(_("Its programme was deleted by staff: not imported again."))
        return item
    last = record.last_updated if record else None
    if last and activity.last_updated and activity.last_updated < last:
        item.action = "unchanged"
        item.notes.append(
            _("Older than the version imported last (%(date)s): left as it is.")
            % {"date": last.date().isoformat()}
        )
        return item
    item.values = publisher_values(activity, context, item, organizations)
    check_dates(item)
    if programme is None:
        item.changes = [
            Change(name, None, item.values[name]) for name in FIELDS if filled(item.values[name])
        ]
        return item
    compare(item)
    newer = not last or not activity.last_updated or activity.last_updated != last
    item.action = "update" if item.changes or item.conflicts or newer else "unchanged"
    return item


def compare(item):
    """The changes and conflicts of an activity whose programme exists."""
    imported = item.record.imported if item.record else {}
    current = current_values(item.programme)
    for name in FIELDS:
        verdict = decide(current[name], imported.get(name, MISSING), item.values[name])
        if verdict == "set":
            item.changes.append(Change(name, current[name], item.values[name]))
        elif verdict == "conflict":
            item.conflicts.append(Change(name, current[name], item.values[name]))


MISSING = object()


def filled(value):
    return value not in (None, "", [], {})


def decide(current, last, new):
    """ "set", "conflict", "seen" (the publisher's value is recorded, the programme keeps
    its own) or "keep" (nothing to do) for one field."""
    if not filled(new) or new == current:
        return "seen" if new == current else "keep"
    if last is MISSING:  # first import onto a programme staff made: fill what is empty
        return "set" if not filled(current) else "conflict"
    if new == last:
        return "keep"  # the publisher did not change it: staff's edit stands
    return "set" if current == last else "conflict"


def check_dates(item):
    dates = item.values["dates"]
    if dates and dates.get("start") and dates.get("end") and dates["end"] < dates["start"]:
        item.errors.append(
            _(
                "Activity %(activity)s, <activity-date>: it ends (%(end)s) before it "
                "starts (%(start)s)."
            )
            % {"activity": item.activity.identifier, "end": dates["end"], "start": dates["start"]}
        )


def publisher_values(activity, context, item, organizations):
    """The publisher's value of every field in FIELDS, as a programme's would read."""
    titles, descriptions = activity.titles, activity.descriptions
    general, objectives = descriptions.get("1", {}), descriptions.get("2", {})
    values = {
        # A programme needs its name in both languages: a title given in one serves both.
        "name_en": (titles.get("en") or titles.get("fr") or next(iter(titles.values()), ""))[:250],
        "name_fr": (titles.get("fr") or titles.get("en") or next(iter(titles.values()), ""))[:250],
        "description_en": general.get("en", ""),
        "description_fr": general.get("fr", ""),
        "objectives_en": objectives.get("en", ""),
        "objectives_fr": objectives.get("fr", ""),
        # Pipeline (1): identified, not decided.
        "existence": Existence.PROPOSED if activity.status == "1" else Existence.CONFIRMED,
        "dates": dates_of(activity),
        "budget": budget_of(activity, item),
        "countries": sorted({code for code, _share in activity.countries}),
        "sectors": sectors_of(activity, context, item),
        "roles": roles_of(activity, organizations),
        "parent": parent_of(activity, context, item),
        "sites": sites_of(activity, item),
        # None when the activity gives no status: the programme's is left as it is.
        "reported_status": REPORTED.get(activity.status),
        "contacts": contacts_of(activity, item),
    }
    for code in values["countries"]:
        try:
            validate_country_code(code)
        except Exception:  # noqa: BLE001 - a ValidationError with its message
            item.errors.append(
                _(
                    "Activity %(activity)s, <recipient-country>: “%(code)s” is not an ISO "
                    "country code."
                )
                % {"activity": activity.identifier, "code": code}
            )
    return values


def dates_of(activity):
    """The actual start and end where known, else the planned ones; IATI dates are
    days. None when the activity gives none."""
    dates = activity.dates
    start = dates.get("actual_start") or dates.get("planned_start")
    end = dates.get("actual_end") or dates.get("planned_end")
    if not start and not end:
        return None
    return {
        "start": start.isoformat() if start else None,
        "start_precision": Precision.DAY if start else None,
        "end": end.isoformat() if end else None,
        "end_precision": Precision.DAY if end else None,
    }


def budget_of(activity, item):
    """The total budget when it is in one currency: each period's revised budget (type 2)
    where given, else its original. Totals per currency are kept in the details."""
    totals = budget_totals(activity)
    if len(totals) > 1:
        item.notes.append(
            _(
                "Budgets in several currencies (%(currencies)s): kept with the activity, "
                "not as the programme’s budget."
            )
            % {"currencies": ", ".join(sorted(totals))}
        )
    if len(totals) != 1:
        return None
    ((currency, amount),) = totals.items()
    return {"amount": str(amount.quantize(Decimal("0.01"))), "currency": currency[:3]}


def budget_totals(activity):
    periods = {}
    for budget in activity.budgets:
        key = (budget["currency"], budget["start"], budget["end"])
        if budget["type"] == "2" or key not in periods:
            periods[key] = (
                budget["value"] if budget["type"] == "2" or key not in periods else periods[key]
            )
    totals = {}
    for (currency, _start, _end), value in periods.items():
        totals[currency] = totals.get(currency, Decimal(0)) + value
    return totals


def sectors_of(activity, context, item):
    slugs = set()
    for code, vocabulary, _share in activity.sectors:
        slug = context.sector_slugs(code, vocabulary)
        if slug:
            slugs.add(slug)
        elif code not in item.unmapped_sectors:
            item.unmapped_sectors.append(code)
    return sorted(slugs)


def roles_of(activity, organizations):
    """[[role, organization key]]: the keys become organizations' pks when applied."""
    roles = {
        (participant.role, organization_key(participant.ref, participant.name))
        for participant in activity.participants
    }
    return sorted([role, organizations.get(key, key)] for role, key in roles)


def parent_of(activity, context, item):
    parent = context.parents.get(activity.identifier, "")
    if parent and parent not in context.in_file and parent not in context.known:
        item.notes.append(
            _("Its parent activity %(parent)s is not in the directory: not linked.")
            % {"parent": parent}
        )
        return ""
    return parent


def sites_of(activity, item):
    """[[name, latitude, longitude, country]]: a point with a name, in the activity's
    one country (IATI locations name none; with several, the site is set aside)."""
    countries = {code for code, _share in activity.countries}
    sites = []
    for location in activity.locations:
        name = (
            location.names.get("fr")
            or location.names.get("en")
            or next(iter(location.names.values()), "")
        )
        if not name:
            continue
        if len(countries) != 1:
            item.notes.append(
                _(
                    "Site %(site)s set aside: the activity has several countries, and its "
                    "location names none."
                )
                % {"site": name}
            )
            continue
        sites.append(
            [name[:200], str(location.latitude), str(location.longitude), next(iter(countries))]
        )
    return sorted(sites)


def contacts_of(activity, item):
    """[[organisation, person, job title, email, telephone, website, address]], each text
    in French where given, else English, else the language given; an email or website
    that is not one is set aside with a note."""
    fields = {name: Contact._meta.get_field(name) for name in CONTACT_FIELDS}
    contacts = []
    for found in activity.contacts:
        values = []
        for name, element in zip(CONTACT_FIELDS, CONTACT_ELEMENTS, strict=True):
            value = found.get(element, "")
            if isinstance(value, dict):
                value = value.get("fr") or value.get("en") or next(iter(value.values()), "")
            value = " ".join(value.split())[: fields[name].max_length]
            if value:
                try:
                    fields[name].run_validators(value)
                except ValidationError:
                    item.notes.append(
                        _("Contact %(field)s “%(value)s” set aside: it is not valid.")
                        % {"field": fields[name].verbose_name, "value": value}
                    )
                    value = ""
            values.append(value)
        if any(values[:6]):
            contacts.append(values)
    return sorted(contacts)


def current_values(programme):
    """The programme's value of every field in FIELDS, as publisher_values() writes them."""
    return {
        "name_en": programme.name_en,
        "name_fr": programme.name_fr,
        "description_en": programme.description_en,
        "description_fr": programme.description_fr,
        "objectives_en": programme.objectives_en,
        "objectives_fr": programme.objectives_fr,
        "existence": programme.existence,
        "dates": (
            {
                "start": programme.start.isoformat() if programme.start else None,
                "start_precision": programme.start_precision if programme.start else None,
                "end": programme.end.isoformat() if programme.end else None,
                "end_precision": programme.end_precision if programme.end else None,
            }
            if programme.start or programme.end
            else None
        ),
        "budget": (
            {"amount": str(programme.budget_amount), "currency": programme.budget_currency}
            if programme.budget_amount is not None
            else None
        ),
        "countries": sorted(programme.countries.values_list("code", flat=True)),
        "sectors": sorted(programme.sectors.values_list("slug", flat=True)),
        "roles": sorted(
            [role, organization]
            for role, organization in programme.roles.filter(role__in=IATI_ROLES).values_list(
                "role", "organization_id"
            )
        ),
        "parent": (
            (programme.parent.iati_identifier or f"#{programme.parent_id}")
            if programme.parent_id
            else ""
        ),
        "sites": sorted(
            [
                name,
                str(latitude) if latitude is not None else None,
                str(longitude) if longitude is not None else None,
                country,
            ]
            for name, latitude, longitude, country in programme.sites.values_list(
                "name", "latitude", "longitude", "country_id"
            )
        ),
        "reported_status": programme.reported_status,
        "contacts": sorted(list(row) for row in programme.contacts.values_list(*CONTACT_FIELDS)),
    }


# Writing ---------------------------------------------------------------------------------


def apply(
    plan, *, name, choices=None, publish=False, user=None, sync_source=None, tick=lambda: None
):
    """Write a plan without errors, in one transaction; returns {action: count}.
    `choices`: {OrganizationMatch.key: an Organization's pk, or NEW}; an organization
    neither found nor chosen becomes a new draft. `name` names the file in the
    programmes' history ("import IATI afd.xml"). New programmes are drafts unless
    `publish`. Each activity is planned again inside the transaction, with the
    organizations as chosen, so that what is written is decided on today's rows."""
    if plan.errors:
        raise ValueError("A plan with errors is never written.")
    done = {"create": 0, "update": 0, "unchanged": 0, "skip": 0, "conflicts": 0, "gone": 0}
    with (
        transaction.atomic(),
        counts.deferred(),
        history.reason("import", f"IATI {Path(name).name}"),
    ):
        keys = resolve_organizations(plan, choices or {}, user)
        context = Context([item.activity for item in plan.activities])
        written = {}
        for old in plan.activities:
            item = plan_activity(old.activity, context, keys)
            done[item.action] += 1
            done["conflicts"] += len(item.conflicts)
            if item.action in ("create", "update"):
                written[item.activity.identifier] = (item, write(item, publish, user, sync_source))
            tick()
        link_parents(written.values())
        back = Activity.objects.filter(identifier__in=context.in_file, gone_since__isnull=False)
        back.update(gone_since=None)
        done["gone"] = Activity.objects.filter(identifier__in=plan.gone).update(
            gone_since=timezone.now()
        )
    return done


def resolve_organizations(plan, choices, user):
    """{key: Organization pk} for every organization the plan names; staff's choices
    are remembered (KnownOrganization), new ones made as drafts."""
    keys = {}
    for key, match in plan.organizations.items():
        choice = choices.get(key)
        if choice not in (None, "", NEW):
            organization = Organization.objects.get(pk=choice)
            KnownOrganization.objects.update_or_create(
                key=key, defaults={"organization": organization}
            )
        elif match.organization is not None and choice != NEW:
            organization = match.organization
        else:
            organization = new_organization(match, user)
            if not match.ref:
                KnownOrganization.objects.update_or_create(
                    key=key, defaults={"organization": organization}
                )
        keys[key] = organization.pk
    return keys


def new_organization(match, user):
    names = match.names
    name_en = (names.get("en") or names.get("fr") or match.name)[:250]
    name_fr = (names.get("fr") or names.get("en") or match.name)[:250]
    organization = Organization(
        slug=unique_slug(Organization, name_en or match.ref),
        name_en=name_en,
        name_fr=name_fr,
        kind=KINDS.get(match.type, OrganizationKind.OTHER),
        iati_identifier=match.ref[:100],
        publication_status=PublicationStatus.DRAFT,
    )
    organization._history_user = user
    organization.save()
    return organization


def unique_slug(model, text):
    """The slug of `text`, numbered past those taken (one query, however many are)."""
    base = slugify(text)[:100] or "iati"
    taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def activity_source(activity, record):
    """The activity as an outside source: its publisher, identifier, last update and
    its page on a public IATI portal. One per activity, brought up to date."""
    identifier = activity.identifier
    slug = record.source.slug if record and record.source_id else source_slug(identifier)
    title = (
        activity.titles.get("en")
        or activity.titles.get("fr")
        or next(iter(activity.titles.values()), "")
    )
    language = (
        activity.default_language
        if activity.default_language in Language.values
        else Language.ENGLISH
    )
    updated = activity.last_updated
    source, _created = Source.objects.update_or_create(
        slug=slug,
        defaults={
            "title": f"IATI {identifier}: {title}"[:300],
            "publisher": activity.publisher_name[:200] or activity.publisher_ref[:200],
            "language": language,
            "published": updated.date() if updated else None,
            "published_precision": "day",
            "url": PORTAL.format(identifier=identifier)[:500],
            "document": identifier[:200],
            "outside": True,
        },
    )
    return source


def source_slug(identifier):
    digest = hashlib.sha256(identifier.encode()).hexdigest()[:8]
    return f"iati-{slugify(identifier)[:62]}-{digest}"


def document_sources(activity):
    sources = []
    for document in activity.documents:
        title = document.titles.get("fr") or document.titles.get("en") or document.url
        language = document.language or activity.default_language
        digest = hashlib.sha256(document.url.encode()).hexdigest()[:16]
        source, _created = Source.objects.get_or_create(
            url=document.url,
            defaults={
                "slug": f"iati-document-{digest}",
                "title": title[:300],
                "publisher": activity.publisher_name[:200],
                "language": language if language in Language.values else Language.ENGLISH,
                "published": document.date,
                "published_precision": "day",
                "outside": True,
            },
        )
        sources.append(source)
    return sources


def write(item, publish, user, sync_source):
    """Write one activity's programme (the changes only) and its Activity record."""
    activity = item.activity
    record = item.record or Activity(identifier=activity.identifier)
    source = activity_source(activity, item.record)
    programme = item.programme
    created = programme is None
    if created:
        name = item.values["name_en"] or activity.identifier
        programme = Programme(
            slug=unique_slug(Programme, name),
            iati_identifier=activity.identifier,
            publication_status=PublicationStatus.PUBLISHED if publish else PublicationStatus.DRAFT,
        )
    changes = {change.field: change.new for change in item.changes if change.field != "parent"}
    cited = [source, *document_sources(activity)]
    write_changes(programme, changes, source, user, "+" if created else "~", cited)
    conflicted = {change.field for change in item.conflicts}
    imported = dict(record.imported)
    for name in FIELDS:
        if name not in conflicted and (filled(item.values[name]) or name not in imported):
            imported[name] = item.values[name]
    record.programme = programme
    record.publisher_ref = activity.publisher_ref[:100]
    record.publisher_name = activity.publisher_name[:250]
    record.last_updated = activity.last_updated
    record.version = activity.version
    record.status = activity.status[:2]
    record.source = source
    record.details = details_of(activity, item)
    record.imported = imported
    record.gone_since = None
    if sync_source is not None:
        record.sync_source = sync_source
    record.save()
    for change in item.conflicts:
        Conflict.objects.update_or_create(
            activity=record,
            field=change.field,
            resolved__isnull=True,
            defaults={"staff_value": change.old, "publisher_value": change.new},
        )
    return programme


TEXTS = [
    "name_en",
    "name_fr",
    "description_en",
    "description_fr",
    "objectives_en",
    "objectives_fr",
    "existence",
    "reported_status",
]


def write_changes(programme, changes, source, user, history_type="~", cited=()):
    """Write {field: the publisher's value} into the programme, in one version of its
    history with the sources it then `cited`; each fact written cites `source`."""
    programme._history_user = user
    with history.one_version(programme, history_type):
        for name in TEXTS:
            if name in changes:
                setattr(programme, name, changes[name])
        if "dates" in changes:
            write_dates(programme, changes["dates"], source)
        if "budget" in changes:
            programme.budget_amount = Decimal(changes["budget"]["amount"])
            programme.budget_currency = changes["budget"]["currency"]
            programme.budget_qualifier = Qualifier.EXACT
            programme.budget_source = source
        if "parent" in changes:
            programme.parent = parent_programme(programme, changes["parent"])
        countries = countries_of(changes["countries"]) if "countries" in changes else None
        sectors = (
            list(Sector.objects.filter(slug__in=changes["sectors"]))
            if "sectors" in changes
            else None
        )
        programme.links_to_come = (
            countries if countries is not None else current_links(programme, "countries"),
            sectors if sectors is not None else current_links(programme, "sectors"),
        )
        try:
            programme.save()
        finally:
            del programme.links_to_come
        if countries is not None:
            programme.countries.set(countries)
        if sectors is not None:
            programme.sectors.set(sectors)
        if "roles" in changes:
            write_roles(programme, changes["roles"], source)
        if "sites" in changes:
            write_sites(programme, changes["sites"], source)
        if "contacts" in changes:
            write_contacts(programme, changes["contacts"], source)
        programme.sources.add(*cited)


def current_links(programme, name):
    return list(getattr(programme, name).all()) if programme.pk else []


def parent_programme(programme, identifier):
    if not identifier:
        return None
    return Programme.objects.filter(iati_identifier=identifier).exclude(pk=programme.pk).first()


def write_dates(programme, dates, source):
    """The dates the publisher gives (a date it leaves out is not blanked)."""
    for end in ("start", "end"):
        if dates.get(end):
            setattr(programme, end, datetime.date.fromisoformat(dates[end]))
            setattr(programme, f"{end}_precision", dates[f"{end}_precision"])
    programme.dates_source = source


def countries_of(codes):
    """The directory's countries of these codes, added in their region where missing."""
    existing = {country.code: country for country in Country.objects.filter(code__in=codes)}
    for code in codes:
        if code not in existing:
            region = Region.WEST_AFRICA if code in WEST_AFRICA else Region.OTHER
            existing[code] = Country.objects.create(code=code, region=region)
    return [existing[code] for code in codes]


def write_roles(programme, roles, source):
    wanted = {(role, organization) for role, organization in roles}
    current = programme.roles.filter(role__in=IATI_ROLES)
    for row in current:
        if (row.role, row.organization_id) not in wanted:
            row.delete()
    have = set(current.values_list("role", "organization_id"))
    for role, organization in sorted(wanted - have):
        ProgrammeRole.objects.create(
            programme=programme, role=role, organization_id=organization, source=source
        )


def write_sites(programme, sites, source):
    wanted = {site[0]: site for site in sites}
    for site in programme.sites.all():
        if site.name not in wanted:
            site.delete()
    countries = {
        country.code: country for country in countries_of(sorted({site[3] for site in sites}))
    }
    for name, latitude, longitude, country in sites:
        Site.objects.update_or_create(
            programme=programme,
            name=name,
            defaults={
                "latitude": Decimal(latitude),
                "longitude": Decimal(longitude),
                "country": countries[country],
                "source": source,
                "location_source": source,
            },
        )


def write_contacts(programme, contacts, source):
    wanted = [list(values) for values in contacts]
    for contact in programme.contacts.all():
        if contact.values in wanted:
            wanted.remove(contact.values)
        else:
            contact.delete()
    for values in wanted:
        Contact.objects.create(
            programme=programme, source=source, **dict(zip(CONTACT_FIELDS, values, strict=True))
        )


def link_parents(written):
    """Phases to their parent, once every programme of the file exists: `written` holds
    the (ActivityPlan, Programme) of each activity written."""
    for item, programme in written:
        parent = {change.field: change.new for change in item.changes}.get("parent")
        if parent and parent_programme(programme, parent) is not None:
            write_changes(programme, {"parent": parent}, None, programme._history_user)


def details_of(activity, item):
    """What the programme cannot hold, kept with the activity as the publisher gave it."""
    return {
        "hierarchy": activity.hierarchy,
        "dates": {kind: value.isoformat() for kind, value in activity.dates.items()},
        "countries": [
            [code, str(share) if share is not None else None] for code, share in activity.countries
        ],
        "regions": [
            [code, vocabulary, str(share) if share is not None else None]
            for code, vocabulary, share in activity.regions
        ],
        "sectors": [
            [code, vocabulary, str(share) if share is not None else None]
            for code, vocabulary, share in activity.sectors
        ],
        "unmapped_sectors": item.unmapped_sectors,
        "budgets": {currency: str(total) for currency, total in budget_totals(activity).items()},
        "transactions": {
            f"{kind} {currency}": str(total)
            for (kind, currency), total in activity.transactions.items()
        },
        "contacts": activity.contacts,
        "notes": [str(note) for note in item.notes],
    }


# Resolving -------------------------------------------------------------------------------


def resolve(conflict, *, take_publisher, user=None):
    """Close a Conflict: keep staff's value, or write the publisher's into the
    programme. Either way the publisher's value is remembered as imported, so that the
    next import sees no change until the publisher makes one."""
    activity = conflict.activity
    with (
        transaction.atomic(),
        counts.deferred(),
        history.reason("import", f"IATI {activity.identifier}"),
    ):
        programme = activity.programme
        if take_publisher and programme is not None:
            write_changes(
                programme, {conflict.field: conflict.publisher_value}, activity.source, user
            )
        activity.imported = {**activity.imported, conflict.field: conflict.publisher_value}
        activity.save(update_fields=["imported"])
        conflict.resolved = timezone.now()
        conflict.resolution = Resolution.TOOK_PUBLISHER if take_publisher else Resolution.KEPT_STAFF
        conflict.save(update_fields=["resolved", "resolution"])
