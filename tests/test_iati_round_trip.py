"""Export, then import into a database without programmes: the same programmes come
back, with their roles, countries, sectors (those the DAC mapping names), dates and
phases. What IATI cannot carry is named here: a date's precision (IATI dates are days),
the sub-sectors no DAC code maps, the directory's roles outside the standard's four
(partners come back as implementers when a programme has no other organization), and
an unknown start (IATI requires a date: the earliest source's comes back as the start)."""

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
    }


def as_exported(facts, programme):
    """IATI wants a date: an undated programme is written with the date of its earliest
    source (a narrative says so), which the import reads as its start."""
    if facts["start"] is None and facts["end"] is None:
        facts["start"] = min(s.published for s in programme.sources.all() if s.published)
    return facts


def delete_programmes():
    """Phases before the programmes they are part of (a parent is protected)."""
    while Programme.objects.exists():
        Programme.objects.filter(children__isnull=True).delete()


def test_export_then_import_gives_the_same_programmes(seeded):
    mapped = set(SectorMapping.objects.values_list("sector_slug", flat=True))
    programmes = Programme.objects.published().existing()
    before = {
        writing.identifier(programme): as_exported(facts(programme, mapped), programme)
        for programme in programmes.prefetch_related(
            "roles__organization", "countries", "sectors", "sources"
        )
    }
    assert len(before) >= 10
    content = writing.document(programmes, "http://testserver")
    delete_programmes()

    plan = importing.plan(io.BytesIO(content))
    assert plan.errors == []
    importing.apply(plan, name="round-trip.xml", publish=True)

    after = {
        programme.iati_identifier: facts(programme, mapped)
        for programme in Programme.objects.prefetch_related(
            "roles__organization", "countries", "sectors"
        )
    }
    assert after.keys() == before.keys()
    for identifier, expected in before.items():
        assert after[identifier] == expected, identifier
    # The directory's organizations were found again, by name: none was made.
    assert plan.to_choose == []
