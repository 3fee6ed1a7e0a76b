"""Importing an IATI file in the admin (iati/admin_import.py) as staff live it: a file or
an address, a preview naming what each activity would do and the organizations to
match, then confirm; large files and addresses through jobs; bad files refused with a
message and nothing written. Then the conflicts between staff and a publisher, resolved
either way, and the DAC-sector mapping."""

import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission

from iati import admin_import, importing
from iati.models import Activity, Conflict, KnownOrganization, SectorMapping, SyncSource
from members.models import Organization
from programmes.models import Programme
from tests import factories
from tests.helpers import admin_url, count_queries, edit, html, run_jobs
from tests.test_iati_sync import newer_afd, only_loopback, publisher_site  # noqa: F401  (fixtures)

FILES = Path(__file__).parent / "iati"
PAGE = "/admin/iati/activity/import/"


@pytest.fixture(autouse=True)
def waiting(tmp_path, monkeypatch):
    folder = tmp_path / "ecosystem-imports"
    monkeypatch.setattr(admin_import, "WAITING", folder)
    return folder


def upload(client, name, data=None, language="en", **fields):
    file = io.BytesIO((FILES / name).read_bytes() if data is None else data)
    file.name = name
    return client.post(PAGE, {"file": file, **fields}, HTTP_ACCEPT_LANGUAGE=language)


def confirm(client, language="en", **choices):
    return client.post(PAGE, {"confirm": "1", **choices}, HTTP_ACCEPT_LANGUAGE=language)


def page(client, language="en"):
    return client.get(PAGE, HTTP_ACCEPT_LANGUAGE=language)


def test_a_file_is_previewed_its_organizations_matched_then_imported(seeded, staff_client):
    english = html(upload(staff_client, "afd.xml"))
    assert "Preview of afd.xml" in english
    assert "2 programmes to create, 0 to update, 0 unchanged." in english
    assert "New programmes will arrive as drafts." in english
    assert "Organizations to match" in english
    ministry = "Ministère de la Communication, des Télécommunications et de l’Économie numérique"
    assert f"<h3>{ministry}</h3>" in english
    assert "funder: Agence Française de Développement (AFD)" in english  # found by FR-6
    assert "DAC sectors with no directory sector (kept, listed): 32130" in english
    assert not Programme.objects.filter(iati_identifier__startswith="FR-6-").exists()

    telecom = Organization.objects.get(slug="senegal-ministry-posts-telecom")
    response = confirm(staff_client, **{"org-0": "new", "org-0-other": telecom.pk, "org-1": "new"})

    assert response.status_code == 302
    assert response["Location"] == admin_url(Activity, "changelist")
    assert "Afd.xml imported: 2 created, 0 updated, 0 unchanged." in html(
        staff_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    )
    programme = Programme.objects.get(iati_identifier="FR-6-CSN1234")
    assert programme.publication_status == "draft"
    assert set(programme.roles.values_list("role", "organization__name_en")) == {
        ("funding", "Agence Française de Développement"),
        ("extending", "Agence Française de Développement"),
        ("accountable", telecom.name_en),
        ("implementing", "Agence de développement et d’encadrement des PME"),
    }
    adepme = Organization.objects.get(name_en="Agence de développement et d’encadrement des PME")
    assert adepme.publication_status == "draft"
    # The choices are remembered: the next preview asks nothing, and changes nothing.
    assert KnownOrganization.objects.filter(organization=telecom).exists()
    again = html(upload(staff_client, "afd.xml"))
    assert "0 programmes to create, 0 to update, 2 unchanged." in again
    assert "Organizations to match" not in again


def test_the_preview_speaks_french(seeded, staff_client):
    french = html(upload(staff_client, "afd.xml", language="fr"))
    assert "Aperçu de afd.xml" in french
    assert "2 programmes à créer, 0 à mettre à jour, 0 inchangés." in french
    assert "Organisations à rapprocher" in french
    assert "Créer une organisation en brouillon" in french
    assert "Secteurs CAD sans secteur de l’annuaire (conservés, listés) : 32130" in french


BAD = {
    "not-iati.xml": (b"<html><body>Hello</body></html>", "This is not an IATI activity file"),
    "old.xml": (b'<iati-activities version="1.05"/>', "IATI version 1.05 is not read here"),
    "entities.xml": (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
        b'<iati-activities version="2.03"><iati-activity>&lol;</iati-activity></iati-activities>',
        "The file declares a document type",
    ),
    "broken.xml": (
        b'<iati-activities version="2.03"><iati-activity><iati-identifier>X-1</iati',
        "The file is not well-formed XML",
    ),
    "activities.csv": (b"name\nX\n", "Choose an .xml file."),
}


@pytest.mark.parametrize("name", BAD)
def test_a_bad_file_is_refused_with_a_message_and_nothing_is_written(
    db, staff_client, waiting, name
):
    data, message = BAD[name]
    page = html(upload(staff_client, name, data))
    assert message in page
    assert not Programme.objects.exists()
    assert not Activity.objects.exists()
    assert not waiting.exists() or not any(waiting.iterdir())


