"""Programmes as IATI 2.03 activity XML (the schema vendored in iati/schema), written
with lxml's incremental writer: a list is sent batch by batch, never held whole.

The directory republishes what its sources say, so it reports as a secondary reporter
(IATI_REPORTING_ORG). The standard asks for more than some programmes have: where a
required element is not known, what is written says so in a narrative rather than
invent it (a start date the directory does not know, an organization no role of the
standard names)."""

import datetime
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from lxml import etree

from ecosystem.core.dates import Precision, format_partial
from ecosystem.core.exports import in_batches
from iati.models import SectorMapping
from members.models import OrganizationKind
from programmes.models import (
    Existence,
    Programme,
    ProgrammeRoleKind,
    ProgrammeStatus,
    Site,
)

VERSION = "2.03"
LANGUAGES = ("en", "fr")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
WGS84 = "http://www.opengis.net/def/crs/EPSG/0/4326"

# OrganisationRole: the four roles of the standard; the directory's partner, host and
# beneficiary have none.
ROLE_CODES = {
    ProgrammeRoleKind.FUNDING: "1",
    ProgrammeRoleKind.ACCOUNTABLE: "2",
    ProgrammeRoleKind.EXTENDING: "3",
    ProgrammeRoleKind.IMPLEMENTING: "4",
}
# OrganisationType, only where the directory's kind says it (an NGO may be national or
# international, a funder public or private: no type then).
ORGANISATION_TYPES = {
    OrganizationKind.GOVERNMENT: "10",
    OrganizationKind.INTERNATIONAL_AGENCY: "40",
    OrganizationKind.SME: "70",
}
# ActivityStatus as last known: a programme past its planned end that no later source
# reports ended was last known in implementation.
STATUS_CODES = {
    ProgrammeStatus.PLANNED: "1",
    ProgrammeStatus.ACTIVE: "2",
    ProgrammeStatus.REPORTED_ACTIVE: "2",
    ProgrammeStatus.PAST_PLANNED_END: "2",
    ProgrammeStatus.CLOSED: "4",
    ProgrammeStatus.CANCELLED: "5",
    ProgrammeStatus.SUSPENDED: "6",
}
PIPELINE, IMPLEMENTATION = "1", "2"
# The standard writes dates to the day: one known less precisely says so.
KNOWN_TO = {
    Precision.YEAR: _("Known to the year: %(date)s"),
    Precision.MONTH: _("Known to the month: %(date)s"),
}
REPORTER_NAME = _("Tech-support directory")
# In English, as the document's default language.
LEFT_OUT = (
    " Left out: %(count)s programmes of this list with no known date (IATI requires a "
    "start or an end; the directory's list and CSV hold them). "
)
NO_ORGANIZATION = _("No organization is known for this programme.")
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"
PARENT, CHILD = "1", "2"
# DocumentCategory A12, "Activity web page": what the directory's sources with an
# address are, as far as it knows.
WEB_PAGE = "A12"
# SectorVocabulary: 1 DAC 5-digit, 2 DAC 3-digit, 99 the reporting organisation's own
# (the directory's sectors).
DAC_VOCABULARIES = {5: "1", 3: "2"}
OWN_VOCABULARY = "99"
# OtherIdentifier type A1: the reporting organisation's own reference, the slug.
OWN_REFERENCE = "A1"
# BudgetType 1 (original) and BudgetStatus 1 (indicative): a source's figure.
ORIGINAL, INDICATIVE = "1", "1"


@dataclass
class Context:
    """What every activity of a document shares: the site's address, today, and each
    sector's DAC code (its slug's in the mapping staff edit, the 5-digit code first)."""

    base_url: str
    today: datetime.date = field(default_factory=timezone.localdate)
    dac: dict = field(default_factory=dict)

    @classmethod
    def read(cls, base_url):
        dac = {}
        for code, slug in SectorMapping.objects.order_by("code").values_list("code", "sector_slug"):
            if len(dac.get(slug, "")) != 5:
                dac[slug] = code
        return cls(base_url, dac=dac)


def exportable(programmes):
    """`programmes` with what the export reads, in a fixed number of queries per batch
    (not the API's prefetches: its sites' programmes and sources, its figures)."""
    children = Programme.objects.published().only("slug", "iati_identifier", "parent_id")
    return (
        programmes.select_related("parent")
        .with_public_roles()
        .prefetch_related(
            "countries",
            "sectors",
            "sources",
            "contacts",
            Prefetch("sites", Site.objects.select_related("country")),
            Prefetch("children", children.order_by("slug"), to_attr="public_children"),
        )
    )


def identifier(programme):
    """The activity's identifier: the publisher's own where the directory knows it, else
    the directory's reference under its reporting organisation."""
    return programme.iati_identifier or f"{settings.IATI_REPORTING_ORG['ref']}-{programme.slug}"


