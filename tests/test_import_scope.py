"""An import touches only what it names: the *Page* column is this site's own address (or
path) of a record of the type imported, and two rows naming the same record are an
error, not two records."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from members.models import Organization
from tests import factories
from tests.helpers import database_rows, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(db):
    """A support organization, a funder and a programme, in Senegal."""
    senegal = factories.CountryFactory(code="SN")
    factories.CountryFactory(code="CI")
    factories.OrganizationFactory(
        slug="optic", name_en="Organisation of ICT professionals", countries=[senegal]
    )
    factories.OrganizationFactory(slug="afdb", kind="funder", name_en="African Development Bank")
    factories.ProgrammeFactory(slug="ptn-diamniadio")


def import_records(*args):
    out = io.StringIO()
    call_command("import_records", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refused(tmp_path, record_type, rows):
    """The command's message for a file of `rows`, once it has written nothing."""
    path = tmp_path / f"{record_type}.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(rows)
    before = database_rows()
    with pytest.raises(CommandError) as error:
        import_records(record_type, path)
    assert database_rows() == before
    return str(error.value)


def test_an_address_on_another_site_renames_nothing(directory, tmp_path):
    message = refused(
        tmp_path,
        "organizations",
        [["Name", "Page"], ["Renamed", "http://evil.example/en/organizations/optic/"]],
    )
    assert (
        "Row 2, column “Page”: “http://evil.example/en/organizations/optic/” is not an "
        "address on this site (http://testserver)." in message
    )
    assert Organization.objects.get(slug="optic").name_en.startswith("Organisation of")


def test_an_sme_import_cannot_turn_a_funder_into_an_sme(directory, tmp_path):
    message = refused(
        tmp_path,
        "smes",
        [["Name", "Summary", "Page"], ["AfDB", "Now an SME.", "/en/organizations/afdb/"]],
    )
    assert (
        "Row 2, column “Page”: “/en/organizations/afdb/” is the page of a record that is not "
        "in this list (SMEs and start-ups)." in message
    )
    assert Organization.objects.get(slug="afdb").kind == "funder"


def test_a_programmes_page_creates_no_organization(directory, tmp_path):
    message = refused(
        tmp_path,
        "organizations",
        [["Name", "Kind", "Page"], ["PTN", "association", "/fr/programmes/ptn-diamniadio/"]],
    )
    assert (
        "Row 2, column “Page”: “/fr/programmes/ptn-diamniadio/” is not the page of a record "
        "of this list (Organizations)." in message
    )
    assert not Organization.objects.filter(slug="ptn-diamniadio").exists()


def test_an_sme_import_cannot_make_an_sme_a_funder(directory, tmp_path):
    Organization.objects.create(kind="sme", slug="pousse", name_en="Pousse", name_fr="Pousse")
    message = refused(
        tmp_path,
        "smes",
        [["Name", "Kind", "Page"], ["Pousse", "funder", "/en/organizations/pousse/"]],
    )
    assert (
        "Row 2, column “Kind”: “funder” would move the record out of this list (SMEs and "
        "start-ups): import it with the list it goes to." in message
    )


@pytest.mark.parametrize(
    "page",
    [
        "http://testserver/en/organizations/optic/",
        "https://testserver:443/en/organizations/optic/",
        "/fr/organisations/optic",
        "/en/organizations/optic/",
        # A file exported before French addresses had French words.
        "http://testserver/fr/organizations/optic/",
    ],
)
def test_this_sites_own_page_in_either_language_names_the_record(directory, tmp_path, page):
    path = tmp_path / "optic.csv"
    path.write_text(f"Phone,Page\n+221 33 000 00 01,{page}\n", encoding="utf-8")
    assert "0 created (drafts), 1 updated" in import_records("organizations", path)
    assert Organization.objects.get(slug="optic").phone == "+221 33 000 00 01"


def test_the_same_new_record_twice_is_an_error_naming_both_rows(directory, tmp_path):
    message = refused(
        tmp_path,
        "organizations",
        [
            ["Name", "Kind", "Country codes"],
            ["Duporg Test", "association", "SN"],
            ["Someone else", "association", "SN"],
            ["Duporg test", "association", "SN"],
        ],
    )
    assert "Row 4, column “Name”: row 2 names the same record: give each record one row." in message
    assert not Organization.objects.filter(slug__startswith="duporg-test").exists()


def test_the_same_page_twice_is_an_error_naming_both_rows(directory, tmp_path):
    message = refused(
        tmp_path,
        "organizations",
        [
            ["Phone", "Page"],
            ["+221 33 000 00 01", "/en/organizations/optic/"],
            ["+221 33 000 00 02", "http://testserver/fr/organisations/optic/"],
        ],
    )
    assert "Row 3, column “Page”: row 2 names the same record" in message


def test_two_records_of_one_name_in_two_countries_are_two_records(directory, tmp_path):
    path = tmp_path / "hubs.csv"
    path.write_text(
        "Name,Kind,Country codes\nHub Test,association,SN\nHub Test,association,CI\n",
        encoding="utf-8",
    )
    assert "2 created" in import_records("organizations", path)
    assert Organization.objects.filter(name_en="Hub Test").count() == 2


def test_smes_export_then_import_leaves_the_data_unchanged(client, directory, tmp_path):
    Organization.objects.create(
        kind="sme",
        slug="pousse",
        name_en="Pousse",
        name_fr="Pousse",
        publication_status="published",
    )
    path = tmp_path / "smes.csv"
    path.write_bytes(client.get(url("members:sme-export", "fr")).getvalue())
    before = database_rows()
    assert "0 created (drafts), 0 updated, 1 unchanged" in import_records("smes", path)
    assert database_rows() == before


@pytest.mark.parametrize(
    ("language", "name", "message"),
    [
        (
            "en",
            "Name",
            "Row 3, column “Name”: row 2 names the same record: give each record one row.",
        ),
        (
            "fr",
            "Nom",
            "Ligne 3, colonne « Nom » : la ligne 2 désigne la même fiche : une seule ligne "
            "par fiche.",
        ),
    ],
)
def test_the_admin_preview_names_both_rows(
    client, directory, django_user_model, tmp_path, monkeypatch, language, name, message
):
    from django.contrib.auth.models import Group

    from ecosystem.opendata import admin_import

    monkeypatch.setattr(admin_import, "WAITING", tmp_path)
    user = django_user_model.objects.create_user("ed", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    client.force_login(user)
    file = io.BytesIO(f"{name}\nPousse\npousse\n".encode())
    file.name = "pousses.csv"
    response = client.post(
        "/admin/import/", {"record_type": "smes", "file": file}, HTTP_ACCEPT_LANGUAGE=language
    )
    page = response.content.decode()
    assert message in page and 'name="confirm"' not in page
