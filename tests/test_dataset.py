import csv
import json

import pytest
from django.core.management import CommandError, call_command

from ecosystem.core.registry import registry

pytestmark = pytest.mark.django_db


def test_export_dataset_writes_csv_json_and_a_readme(world, tmp_path, capsys):
    call_command("export_dataset", tmp_path, "--base-url", "https://annuaire.example.org/")
    # A file per format and record type, with the links and the readme: as many as it says.
    written = {path.name for path in tmp_path.iterdir()}
    assert f"Wrote {len(written)} files" in capsys.readouterr().out
    assert {f"{t.key}.{ext}" for t in registry for ext in ("csv", "json")} <= written
    programmes = json.loads((tmp_path / "programmes.json").read_text())
    assert {p["slug"] for p in programmes} == {
        "agri-senegal",
        "agri-senegal-2",
        "digital-mali",
        "digital-sahel",
    }
    assert programmes[0]["url"].startswith("https://annuaire.example.org/en/programmes/")
    with open(tmp_path / "events.csv", encoding="utf-8-sig", newline="") as handle:
        events = list(csv.DictReader(handle))
    assert len(events) == 3 and "Roles" in events[0]
    with open(tmp_path / "countries.csv", encoding="utf-8-sig", newline="") as handle:
        assert {row["code"] for row in csv.DictReader(handle)} == {"SN", "ML", "BF", "CI"}
    readme = (tmp_path / "README.md").read_text()
    assert "CC BY 4.0" in readme
    assert "| `programmes.json` | 4 |" in readme
    assert "`budget_amount`" in readme


def test_export_dataset_refuses_a_file_as_directory(tmp_path, db):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(CommandError, match="not a directory"):
        call_command("export_dataset", target, verbosity=0)


@pytest.fixture
def built(world, tmp_path, settings):
    """The dataset as the nightly job publishes it."""
    from ecosystem.opendata.housekeeping import publish_dataset

    settings.DATASET_DIR = tmp_path / "dataset"
    publish_dataset(settings.DATASET_DIR, "https://example.org")
    return settings.DATASET_DIR


def test_visitors_download_the_dataset_the_nightly_job_built(client, built):
    readme = client.get("/dataset/")
    assert readme.status_code == 200
    assert readme["Content-Type"] == "text/plain; charset=utf-8"
    assert "`programmes.csv`" in b"".join(readme.streaming_content).decode()
    programmes = client.get("/dataset/programmes.csv")
    assert programmes["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(b"".join(programmes.streaming_content).decode("utf-8-sig").splitlines()))
    assert rows[0][0] == "Name" and "Digital Mali" in {row[0] for row in rows[1:]}
    assert json.loads(b"".join(client.get("/dataset/sectors.json").streaming_content))
    # A copy already held is not sent again.
    again = client.get(
        "/dataset/programmes.csv", HTTP_IF_MODIFIED_SINCE=programmes["Last-Modified"]
    )
    assert again.status_code == 304


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "The open dataset has not been built yet"),
        ("fr", "Le jeu de données ouvertes n’a pas encore été construit"),
    ],
)
def test_before_its_first_build_it_says_so(client, db, tmp_path, settings, language, words):
    settings.DATASET_DIR = tmp_path / "none"
    response = client.get("/dataset/programmes.csv", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    assert words in response.content.decode()


@pytest.mark.parametrize("name", ["../manage.py", "%2e%2e/manage.py", "README.txt", "x.csv.py"])
def test_it_serves_nothing_but_its_files(client, built, name):
    assert client.get(f"/dataset/{name}").status_code == 404


def test_the_footer_links_to_it(client, seeded):
    assert 'href="/dataset/"' in client.get("/en/").content.decode()
