"""Import what you export: a spreadsheet with the list's CSV columns, previewed, then
written all at once or not at all, new records as drafts citing the file."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from ecosystem.core.registry import registry
from members.models import Organization
from tests.helpers import database_rows, html, url

pytestmark = pytest.mark.django_db


def write_csv(path, rows):
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        csv.writer(file).writerows(rows)
    return path


def import_records(*args):
    out = io.StringIO()
    call_command("import_records", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


HEADER = ["Name", "Kind", "Headquarters city", "Country codes", "Sectors", "Summary", "Phone"]


def test_500_smes_import_as_drafts_and_appear_once_published(client, seeded, tmp_path):
    rows = [
        [
            f"Start-up {n}",
            "",
            "Dakar",
            "SN",
            "Agritech",
            f"Start-up number {n}.",
            "+221 77 000 00 00",
        ]
        for n in range(500)
    ]
    path = write_csv(tmp_path / "ntf-v-startups.csv", [HEADER, *rows])
    preview = import_records("smes", path, "--dry-run")
    assert "500 created" in preview and not Organization.objects.smes().exists()
    assert "500 created (drafts)" in import_records("smes", path)
    smes = Organization.objects.smes()
    assert smes.count() == 500 and not smes.published().exists()
    assert set(smes.values_list("countries__code", flat=True)) == {"SN"}
    start_up = smes.get(slug="start-up-7")
    assert start_up.sources.get().document == "ntf-v-startups.csv"
    version = start_up.history.get()  # one version, its links included
    assert (version.history_type, version.history_change_reason) == (
        "+",
        "import ntf-v-startups.csv",
    )
    assert [row.country_id for row in version.countries.all()] == ["SN"]
    assert version.sources.count() == 1
    assert "start-up-7" not in html(client.get("/en/smes/"))
    smes.update(publication_status="published")
    assert client.get("/en/organizations/start-up-7/").status_code == 200


def test_one_bad_row_writes_nothing_and_names_the_row_and_the_column(seeded, tmp_path):
    before = database_rows()
    path = write_csv(
        tmp_path / "smes.csv",
        [
            HEADER,
            ["Good one", "", "Dakar", "SN", "Agritech", "", ""],
            ["Bad phone", "", "Dakar", "SN", "Agritech", "", "33 869"],
            ["Bad country", "", "Dakar", "Atlantis", "", "", ""],
        ],
    )
    with pytest.raises(CommandError) as error:
        import_records("smes", path)
    message = str(error.value)
    assert "Row 3, column “Phone”: Write the number in international form" in message
    assert "Row 4, column “Country codes”: no country “Atlantis”" in message
    assert database_rows() == before


@pytest.mark.parametrize("language", ["en", "fr"])
def test_export_then_import_leaves_the_data_unchanged(client, seeded, tmp_path, language):
    for key in ("organizations", "programmes", "events", "series"):
        response = client.get(url(registry[key].export_url, language))
        path = tmp_path / f"{key}.csv"
        path.write_bytes(response.getvalue())
        before = database_rows()
        assert "0 created (drafts), 0 updated" in import_records(key, path)
        assert database_rows() == before, key


def test_an_existing_record_changes_only_where_the_file_says(seeded, tmp_path):
    path = write_csv(
        tmp_path / "optic.csv",
        [
            ["Nom", "Téléphone", "Résumé", "Page"],
            ["", "+221 33 000 00 00", "", "/fr/organisations/optic/"],
        ],
    )
    import_records("organizations", path)
    optic = Organization.objects.get(slug="optic")
    assert optic.phone == "+221 33 000 00 00"
    assert optic.summary_en and optic.name_fr.startswith("Organisation des Professionnels")
    assert optic.publication_status == "published"  # an update publishes nothing new


def test_an_xlsx_file_imports_like_a_csv(seeded, tmp_path):
    book = Workbook()
    book.active.append(["Nom", "Pays", "Secteurs"])
    book.active.append(["Jeune pousse", "Sénégal", "Agritech"])
    book.save(tmp_path / "pme.xlsx")
    assert "1 created" in import_records("smes", tmp_path / "pme.xlsx")
    record = Organization.objects.get(slug="jeune-pousse")
    assert (record.name_fr, record.name_en, record.kind) == ("Jeune pousse", "Jeune pousse", "sme")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty"),
        (b"Colour,Name\nred,x\n", "Unknown columns: \u201cColour\u201d"),
        (b"Summary\nx\n", "needs a \u201cName\u201d column"),
        ("Name\nCafé\n".encode("latin-1"), "UTF-8"),
        # An export a fault cut short says so on its last line, in either language.
        (
            b"Name\nAgro\nExport interrupted: this file is incomplete. Please download it again.\n",
            "Row 3 says the export was cut short",
        ),
        (
            "Nom\nAgro\nExport interrompu : ce fichier est incomplet. "
            "Veuillez le télécharger à nouveau.\n".encode(),
            "Row 3 says the export was cut short",
        ),
    ],
)
def test_a_file_that_cannot_be_read_says_why(db, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        import_records("smes", path)


def test_script_in_an_imported_field_comes_out_escaped(client, seeded, tmp_path):
    path = write_csv(
        tmp_path / "x.csv", [["Name", "Summary"], ["<script>alert(1)</script>", "<b>bold</b>"]]
    )
    import_records("smes", path, "--publish")
    record = Organization.objects.get(name_en="<script>alert(1)</script>")
    page = html(client.get(f"/en/organizations/{record.slug}/"))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_publisher_previews_then_confirms_an_import_in_the_admin(
    client, seeded, tmp_path, django_user_model
):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("pub", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Publisher"))
    client.force_login(user)
    assert 'href="/admin/import/"' in html(client.get("/admin/"))
    rows = [HEADER, *[[f"Pousse {n}", "", "Dakar", "SN", "Agritech", "", ""] for n in range(20)]]
    path = write_csv(tmp_path / "pousses.csv", rows)
    with path.open("rb") as file:
        page = html(
            client.post("/admin/import/", {"record_type": "smes", "file": file, "publish": "on"})
        )
    assert "Pousse 7" in page and 'name="confirm"' in page
    assert not Organization.objects.filter(name_en__startswith="Pousse").exists()
    response = client.post("/admin/import/", {"confirm": "1"})
    assert response.status_code == 302
    assert Organization.objects.published().filter(name_en__startswith="Pousse").count() == 20


def test_an_admin_import_with_a_bad_row_shows_it_and_offers_no_confirmation(
    client, seeded, tmp_path, django_user_model
):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("ed", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    client.force_login(user)
    path = write_csv(tmp_path / "bad.csv", [HEADER, ["X", "", "", "Atlantis", "", "", ""]])
    with path.open("rb") as file:
        page = html(client.post("/admin/import/", {"record_type": "smes", "file": file}))
    assert "Atlantis" in page and 'name="confirm"' not in page
    assert 'name="publish"' not in html(client.get("/admin/import/"))  # an Editor's form


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://evil.example")', "+1+1", "-2", "@SUM(A1)"])
def test_csv_cells_never_run_as_formulas_and_import_back_unchanged(
    client, seeded, tmp_path, payload
):
    organization = Organization.objects.get(slug="optic")
    organization.acronym = payload
    organization.save()
    exported = client.get("/en/organizations/export.csv").getvalue().decode("utf-8-sig")
    cells = [
        row[1] for row in csv.reader(io.StringIO(exported)) if row[0].startswith("Organisation of")
    ]
    assert cells == ["'" + payload]
    path = tmp_path / "organizations.csv"
    path.write_text(exported, encoding="utf-8-sig")
    import_records("organizations", path)
    organization.refresh_from_db()
    assert organization.acronym == payload
    optic_phone = "+221 33 000 00 00"
    Organization.objects.filter(slug="optic").update(phone=optic_phone)
    exported = client.get("/en/organizations/export.csv").getvalue().decode("utf-8-sig")
    assert "'+221 33 000 00 00" in exported


@pytest.mark.parametrize(
    ("language", "label", "other_label"), [("en", "Summary", "Résumé"), ("fr", "Résumé", "Summary")]
)
def test_the_admin_preview_shows_each_changed_cell_as_the_export_labels_it_old_and_new(
    staff_client, seeded, tmp_path, language, label, other_label
):
    from django.utils import translation
    from django.utils.html import escape

    optic = Organization.objects.get(slug="optic")
    with translation.override(language):
        page_address = optic.get_absolute_url()
        old = optic.summary
        # The export's own header for the column, in the file's language.
        exported = staff_client.get(reverse("members:organization-export") + "?q=optic")
        header = exported.getvalue().decode("utf-8-sig").splitlines()[0]
    assert f",{label}," in header
    new = "Association of Senegal’s digital companies, new wording."
    path = write_csv(tmp_path / "optic.csv", [[label, "Page"], [new, page_address]])
    with path.open("rb") as file:
        page = html(
            staff_client.post("/admin/import/", {"record_type": "organizations", "file": file})
        )
    assert "0 to create, 1 to update" in page or "0 à créer, 1 à mettre à jour" in page
    changes = page[page.index("<tbody>") : page.index("</tbody>")]
    assert f"{label}" in changes and other_label not in changes
    assert "summary_" not in changes  # no internal column name
    assert escape(old) in changes and escape(new) in changes
    assert changes.index(escape(old)) < changes.index("→") < changes.index(escape(new))
    assert Organization.objects.get(slug="optic").summary_en == optic.summary_en  # not yet


def test_the_admin_preview_shows_changed_countries_old_and_new(staff_client, seeded, tmp_path):
    from django.utils import translation

    with translation.override("en"):
        page_address = Organization.objects.get(slug="optic").get_absolute_url()
    path = write_csv(tmp_path / "optic.csv", [["Country codes", "Page"], ["SN; ML", page_address]])
    with path.open("rb") as file:
        page = html(
            staff_client.post("/admin/import/", {"record_type": "organizations", "file": file})
        )
    changes = page[page.index("<tbody>") : page.index("</tbody>")]
    assert "<del>SN</del> → <ins>SN; ML</ins>" in changes
    assert "countries" not in changes


def test_a_write_that_fails_halfway_leaves_nothing(db, tmp_path, monkeypatch):
    """The rows are written, then the database fails (here: an error after the batch):
    the import is all or nothing, its history and links included."""
    from ecosystem.opendata import imports

    written = imports.create_batch

    def fails_after_writing(*args, **kwargs):
        written(*args, **kwargs)
        assert Organization.objects.filter(slug="half-way-1").exists()  # it was written
        raise RuntimeError("the database went away")

    monkeypatch.setattr(imports, "create_batch", fails_after_writing)
    rows = [[f"Half way {n}", "", "Dakar", "", "", "An SME.", ""] for n in (1, 2)]
    path = write_csv(tmp_path / "half-way.csv", [HEADER, *rows])
    before = database_rows()
    with pytest.raises(RuntimeError):
        import_records("smes", path)
    assert database_rows() == before
