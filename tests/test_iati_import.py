"""Importing IATI activity files (iati/reading.py, iati/importing.py, manage.py
import_iati) from the fixtures in tests/iati/, written from the standard: what a
programme gets from each element, what its pages then show, and what a re-import may
change of what staff edited."""

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from ecosystem.core.models import PublicationStatus, Source
from iati import importing, reading
from iati.models import (
    Activity,
    Conflict,
    KnownOrganization,
    Resolution,
    SectorMapping,
    SyncSource,
)
from members.models import Organization
from programmes.models import Existence, Programme, ProgrammeRoleKind
from tests.helpers import database_rows, html

FILES = Path(__file__).parent / "iati"
AFD_SME = "FR-6-CSN1234"
AFD_MALI = "FR-6-CML5678"
EU_PARENT = "XI-IATI-EC_INTPA-2018/400001"
EU_PHASE_1 = "XI-IATI-EC_INTPA-2018/400002"
EU_PHASE_2 = "XI-IATI-EC_INTPA-2021/400003"
EU_NO_DATES = "XI-IATI-EC_INTPA-2023/400004"
AFDB = "46002-P-Z1-KA0-018"


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English; the tests at the end compare them in French."""
    with translation.override("en"):
        yield


def imported(name, **options):
    plan = importing.plan(FILES / name)
    assert plan.errors == []
    return plan, importing.apply(plan, name=name, **options)


def programme(identifier):
    return Programme.objects.get(iati_identifier=identifier)


def roles(record):
    return sorted((role.role, role.organization.name_fr) for role in record.roles.all())


# Reading ---------------------------------------------------------------------------------


def test_every_element_is_read():
    activity, mali = reading.read(FILES / "afd.xml")
    assert activity.identifier == AFD_SME
    assert activity.version == "2.03"
    # A narrative without xml:lang is in the activity's default language (French).
    assert activity.titles == {
        "fr": "Appui aux PME numériques du Sénégal",
        "en": "Support to Senegal’s digital SMEs",
    }
    assert activity.descriptions["2"] == {
        "fr": "Créer des emplois qualifiés.",
        "en": "Create skilled jobs.",
    }
    assert activity.publisher_ref == "FR-6"
    assert [(p.role, p.ref) for p in activity.participants] == [
        ("funding", "FR-6"),
        ("accountable", ""),
        ("extending", "FR-6"),
        ("implementing", ""),
    ]
    assert activity.countries == [("SN", Decimal(70)), ("ML", Decimal(30))]
    assert [code for code, _v, _p in activity.sectors] == ["22040", "32130"]
    assert activity.dates == {
        "planned_start": datetime.date(2019, 1, 15),
        "actual_start": datetime.date(2019, 3, 1),
        "planned_end": datetime.date(2023, 12, 31),
    }
    assert activity.status == "2"
    assert activity.last_updated == datetime.datetime(2024, 2, 15, 9, 30, tzinfo=datetime.UTC)
    assert [budget["value"] for budget in activity.budgets] == [4_000_000, 6_000_000]
    # A value without currency is in the activity's default currency.
    assert {budget["currency"] for budget in activity.budgets} == {"EUR"}
    assert activity.transactions == {
        ("commitment", "EUR"): Decimal(10_000_000),
        ("disbursement", "EUR"): Decimal(4_000_000),
    }
    assert activity.documents[0].titles == {"fr": "Fiche projet", "en": "Project sheet"}
    assert (activity.locations[0].latitude, activity.locations[0].longitude) == (
        Decimal("14.6928"),
        Decimal("-17.4467"),
    )
    assert activity.contacts[0]["email"] == "afddakar@afd.fr"
    assert activity.errors == mali.errors == []


def test_the_conventions_of_2_01_are_read():
    (activity,) = reading.read(FILES / "afdb-201.xml")
    assert activity.version == "2.01"
    # No time zone: IATI's times are UTC.
    assert activity.last_updated == datetime.datetime(2019, 4, 2, 12, tzinfo=datetime.UTC)
    # A sector with no vocabulary is a DAC 5-digit code.
    assert activity.sectors == [("33120", "1", None)]
    # The letter code of a commitment, in the default currency.
    assert activity.transactions == {("commitment", "USD"): Decimal(25_000_000)}
    assert activity.errors == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("not-iati.xml", "This is not an IATI activity file: its root element is <rss>."),
        ("version-1.05.xml", "IATI version 1.05 is not read here: only 2.01, 2.02, 2.03."),
        ("entities.xml", "The file declares a document type"),
        ("external-entity.xml", "The file declares a document type"),
        ("broken.xml", "The file is not well-formed XML in activity XX-CUT-2, line 13"),
    ],
)
def test_a_file_that_is_not_iati_is_refused_whole(name, message):
    with pytest.raises(reading.IatiFileError) as refused:
        reading.read(FILES / name)
    assert message in str(refused.value)


def test_nothing_outside_the_file_is_read(tmp_path):
    # The external entity names a file of our own: had it been read, its text would be
    # in the title. The file is refused before.
    secret = tmp_path / "secret.txt"
    secret.write_text("the server's secret")
    xml = (FILES / "external-entity.xml").read_text().replace("/etc/passwd", str(secret))
    with pytest.raises(reading.IatiFileError, match="document type"):
        reading.read(io.BytesIO(xml.encode()))


def test_a_file_past_the_size_limit_is_refused_before_it_is_read(tmp_path):
    huge = tmp_path / "huge.xml"
    with huge.open("wb") as file:
        file.truncate(100 * 1024 * 1024)  # 100 MB, of which nothing is read
    with translation.override("en"), pytest.raises(reading.IatiFileError) as refused:
        reading.read(huge)
    assert str(refused.value) == "The file is larger than 50.0\xa0MB."
    assert refused.value.too_large


def test_a_file_past_the_activity_limit_is_refused():
    with pytest.raises(reading.IatiFileError, match="more than 3 activities") as refused:
        reading.read(FILES / "eu.xml", reading.Limits(bytes=10**6, activities=3))
    assert refused.value.too_large


def test_bad_values_are_named_by_activity_and_element():
    good, bad = reading.read(FILES / "bad-values.xml")
    assert good.errors == []
    assert bad.errors == [
        "Activity XX-BAD-2, line 15, <recipient-country>: percentage “many” is not a number.",
        "Activity XX-BAD-2, line 14, <activity-date>: iso-date “2020-13-45” is not a date.",
        "Activity XX-BAD-2, line 19, <value>: value “ten thousand” is not a number.",
    ]


# Importing -------------------------------------------------------------------------------


def test_an_activity_becomes_a_programme_with_its_sources(seeded):
    plan, done = imported("afd.xml")
    assert done["create"] == 2
    record = programme(AFD_SME)
    assert record.publication_status == PublicationStatus.DRAFT
    assert (record.name_fr, record.name_en) == (
        "Appui aux PME numériques du Sénégal",
        "Support to Senegal’s digital SMEs",
    )
    assert record.description_en.startswith("The programme funds support")
    assert record.objectives_fr == "Créer des emplois qualifiés."
    # The actual start, and the planned end (no actual one yet), to the day.
    assert (record.start, record.start_precision) == (datetime.date(2019, 3, 1), "day")
    assert (record.end, record.end_precision) == (datetime.date(2023, 12, 31), "day")
    # Two years' budgets summed.
    assert (record.budget_amount, record.budget_currency) == (Decimal(10_000_000), "EUR")
    assert sorted(record.countries.values_list("code", flat=True)) == ["ML", "SN"]
    assert list(record.sectors.values_list("slug", flat=True)) == ["digital-technology"]
    afd = Organization.objects.get(slug="afd")
    found = sorted((role.role, role.organization_id == afd.pk) for role in record.roles.all())
    assert found == [
        (ProgrammeRoleKind.ACCOUNTABLE, False),
        (ProgrammeRoleKind.EXTENDING, True),
        (ProgrammeRoleKind.FUNDING, True),
        (ProgrammeRoleKind.IMPLEMENTING, False),
    ]
    # The organizations the directory did not have are new drafts, named as IATI names them.
    ministry = record.roles.get(role=ProgrammeRoleKind.ACCOUNTABLE).organization
    assert ministry.publication_status == PublicationStatus.DRAFT
    assert ministry.kind == "government"
    # Every fact cites the activity: its publisher, its last update, its public page.
    source = record.dates_source
    assert source.outside
    assert source.publisher == "French Development Agency"
    assert source.url == "https://d-portal.org/ctrack.html#view=act&aid=FR-6-CSN1234"
    assert (source.published, source.published_precision) == (datetime.date(2024, 2, 15), "day")
    assert record.budget_source == source
    assert {role.source for role in record.roles.all()} == {source}
    assert set(record.sources.values_list("url", flat=True)) == {
        source.url,
        "https://www.afd.fr/fr/carte-des-projets/appui-pme-numeriques-senegal.pdf",
    }
    # What the programme cannot hold stays with the activity, as the publisher gave it.
    activity = Activity.objects.get(identifier=AFD_SME)
    assert activity.status == "2"
    assert activity.details["unmapped_sectors"] == ["32130"]
    assert activity.details["countries"] == [["SN", "70"], ["ML", "30"]]
    assert activity.details["transactions"] == {
        "commitment EUR": "10000000",
        "disbursement EUR": "4000000",
    }
    assert activity.details["contacts"][0]["person-name"] == {"fr": "Awa Ndiaye"}
    # Dakar is in Senegal or Mali: IATI's location does not say, so no site is guessed.
    assert not record.sites.exists()
    (item,) = [item for item in plan.activities if item.activity.identifier == AFD_SME]
    assert any("Dakar" in note for note in item.notes)


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("fr", ["Appui aux PME numériques du Sénégal", "Agence Française de Développement"]),
        ("en", ["Support to Senegal’s digital SMEs", "Agence Française de Développement"]),
    ],
)
def test_the_programme_page_shows_what_the_publisher_said_and_when(seeded, client, language, texts):
    imported("afd.xml", publish=True)
    Organization.objects.update(publication_status=PublicationStatus.PUBLISHED)
    with translation.override(language):
        page = html(client.get(programme(AFD_SME).get_absolute_url()))
    for text in texts:
        assert text in page
    assert "https://d-portal.org/ctrack.html#view=act&amp;aid=FR-6-CSN1234" in page
    assert "2024" in page  # its status is as of the activity's last update


def test_a_parent_and_its_two_phases(seeded):
    _plan, done = imported("eu.xml")
    assert done["create"] == 4
    parent = programme(EU_PARENT)
    assert sorted(parent.children.values_list("iati_identifier", flat=True)) == [
        EU_PHASE_1,
        EU_PHASE_2,
    ]
    # A 3-digit category (vocabulary 2) and a 5-digit code under it, through the mapping.
    assert list(parent.sectors.values_list("slug", flat=True)) == ["trade-export-promotion"]
    assert list(programme(EU_PHASE_1).sectors.values_list("slug", flat=True)) == [
        "trade-export-promotion"
    ]
    # A region is kept as such, not turned into countries.
    assert not parent.countries.exists()
    assert Activity.objects.get(identifier=EU_PARENT).details["regions"] == [["289", "1", "100"]]
    # A location with a point, in the activity's one country: a site, citing the activity.
    (site,) = programme(EU_PHASE_1).sites.all()
    assert (site.name, site.country_id, site.latitude, site.longitude) == (
        "Thiès trade facilitation desk",
        "SN",
        Decimal("14.7910"),
        Decimal("-16.9359"),
    )
    assert site.source == programme(EU_PHASE_1).dates_source
    # An English-only activity: its one title serves both languages, its text stays English.
    assert programme(EU_PHASE_1).name_fr == programme(EU_PHASE_1).name_en
    assert programme(EU_PHASE_1).description_fr == ""


def test_an_activity_with_no_dates_claims_none(seeded):
    imported("eu.xml")
    record = programme(EU_NO_DATES)
    assert (record.start, record.end) == (None, None)
    assert record.status is None
    # In the pipeline (status 1): proposed, not counted with those that exist.
    assert record.existence == Existence.PROPOSED


def test_an_activity_of_2_01(seeded):
    imported("afdb-201.xml")
    record = programme(AFDB)
    assert (record.budget_amount, record.budget_currency) == (Decimal(25_000_000), "USD")
    assert sorted(record.countries.values_list("code", flat=True)) == ["ML", "SN"]
    assert record.dates_source.published == datetime.date(2019, 4, 2)
    details = Activity.objects.get(identifier=AFDB).details
    assert details["transactions"] == {"commitment USD": "25000000"}


def test_staff_edit_the_dac_mapping(seeded):
    SectorMapping.objects.create(code="32130", sector_slug="it-bpo")
    imported("afd.xml")
    assert sorted(programme(AFD_SME).sectors.values_list("slug", flat=True)) == [
        "digital-technology",
        "it-bpo",
    ]
    assert Activity.objects.get(identifier=AFD_SME).details["unmapped_sectors"] == []


def test_a_bad_file_writes_nothing(seeded):
    before = database_rows()
    plan = importing.plan(FILES / "bad-values.xml")
    assert len(plan.errors) == 3
    with pytest.raises(ValueError, match="never written"):
        importing.apply(plan, name="bad-values.xml")
    with pytest.raises(CommandError, match="Activity XX-BAD-2, line 14, <activity-date>"):
        call_command("import_iati", str(FILES / "bad-values.xml"), verbosity=0)
    assert database_rows() == before


def test_an_end_before_the_start_is_named(seeded):
    xml = (FILES / "afdb-201.xml").read_text().replace("2023-12-31", "2017-12-31")
    plan = importing.plan(io.BytesIO(xml.encode()))
    assert plan.errors == [
        f"Activity {AFDB}, <activity-date>: it ends (2017-12-31) before it starts (2018-09-01)."
    ]


# Organizations ---------------------------------------------------------------------------


def test_organizations_are_found_by_identifier_then_as_staff_matched_them(seeded):
    afd = Organization.objects.get(slug="afd")
    afd.iati_identifier = "FR-6"
    afd.save()
    plan = importing.plan(FILES / "afd.xml")
    assert plan.organizations["FR-6"].how == "identifier"
    ministry, agency = plan.to_choose
    assert "Ministère de la Communication" in ministry.name
    # Staff match the implementer to an organization of the directory in the preview.
    other = Organization.objects.exclude(pk=afd.pk).first()
    importing.apply(plan, name="afd.xml", choices={agency.key: other.pk})
    implementer = programme(AFD_SME).roles.get(role=ProgrammeRoleKind.IMPLEMENTING)
    assert implementer.organization == other
    # The next import finds both by what was decided, and asks nothing.
    again = importing.plan(FILES / "afd-2025.xml")
    assert again.to_choose == []
    assert again.organizations[agency.key].how == "known"
    assert KnownOrganization.objects.get(key=agency.key).organization == other


# Re-importing ----------------------------------------------------------------------------


def test_a_reimport_changes_what_the_publisher_changed_and_keeps_what_staff_did(seeded):
    imported("afd.xml")
    record = programme(AFD_SME)
    # Staff rewrite the English description and drop Mali; the publisher changes neither
    # the description nor... it adds Guinea: a conflict on the countries.
    record.description_en = "Staff's own words."
    record.save()
    record.countries.remove("ML")
    plan, done = imported("afd-2025.xml")
    assert done["update"] == 1
    record = programme(AFD_SME)
    assert record.name_en == "Support to digital SMEs in Senegal and Mali"  # publisher's
    assert record.description_en == "Staff's own words."  # staff's, unchanged upstream
    assert sorted(record.countries.values_list("code", flat=True)) == ["SN"]  # staff's
    assert (record.end, record.dates_source.published) == (
        datetime.date(2024, 6, 30),
        datetime.date(2025, 1, 10),
    )
    (conflict,) = Conflict.objects.filter(resolved__isnull=True)
    assert (conflict.field, conflict.staff_value, conflict.publisher_value) == (
        "countries",
        ["SN"],
        ["GN", "ML", "SN"],
    )
    # Gone from the publisher's file: flagged, not deleted.
    assert Activity.objects.get(identifier=AFD_MALI).gone_since is not None
    assert programme(AFD_MALI)
    # Staff take the publisher's countries; the next import has nothing to say.
    importing.resolve(conflict, take_publisher=True)
    assert sorted(programme(AFD_SME).countries.values_list("code", flat=True)) == [
        "GN",
        "ML",
        "SN",
    ]
    conflict.refresh_from_db()
    assert conflict.resolution == Resolution.TOOK_PUBLISHER
    plan, done = imported("afd-2025.xml")
    assert done["unchanged"] == 1
    assert Conflict.objects.filter(resolved__isnull=True).count() == 0
    # The older file again: the activity back in it is no longer flagged, and the older
    # version of the other changes nothing.
    plan, done = imported("afd.xml")
    assert done["unchanged"] == 2
    assert Activity.objects.get(identifier=AFD_MALI).gone_since is None
    assert programme(AFD_SME).name_en == "Support to digital SMEs in Senegal and Mali"
    (item,) = [item for item in plan.activities if item.activity.identifier == AFD_SME]
    assert item.notes == ["Older than the version imported last (2025-01-10): left as it is."]


def test_staff_keep_their_value_and_are_not_asked_again(seeded):
    imported("afd.xml")
    record = programme(AFD_SME)
    record.name_en = "Digital SMEs (staff's title)"
    record.save()
    imported("afd-2025.xml")
    conflict = Conflict.objects.get(field="name_en", resolved__isnull=True)
    importing.resolve(conflict, take_publisher=False)
    assert programme(AFD_SME).name_en == "Digital SMEs (staff's title)"
    _plan, done = imported("afd-2025.xml")
    assert done["conflicts"] == 0
    assert programme(AFD_SME).name_en == "Digital SMEs (staff's title)"


def test_a_programme_staff_made_is_filled_not_overwritten(seeded):
    # Staff gave an existing programme the activity's identifier before any import.
    record = Programme.objects.filter(budget_amount__isnull=True).first()
    record.iati_identifier = AFDB
    record.save()
    name = record.name_en
    _plan, done = imported("afdb-201.xml")
    assert done["update"] == 1
    record.refresh_from_db()
    assert record.name_en == name
    assert (record.budget_amount, record.budget_currency) == (Decimal(25_000_000), "USD")
    assert Conflict.objects.filter(activity__identifier=AFDB, field="name_en").exists()


def test_a_programme_staff_deleted_is_not_brought_back(seeded):
    imported("afd.xml")
    programme(AFD_MALI).delete()
    _plan, done = imported("afd.xml")
    assert done["skip"] == 1
    assert not Programme.objects.filter(iati_identifier=AFD_MALI).exists()


def test_the_sources_are_outside_and_one_per_activity(seeded):
    imported("afd.xml")
    imported("afd-2025.xml")
    sources = Source.objects.filter(url__startswith="https://d-portal.org/")
    assert sorted(sources.values_list("document", flat=True)) == [AFD_MALI, AFD_SME]


# The command -----------------------------------------------------------------------------


def test_the_command_dry_run_writes_nothing_and_says_what_it_would_do(seeded):
    before = database_rows()
    out = io.StringIO()
    call_command(
        "import_iati", str(FILES / "afd.xml"), "--dry-run", stdout=out, stderr=io.StringIO()
    )
    assert database_rows() == before
    text = out.getvalue()
    assert "Would import afd.xml: 2 created (drafts), 0 updated" in text
    assert "DAC sectors not mapped: 32130" in text
    assert "not found, would be made as a draft" in text


def test_the_command_imports_and_summarises(seeded):
    out = io.StringIO()
    call_command(
        "import_iati", str(FILES / "eu.xml"), "--publish", stdout=out, stderr=io.StringIO()
    )
    assert "Imported eu.xml: 4 created (published)" in out.getvalue()
    assert programme(EU_PARENT).publication_status == PublicationStatus.PUBLISHED


def test_the_command_refuses_a_file_with_a_clear_message(db):
    with pytest.raises(CommandError, match="version-1.05.xml: IATI version 1.05 is not read"):
        call_command("import_iati", str(FILES / "version-1.05.xml"), verbosity=0)
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_iati", str(FILES / "nowhere.xml"), verbosity=0)


def test_a_query_that_returns_part_of_a_publishers_activities_flags_none(seeded):
    imported("afd.xml")
    plan = importing.plan(FILES / "afd-2025.xml", whole_file=False)
    assert plan.gone == []
    importing.apply(plan, name="query.xml")
    assert Activity.objects.get(identifier=AFD_MALI).gone_since is None


def test_staff_made_a_date_less_precise_the_publisher_does_not_undo_it(seeded):
    imported("afd.xml")
    record = programme(AFD_SME)
    record.start, record.start_precision = datetime.date(2019, 1, 1), "year"
    record.save()
    imported("afd-2025.xml")  # the publisher reports the actual end
    record = programme(AFD_SME)
    assert (record.start, record.start_precision, record.end) == (
        datetime.date(2019, 1, 1),
        "year",
        datetime.date(2023, 12, 31),
    )
    conflict = Conflict.objects.get(field="dates", resolved__isnull=True)
    assert conflict.publisher_value["end"] == "2024-06-30"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Activity XX-BAD-2, line 14, <activity-date>: iso-date “2020-13-45” is not a date."),
        (
            "fr",
            "Activité XX-BAD-2, ligne 14, <activity-date> : "
            "iso-date « 2020-13-45 » n’est pas une date.",
        ),
    ],
)
def test_the_errors_are_in_the_readers_language(db, language, message):
    with translation.override(language):
        plan = importing.plan(FILES / "bad-values.xml")
    assert message in plan.errors


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "This is not an IATI activity file: its root element is <rss>."),
        ("fr", "Ce n’est pas un fichier d’activités IATI : son élément racine est <rss>."),
    ],
)
def test_a_refusal_is_in_the_readers_language(language, message):
    with translation.override(language), pytest.raises(reading.IatiFileError) as refused:
        reading.read(FILES / "not-iati.xml")
    assert str(refused.value) == message


def test_the_same_file_again_writes_nothing(seeded):
    imported("afd.xml")
    imported("eu.xml")
    before = database_rows()
    _plan, done = imported("afd.xml")
    assert (done["create"], done["update"], done["unchanged"]) == (0, 0, 2)
    assert database_rows() == before


def test_the_history_says_which_file_and_a_sync_source_is_kept(seeded):
    source = SyncSource.objects.create(url="https://iati.cloud/afd.xml", publisher="AFD")
    plan = importing.plan(FILES / "afd.xml")
    importing.apply(plan, name="afd.xml", sync_source=source)
    (version,) = programme(AFD_SME).history.all()
    assert (version.history_type, version.history_change_reason) == ("+", "import IATI afd.xml")
    assert Activity.objects.get(identifier=AFD_SME).sync_source == source


def test_staff_changed_a_role_the_publisher_changes_them_too(seeded):
    imported("afd.xml")
    record = programme(AFD_SME)
    record.roles.get(role=ProgrammeRoleKind.IMPLEMENTING).delete()
    xml = (FILES / "afd-2025.xml").read_text().replace('role="2" type="10"', 'role="4" type="10"')
    importing.apply(importing.plan(io.BytesIO(xml.encode())), name="afd-2025.xml")
    conflict = Conflict.objects.get(field="roles", resolved__isnull=True)
    assert ProgrammeRoleKind.IMPLEMENTING not in dict(roles(programme(AFD_SME)))
    assert [role for role, _pk in conflict.publisher_value].count("implementing") == 2


def test_the_publishers_status_is_the_programmes_as_of_its_last_update(seeded, tmp_path):
    imported("afd.xml", publish=True)
    # In implementation (2), last updated after its planned end: no report that it ended.
    sme = programme(AFD_SME)
    assert sme.reported_status == "running"
    assert sme.status == "past_planned_end"
    assert sme.get_status_display() == "planned to end in December 2023 — no later report"
    # Closed (4), and finalisation (3) in the newer file: ended, as of the update.
    assert programme(AFD_MALI).status == "closed"
    imported("afd-2025.xml")
    sme = programme(AFD_SME)
    assert (sme.reported_status, sme.status) == ("ended", "closed")
    assert sme.get_status_display() == "closed (as of January 2025)"
    assert sme.status_basis == "reported"
    # Cancelled (5) and suspended (6) whatever the dates say.
    text = (FILES / "afd.xml").read_text()
    for code, status, shown in (
        ("5", "cancelled", "annulé (au 15 février 2024)"),
        ("6", "suspended", "suspendu (au 15 février 2024)"),
    ):
        newer = text.replace('activity-status code="2"', f'activity-status code="{code}"')
        newer = newer.replace("2024-02-15T09:30:00Z", f"2026-0{code}-01T00:00:00Z", 1)
        path = tmp_path / f"afd-{code}.xml"
        path.write_text(newer)
        plan = importing.plan(path)
        importing.apply(plan, name=path.name)
        sme = programme(AFD_SME)
        assert sme.status == status
        with translation.override("fr"):
            assert sme.get_status_display().startswith(shown.split(" (")[0])


@pytest.mark.parametrize(
    ("language", "heading", "status"),
    [("en", "Contact", "cancelled"), ("fr", "Contact", "annulé")],
)
def test_the_programme_page_shows_the_contacts_and_a_reported_status(
    seeded, client, tmp_path, language, heading, status
):
    path = tmp_path / "afd-cancelled.xml"
    path.write_text(
        (FILES / "afd.xml")
        .read_text()
        .replace('activity-status code="2"', 'activity-status code="5"')
    )
    importing.apply(importing.plan(path), name=path.name, publish=True)
    record = programme(AFD_SME)
    contact = record.contacts.get()
    assert (contact.organisation, contact.person, contact.email, contact.telephone) == (
        "AFD Dakar",
        "Awa Ndiaye",
        "afddakar@afd.fr",
        "+221 33 849 19 99",
    )
    assert contact.website == "https://www.afd.fr/fr/carte-des-projets"
    assert contact.source == record.dates_source
    with translation.override(language):
        page = html(client.get(record.get_absolute_url()))
    assert f"<h2>{heading}</h2>" in page
    assert "Awa Ndiaye, AFD Dakar" in page
    assert '<a href="mailto:afddakar@afd.fr">afddakar@afd.fr</a>' in page
    assert f'<p class="kind">{status.capitalize()}' in page
    # The list filters by it.
    listed = html(client.get(f"/{language}/programmes/", {"status": "cancelled"}))
    assert record.name_en in listed or record.name_fr in listed


def test_a_contact_that_is_not_valid_is_set_aside_with_a_note(seeded, tmp_path):
    path = tmp_path / "afd-bad-contact.xml"
    path.write_text(
        (FILES / "afd.xml")
        .read_text()
        .replace("afddakar@afd.fr", "not an address")
        .replace("https://www.afd.fr/fr/carte-des-projets</website>", "javascript:1</website>")
    )
    plan = importing.plan(path)
    importing.apply(plan, name=path.name)
    contact = programme(AFD_SME).contacts.get()
    assert (contact.email, contact.website, contact.person) == ("", "", "Awa Ndiaye")
    (item,) = [item for item in plan.activities if item.activity.identifier == AFD_SME]
    assert "Contact email “not an address” set aside: it is not valid." in item.notes
