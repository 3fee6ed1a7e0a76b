"""Export, then import into a database without programmes: the same programmes come
back, with their roles, countries, sectors (those the DAC mapping names), dates and
phases. What IATI cannot carry is named here: a date's precision (IATI dates are days),
the sub-sectors no DAC code maps, the directory's roles outside the standard's four
(partners come back as implementers when a programme has no other organization), and
the programmes no source dates (IATI requires a date: they are not exported). Statuses
come back as what they are today, and contacts as they were."""

import io

import pytest

from iati import importing, writing
from iati.models import SectorMapping
from programmes.models import Programme, ProgrammeRoleKind

pytestmark = pytest.mark.django_db

IATI_ROLES = {"funding", "accountable", "extending", "implementing"}


def facts(programme, mapped):
    roles = {(r.organization.slug, r.role) for r in programme.roles.all() if r.role in IATI_ROLES}
    if not roles:
        roles = {
            (r.organization.slug, ProgrammeRoleKind.IMPLEMENTING.value)
            for r in programme.roles.all()
            if r.role == ProgrammeRoleKind.PARTNER
        }
    return {
        "name_en": programme.name_en,
        "name_fr": programme.name_fr,
        "roles": roles,
        "countries": {c.code for c in programme.countries.all()},
        "sectors": {s.slug for s in programme.sectors.all()} & mapped,
        "start": programme.start,
        "end": programme.end,
        "parent": programme.parent and programme.parent.name_en,
        "status": programme.status,
        "contacts": sorted(contact.values for contact in programme.contacts.all()),
    }


def as_exported(facts, programme):
    """A parent with no date is not exported: its phases come back without it."""
    parent = programme.parent
    if parent and not (parent.start or parent.end):
        facts["parent"] = None
    return facts


def delete_programmes():
    """Phases before the programmes they are part of (a parent is protected)."""
    while Programme.objects.exists():
        Programme.objects.filter(children__isnull=True).delete()


def test_export_then_import_gives_the_same_programmes(seeded):
    mapped = set(SectorMapping.objects.values_list("sector_slug", flat=True))
    Programme.objects.filter(slug="hub-iit-deployment").update(reported_status="suspended")
    ntf_v = Programme.objects.get(slug="ntf-v")
    ntf_v.contacts.create(organisation="ITC", email="ntf@intracen.org", telephone="+41 22 730 0111")
    programmes = writing.dated_only(Programme.objects.published().existing())
    before = {
        writing.identifier(programme): as_exported(facts(programme, mapped), programme)
        for programme in programmes.prefetch_related(
            "roles__organization", "countries", "sectors", "sources", "contacts"
        ).select_related("parent", "dates_source")
    }
    assert len(before) >= 6
    statuses = {facts["status"] for facts in before.values()}
    assert {"closed", "past_planned_end", "reported_active", "suspended"} <= statuses
    content = writing.document(programmes, "http://testserver")
    delete_programmes()

    plan = importing.plan(io.BytesIO(content))
    assert plan.errors == []
    importing.apply(plan, name="round-trip.xml", publish=True)

    after = {
        programme.iati_identifier: facts(programme, mapped)
        for programme in Programme.objects.prefetch_related(
            "roles__organization", "countries", "sectors", "contacts"
        ).select_related("parent", "dates_source")
    }
    assert after.keys() == before.keys()
    for identifier, expected in before.items():
        assert after[identifier] == expected, identifier
    # The directory's organizations were found again, by name: none was made.
    assert plan.to_choose == []
