"""Control and bidirectional characters never reach the records (ecosystem.core.text):
not through the admin, the suggestion form, an import or any save; those stored before
are cleaned by a migration that keeps a version; and what is exported can be written
to a spreadsheet again."""

import csv
import importlib
import io

import pytest
from django.apps import apps
from django.utils import translation
from openpyxl import Workbook

from ecosystem.core.history import reason_label
from ecosystem.core.models import Source
from ecosystem.core.registry import registry
from ecosystem.core.text import clean_text
from ecosystem.opendata.imports import apply, plan
from members.models import Organization
from suggestions.models import Suggestion
from tests import factories
from tests.helpers import admin_url, edit, form_data, url

pytestmark = pytest.mark.django_db

# What the attacker and the word processor sent (issue 20): ESC, VT, SOH, DEL, NEL, and
# a right-to-left override that shows "Evil‮gpj.exe" as "Evilexe.jpg".
DIRTY = "Evil\x1b[31m\x0b\x01\x7f\x85\u202egpj.exe\u2066x\u2069\u200e"


@pytest.mark.parametrize(
    ("value", "one_line", "several_lines"),
    [
        (DIRTY, "Evil[31m gpj.exex", "Evil[31m\n\ngpj.exex"),
        ("Tab\there\r\nand there", "Tab here and there", "Tab\there\r\nand there"),
        ("\x0bName\r\n", "Name", "\nName\r\n"),
        (
            "page\x0cbreak\u2028line\u2029paragraph",
            "page break line paragraph",
            "page\nbreak\nline\nparagraph",
        ),
        ("Sénégal, Côte d’Ivoire — 2026 ✓", "Sénégal, Côte d’Ivoire — 2026 ✓", None),
    ],
)
def test_the_rule(value, one_line, several_lines):
    assert clean_text(value) == one_line
    assert clean_text(value, multiline=True) == (several_lines or one_line)


def test_a_save_stores_clean_text_keeping_line_breaks_where_a_field_has_lines(db):
    organization = factories.OrganizationFactory(
        name_en=DIRTY, description_en="One\x0bTwo\r\nThree\x1b", acronym="\u202eCBA"
    )
    organization.refresh_from_db()
    assert organization.name_en == "Evil[31m gpj.exex"
    assert organization.description_en == "One\nTwo\r\nThree"
    assert organization.acronym == "CBA"
    source = factories.SourceFactory(title="Report\x07 2024\u202e")
    source.refresh_from_db()
    assert source.title == "Report 2024"


def test_the_admin_saves_clean_text(staff_client):
    organization = factories.OrganizationFactory(
        slug="evil", kind="ngo", publication_status="draft"
    )
    edit(staff_client, organization, name_en=DIRTY, description_en="One\x0bTwo")
    organization.refresh_from_db()
    assert (organization.name_en, organization.description_en) == (
        "Evil[31m gpj.exex",
        "One\nTwo",
    )


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "This field is required."), ("fr", "Ce champ est obligatoire.")],
)
def test_a_name_of_nothing_but_control_characters_is_refused_as_empty(
    staff_client, language, message
):
    organization = factories.OrganizationFactory(
        slug="evil", kind="ngo", publication_status="draft"
    )
    page = admin_url(Organization, "change", organization.pk)
    data = {**form_data(staff_client.get(page)), "name_en": "\x1b\u202e\x0b"}
    response = staff_client.post(page, data, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors["name_en"])


SUGGESTION = {
    "record_type": "smes",
    "summary": "Solar dryers.",
    "submitter_name": "Awa\x1b",
    "submitter_email": "awa@example.org",
    "source": "https://example.org/agro",
}


def test_a_suggestion_is_stored_clean(client, db):
    response = client.post(
        "/en/suggest/",
        {**SUGGESTION, "name": f"Agro {DIRTY}", "details": "Line one\x0bline two\u202e"},
    )
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert suggestion.name == "Agro Evil[31m gpj.exex"
    assert suggestion.details == "Line one\nline two"
    assert suggestion.submitter_name == "Awa"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/en/suggest/", "Give the name of the record you propose."),
        ("/fr/proposer/", "Indiquez le nom de la fiche que vous proposez."),
    ],
)
def test_a_suggested_name_of_control_characters_is_no_name(client, db, path, message):
    response = client.post(path, {**SUGGESTION, "name": "\x1b\u202e\x7f"})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "\x1b" not in page and "\u202e" not in page  # nor shown again