def in_each_language(message, **values):
    """{language: the message (lazy) translated into it, with its values}."""
    texts = {}
    for language in LANGUAGES:
        with translation.override(language):
            texts[language] = str(message) % values if values else str(message)
    return texts


def narratives(parent, texts):
    """One <narrative> per language that has a text ({language: text})."""
    for language, text in texts.items():
        if text:
            narrative = etree.SubElement(parent, "narrative")
            if language:  # else the activity's default language, which it may not be
                narrative.set(XML_LANG, language)
            narrative.text = text


def bilingual(record, field):
    return {language: getattr(record, f"{field}_{language}") for language in LANGUAGES}


def element(parent, tag, texts=None, **attributes):
    node = etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attributes.items()})
    if texts:
        narratives(node, texts)
    return node


def reporting_org(activity):
    reporter = settings.IATI_REPORTING_ORG
    node = element(activity, "reporting-org", ref=reporter["ref"], type=reporter["type"])
    node.set("secondary-reporter", "1")
    narratives(node, in_each_language(REPORTER_NAME))


def descriptions(activity, programme):
    """The summary and the description as general descriptions, the objectives as such;
    the name when there is nothing else, as the standard wants one."""
    general = [bilingual(programme, field) for field in ("summary", "description")]
    general = [texts for texts in general if any(texts.values())] or [bilingual(programme, "name")]
    for texts in general:
        element(activity, "description", texts, type="1")
    objectives = bilingual(programme, "objectives")
    if any(objectives.values()):
        element(activity, "description", objectives, type="2")


def participating_orgs(activity, programme):
    """The organizations in the standard's roles, by their IATI identifier where the
    directory has it. A programme with none of them names its partners as implementers
    (partners carry a partnership out), and else says that none is known."""
    roles = [role for role in programme.roles.all() if role.role in ROLE_CODES]
    if not roles:
        roles = [role for role in programme.roles.all() if role.role == ProgrammeRoleKind.PARTNER]
    for role in roles:
        organization = role.organization
        attributes = {"role": ROLE_CODES.get(role.role, ROLE_CODES[ProgrammeRoleKind.IMPLEMENTING])}
        if organization.iati_identifier:
            attributes["ref"] = organization.iati_identifier
        if organization.kind in ORGANISATION_TYPES:
            attributes["type"] = ORGANISATION_TYPES[organization.kind]
        element(activity, "participating-org", bilingual(organization, "name"), **attributes)
    if not roles:
        element(
            activity,
            "participating-org",
            in_each_language(NO_ORGANIZATION),
            role=ROLE_CODES[ProgrammeRoleKind.ACCOUNTABLE],
        )


def activity_status(programme, today):
    if programme.existence != Existence.CONFIRMED:
        return PIPELINE
    status = programme.status_on(today)
    return STATUS_CODES[status] if status else IMPLEMENTATION


def dated_only(programmes):
    """The programmes the standard can hold: it wants a start or an end, and the
    directory does not invent one for a programme whose dates no source gives."""
    return programmes.filter(Q(start__isnull=False) | Q(end__isnull=False))


def activity_dates(activity, programme, today):
    """Start and end, planned or actual. A date known to the year or the month is
    written as its first (a start) or last (an end) day, with a narrative saying how
    precisely it is known."""
    if programme.start:
        actual = programme.existence == Existence.CONFIRMED and programme.start <= today
        dated(
            activity,
            ACTUAL_START if actual else PLANNED_START,
            programme.start,
            programme.start_precision,
        )
    if programme.end:
        kind = ACTUAL_END if programme.end_reported else PLANNED_END
        dated(activity, kind, programme.end, programme.end_precision)


def contacts(activity, programme):
    """contact-info, its elements in the schema's order; the texts as the source gave
    them, in no particular language."""
    for contact in programme.contacts.all():
        node = element(activity, "contact-info")
        for tag, value in (
            ("organisation", contact.organisation),
            ("person-name", contact.person),
            ("job-title", contact.job_title),
        ):
            if value:
                narratives(element(node, tag), {"": value})
        for tag, value in (
            ("telephone", contact.telephone),
            ("email", contact.email),
            ("website", contact.website),
        ):
            if value:
                element(node, tag).text = value
        if contact.address:
            narratives(element(node, "mailing-address"), {"": contact.address})


def dated(activity, kind, value, precision):
    texts = None
    if precision in KNOWN_TO:
        texts = {}
        for language in LANGUAGES:
            with translation.override(language):
                texts[language] = str(KNOWN_TO[precision]) % {
                    "date": format_partial(value, precision)
                }
    element(activity, "activity-date", texts, type=kind, iso_date=value.isoformat())