def test_the_messages_are_french_too(db, staff_client):
    assert "Choisissez un fichier .xml." in html(upload(staff_client, "a.csv", b"x", language="fr"))
    both = io.BytesIO(b"<iati-activities/>")
    both.name = "a.xml"
    page = html(
        staff_client.post(
            PAGE, {"file": both, "address": "http://127.0.0.1/x.xml"}, HTTP_ACCEPT_LANGUAGE="fr"
        )
    )
    assert "Choisissez un fichier, ou donnez son adresse (pas les deux)." in page


def test_a_file_too_large_for_the_request_is_refused_before_it_is_read(db, staff_client):
    data = b" " * (admin_import.UPLOAD_BYTES + 1)
    page = html(upload(staff_client, "big.xml", data))
    assert "The file is larger than 5.0\xa0MB: give its address instead" in page


def test_a_file_of_many_activities_is_previewed_and_written_by_jobs(
    seeded, staff_client, monkeypatch
):
    monkeypatch.setattr(admin_import, "IN_REQUEST_ACTIVITIES", 1)  # afd.xml has two
    response = upload(staff_client, "afd.xml")
    assert response.status_code == 302
    waiting = html(page(staff_client))
    assert "Preparing the preview." in waiting
    assert "Waiting for a worker to start." in waiting
    assert '<meta http-equiv="refresh" content="3">' in waiting

    run_jobs()
    preview = html(page(staff_client))
    assert "2 programmes to create" in preview
    assert confirm(staff_client, **{"org-0": "new", "org-1": "new"}).status_code == 302
    assert "Importing." in html(page(staff_client))
    assert not Programme.objects.filter(iati_identifier="FR-6-CSN1234").exists()

    run_jobs()
    done = page(staff_client)
    assert done.status_code == 302
    assert "Afd.xml imported: 2 created" in html(
        staff_client.get(done["Location"], HTTP_ACCEPT_LANGUAGE="en")
    )
    assert Programme.objects.filter(iati_identifier="FR-6-CSN1234").exists()


def test_an_address_is_fetched_by_a_job_from_the_allowed_hosts_only(
    seeded,
    staff_client,
    publisher_site,  # noqa: F811  (the fixture)
):
    refused = html(
        staff_client.post(
            PAGE, {"address": "https://example.org/afd.xml"}, HTTP_ACCEPT_LANGUAGE="en"
        )
    )
    assert "is not on a host the directory fetches IATI files from" in refused

    address = f"{publisher_site.url}/eu.xml"
    assert staff_client.post(PAGE, {"address": address}).status_code == 302
    run_jobs()
    preview = html(page(staff_client))
    assert f"Preview of {address}" in preview
    assert "programmes to create" in preview

    publisher_site.files.clear()  # gone from the site: the preview's file waits here
    assert confirm(staff_client).status_code == 302
    run_jobs()
    assert page(staff_client).status_code == 302
    assert Activity.objects.filter(programme__isnull=False).exists()