def test_an_import_stores_clean_text_on_create_and_on_update(senegal):
    optic = factories.OrganizationFactory(slug="optic", kind="association")
    table = [
        ["Name", "Country codes", "Summary", "Page"],
        [f"New {DIRTY}", "SN", "Dries\x0bmangoes", ""],
        ["", "", "Updated\x1b summary\u202e", "/en/organizations/optic/"],
    ]
    rows = plan(registry["smes"], table[:2])
    assert not [message for row in rows for message in row.errors]
    apply(rows, file_name="dirty\x1b.csv")
    created = Organization.objects.get(name_en__startswith="New ")
    assert (created.name_en, created.summary_en) == ("New Evil[31m gpj.exex", "Dries mangoes")
    assert created.sources.get().title.startswith("dirty.csv")
    rows = plan(registry["organizations"], [table[0], table[2]])
    apply(rows, file_name="dirty.csv")
    optic.refresh_from_db()
    assert optic.summary_en == "Updated summary"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Row 2, column “Name”: This field cannot be blank."),
        ("fr", "Ligne 2, colonne « Name » : Ce champ ne peut pas être vide."),
    ],
)
def test_an_imported_name_of_control_characters_is_a_row_error(db, language, message):
    with translation.override(language):
        rows = plan(registry["smes"], [["Name", "Summary"], ["\x1b\x0b", "Something"]])
        assert message in rows[0].errors


migration = importlib.import_module("ecosystem.migrations.0008_clean_text")


def stored_raw(record, **values):
    """Text stored before it was cleaned (no save, so nothing cleans it)."""
    type(record).objects.filter(pk=record.pk).update(**values)


def test_the_migration_cleans_what_was_stored_and_keeps_a_version(client, senegal):
    organization = factories.OrganizationFactory(
        slug="evil", kind="ngo", countries=[senegal], publication_status="published"
    )
    stored_raw(organization, name_en=DIRTY, description_en="One\x0bTwo")
    source = factories.SourceFactory(slug="raw")
    stored_raw(source, title="Raw\x1b title")
    untouched = factories.OrganizationFactory(slug="clean", kind="ngo")
    versions_before = untouched.history.count()

    migration.clean_existing_text(apps, None)

    organization.refresh_from_db()
    assert (organization.name_en, organization.description_en) == (
        "Evil[31m gpj.exex",
        "One\nTwo",
    )
    assert Source.objects.get(slug="raw").title == "Raw title"
    version = organization.history.first()
    assert version.history_change_reason == "clean-text"
    assert version.name_en == "Evil[31m gpj.exex"
    assert [row.country_id for row in version.countries.all()] == ["SN"]
    with translation.override("en"):
        assert reason_label(version.history_change_reason) == (
            "control or bidirectional characters removed"
        )
    with translation.override("fr"):
        assert reason_label(version.history_change_reason) == (
            "caractères de contrôle ou bidirectionnels retirés"
        )
    assert untouched.history.count() == versions_before


def spreadsheet(response):
    """The CSV export written to an XLSX file, as a person saving it from a spreadsheet."""
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    book = Workbook()
    for row in csv.reader(io.StringIO(content)):
        book.active.append(row)  # openpyxl refuses a control character here
    book.save(io.BytesIO())
    return content


def test_an_export_of_cleaned_records_writes_to_a_spreadsheet(client, senegal):
    organization = factories.OrganizationFactory(
        slug="evil", kind="ngo", countries=[senegal], publication_status="published"
    )
    stored_raw(organization, name_en=DIRTY, summary_en="Summary\x01\x1b")
    migration.clean_existing_text(apps, None)
    content = spreadsheet(client.get(url("members:organization-export", "en")))
    assert "Evil[31m gpj.exex" in content and "\u202e" not in content