def places(activity, programme):
    for country in programme.countries.all():
        element(activity, "recipient-country", bilingual(country, "name"), code=country.code)
    for site in programme.sites.all():
        location = element(activity, "location")
        element(location, "name", {"en": site.name})
        where = ", ".join(filter(None, [site.city, site.country.name_en]))
        element(location, "description", {"en": where})
        if site.latitude is not None:
            point = element(location, "point", srsName=WGS84)
            etree.SubElement(point, "pos").text = f"{site.latitude} {site.longitude}"


def sectors(activity, programme, context):
    """Each sector by its DAC code where the mapping gives one, and by its slug in the
    directory's own vocabulary (which keeps sub-sectors the DAC lists do not have)."""
    for sector in programme.sectors.all():
        code = context.dac.get(sector.slug)
        if code:
            element(activity, "sector", vocabulary=DAC_VOCABULARIES[len(code)], code=code)
        element(
            activity,
            "sector",
            bilingual(sector, "name"),
            vocabulary=OWN_VOCABULARY,
            vocabulary_uri=f"{context.base_url}/api/v1/sectors/",
            code=sector.slug,
        )


def budget(activity, programme):
    """The budget a source gives, over the programme's period (the standard wants one),
    as indicative: a source's figure, not a commitment."""
    if programme.budget_amount is None or not (programme.start and programme.end):
        return
    node = element(activity, "budget", type=ORIGINAL, status=INDICATIVE)
    element(node, "period-start", iso_date=programme.start.isoformat())
    element(node, "period-end", iso_date=programme.end.isoformat())
    value = element(
        node, "value", currency=programme.budget_currency, value_date=programme.start.isoformat()
    )
    value.text = f"{programme.budget_amount:f}"


def document_links(activity, programme):
    """The programme's website and its sources that have an address."""
    links = []
    if programme.website:
        links.append((programme.website, bilingual(programme, "name"), None, None))
    for source in programme.sources.all():
        if source.url:
            links.append((source.url, {source.language: source.title}, source.language, source))
    for url, title, language, source in links:
        pdf = url.lower().split("?")[0].endswith(".pdf")
        node = element(
            activity, "document-link", url=url, format="application/pdf" if pdf else "text/html"
        )
        element(node, "title", title)
        element(node, "category", code=WEB_PAGE)
        if language:
            element(node, "language", code=language)
        if source and source.published:
            element(node, "document-date", iso_date=source.published.isoformat())


def related_activities(activity, programme):
    parent = programme.public_parent
    if parent:
        element(activity, "related-activity", ref=identifier(parent), type=PARENT)
    for child in programme.public_children:
        element(activity, "related-activity", ref=identifier(child), type=CHILD)


def activity(programme, context):
    """One programme as an <iati-activity>, its elements in the schema's order."""
    attributes = {"last-updated-datetime": programme.updated.isoformat(timespec="seconds")}
    if programme.budget_currency:
        attributes["default-currency"] = programme.budget_currency
    if programme.parent_id:
        attributes["hierarchy"] = "2"
    node = etree.Element("iati-activity", attributes)
    node.set(XML_LANG, "en")
    element(node, "iati-identifier").text = identifier(programme)
    reporting_org(node)
    element(node, "title", bilingual(programme, "name"))
    descriptions(node, programme)
    participating_orgs(node, programme)
    element(node, "other-identifier", ref=programme.slug, type=OWN_REFERENCE)
    element(node, "activity-status", code=activity_status(programme, context.today))
    activity_dates(node, programme, context.today)
    contacts(node, programme)
    places(node, programme)
    sectors(node, programme, context)
    budget(node, programme)
    document_links(node, programme)
    related_activities(node, programme)
    return node


def activities_xml(programmes, base_url, undated=0):
    """The programmes as one <iati-activities> document, in chunks of bytes (one per
    batch of programmes), for a streamed answer; it says in a comment how many
    programmes with no date (`undated`) were left out of it."""
    buffer = io.BytesIO()
    context = Context.read(base_url)
    generated = timezone.now().isoformat(timespec="seconds")
    with etree.xmlfile(buffer, encoding="utf-8") as document:
        document.write_declaration()
        with document.element(
            "iati-activities", version=VERSION, **{"generated-datetime": generated}
        ):
            if undated:
                document.write(etree.Comment(LEFT_OUT % {"count": undated}))
            for batch in in_batches(exportable(programmes)):
                for programme in batch:
                    document.write(activity(programme, context), pretty_print=True)
                document.flush()
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue()


def document(programmes, base_url):
    """The whole document as bytes (tests, one programme)."""
    return b"".join(activities_xml(programmes, base_url))


def schema():
    """The official schema, from the vendored copy (never fetched)."""
    path = settings.BASE_DIR / "iati" / "schema" / "iati-activities-schema.xsd"
    return etree.XMLSchema(etree.parse(str(path)))
