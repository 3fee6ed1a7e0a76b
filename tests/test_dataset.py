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