def test_an_address_that_fails_says_why(
    db,
    staff_client,
    publisher_site,  # noqa: F811  (the fixture)
):
    staff_client.post(
        PAGE, {"address": f"{publisher_site.url}/missing.xml"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    run_jobs()
    response = page(staff_client)
    assert response.status_code == 302
    following = html(staff_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en"))
    assert "answered HTTP 404" in following


def test_staff_without_the_right_to_change_programmes_cannot_import(db, client, django_user_model):
    user = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_activity"))
    client.force_login(user)
    assert client.get(PAGE).status_code == 403
    editor = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    client.force_login(editor)
    form = html(client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en"))
    assert "Publish the new programmes" not in form  # Editors make drafts


def test_conflicts_are_listed_and_resolved_either_way(seeded, staff_client):
    plan = importing.plan(FILES / "afd.xml")
    importing.apply(plan, name="afd.xml")
    programme = Programme.objects.get(iati_identifier="FR-6-CSN1234")
    edit(staff_client, programme, name_en="Staff’s title")
    newer = newer_afd().replace(b"Le programme finance", "Le programme finance désormais".encode())
    edit(staff_client, programme, description_fr="Texte de l’équipe.")

    preview = html(upload(staff_client, "afd-2025.xml", newer))
    assert (
        "staff’s value kept (Staff’s title); the publisher now says Digital SMEs of Senegal "
        "and Mali: a conflict to resolve." in preview
    )
    confirm(staff_client, **{"org-0": "new", "org-1": "new"})
    programme.refresh_from_db()
    assert programme.name_en == "Staff’s title"

    dashboard = html(staff_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "IATI conflicts to resolve</a> (2)" in dashboard
    listed = html(
        staff_client.get(admin_url(Conflict, "changelist") + "?open=yes", HTTP_ACCEPT_LANGUAGE="fr")
    )
    assert "Digital SMEs of Senegal and Mali" in listed
    assert "Prendre les valeurs de l’éditeur" in listed

    title = Conflict.objects.get(field="name_en")
    description = Conflict.objects.get(field="description_fr")
    changelist = admin_url(Conflict, "changelist")
    staff_client.post(changelist, {"action": "take_publisher", "_selected_action": [title.pk]})
    staff_client.post(changelist, {"action": "keep_staff", "_selected_action": [description.pk]})

    programme.refresh_from_db()
    assert programme.name_en == "Digital SMEs of Senegal and Mali"
    assert programme.description_fr == "Texte de l’équipe."
    assert not Conflict.objects.filter(resolved__isnull=True).exists()
    assert "IATI conflicts to resolve" not in html(
        staff_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")
    )


def test_staff_edit_the_sector_mapping_and_the_next_import_uses_it(seeded, staff_client):
    listed = html(
        staff_client.get(admin_url(SectorMapping, "changelist"), HTTP_ACCEPT_LANGUAGE="en")
    )
    assert "22040" in listed
    assert "Information and communication technology (ICT)" in listed  # DAC's name
    assert "Digital technology" in listed
    french = html(
        staff_client.get(admin_url(SectorMapping, "changelist"), HTTP_ACCEPT_LANGUAGE="fr")
    )
    assert "Technologies de l&#x27;information et de la communication (TIC)" in french
    response = staff_client.post(
        admin_url(SectorMapping, "add"), {"code": "32130", "sector_slug": "it-bpo"}
    )
    assert response.status_code == 302
    bad = html(
        staff_client.post(
            admin_url(SectorMapping, "add"),
            {"code": "3213", "sector_slug": "it-bpo"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    )
    assert "A DAC sector code has 3 or 5 digits." in bad
    unknown = html(
        staff_client.post(
            admin_url(SectorMapping, "add"),
            {"code": "99999", "sector_slug": "it-bpo"},
            HTTP_ACCEPT_LANGUAGE="fr",
        )
    )
    assert "99999 n’est pas un code de secteur CAD (5 chiffres) ni une catégorie" in unknown

    preview = html(upload(staff_client, "afd.xml"))
    assert "DAC sectors with no directory sector" not in preview
    assert "digital-technology, it-bpo" in preview


def test_the_dashboard_leads_to_the_import(db, staff_client):
    english = html(staff_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en"))
    assert f'<a href="{PAGE}?new">Import an IATI file</a>' in english
    assert "No source to sync yet." in english
    french = html(staff_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr"))
    assert "Importer un fichier IATI" in french


def without_mali():
    """afd.xml without its second activity (FR-6-CML5678)."""
    lines = (FILES / "afd.xml").read_text(encoding="utf-8").splitlines(keepends=True)
    return "".join(lines[:90] + lines[110:]).encode()


def test_an_activity_gone_from_a_whole_file_is_flagged_never_deleted(seeded, staff_client):
    importing.apply(importing.plan(FILES / "afd.xml"), name="afd.xml")
    # A query's answer, not the whole file: nothing is said gone.
    partial = html(upload(staff_client, "afd-query.xml", without_mali()))
    assert "no longer in the file" not in partial

    preview = html(upload(staff_client, "afd.xml", without_mali(), whole_file="on"))
    assert (
        "1 activity imported before is no longer in the file: it will be flagged, not "
        "deleted. FR-6-CML5678" in preview
    )
    confirm(staff_client)

    gone = Activity.objects.get(identifier="FR-6-CML5678")
    assert gone.gone_since is not None
    assert Programme.objects.filter(iati_identifier="FR-6-CML5678").exists()
    english = html(staff_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Programmes gone from their IATI file</a> (1)" in english
    french = html(staff_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr"))
    assert "Programmes absents de leur fichier IATI</a> (1)" in french
    listed = html(staff_client.get(admin_url(Activity, "changelist") + "?gone=yes"))
    assert "FR-6-CML5678" in listed
    assert "FR-6-CSN1234" not in listed


def imported_rows(count):
    """`count` programmes imported from IATI, each with an open conflict and a source."""
    for _number in range(count):
        programme = factories.ProgrammeFactory()
        activity = Activity.objects.create(
            identifier=f"XM-TEST-{programme.pk}", programme=programme, publisher_name="Test"
        )
        Conflict.objects.create(
            activity=activity, field="name_en", staff_value="Staff", publisher_value="Publisher"
        )
        SyncSource.objects.create(url=f"http://127.0.0.1/{programme.pk}.xml", publisher="Test")


@pytest.mark.parametrize(
    "address",
    [
        "/admin/",
        admin_url(Activity, "changelist"),
        admin_url(Conflict, "changelist"),
        admin_url(SyncSource, "changelist"),
        admin_url(SectorMapping, "changelist"),
    ],
)
def test_the_iati_admin_pages_cost_the_same_queries_for_ten_times_the_rows(
    db, staff_client, address
):
    imported_rows(2)
    few = count_queries(lambda: html(staff_client.get(address)))
    imported_rows(18)
    assert count_queries(lambda: html(staff_client.get(address))) == few
