"""The French catalogue is complete, and what French visitors read is what it says.

A fresh clone needs no gettext: the compiled catalogue is committed. These tests need the
gettext tools, so they are skipped without them, unless GETTEXT_REQUIRED=1 (CI) makes them
mandatory."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = Path("locale/fr/LC_MESSAGES")
# What makemessages reads: the code and templates, not the virtualenv, tests or benchmarks.
NOT_SOURCE = shutil.ignore_patterns(
    ".*",
    "__pycache__",
    "tests",
    "bench",
    "static",
    "staticfiles",
    "artifacts",
    "backups",
    "media",
    "*.sqlite3",
)


@pytest.fixture(scope="module")
def tools():
    missing = [tool for tool in ("xgettext", "msgfmt", "msgattrib") if not shutil.which(tool)]
    if missing:
        reason = f"gettext tools missing: {', '.join(missing)}"
        if os.environ.get("GETTEXT_REQUIRED") == "1":
            pytest.fail(f"{reason}, but GETTEXT_REQUIRED=1 makes these tests mandatory.")
        pytest.skip(reason)


def entries(catalogue, *selection):
    """The msgids msgattrib selects (--untranslated, --only-fuzzy...), header left out."""
    found = subprocess.run(
        ["msgattrib", *selection, "--no-wrap", str(catalogue)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    ids = [line[len('msgid "') : -1] for line in found.splitlines() if line.startswith("msgid ")]
    return [msgid for msgid in ids if msgid]


@pytest.fixture(scope="module")
def extracted(tools, tmp_path_factory):
    """The catalogue as makemessages would update it from today's code, in a copy of the
    project: a string marked for translation and missing from the catalogue shows up here
    untranslated."""
    copy = tmp_path_factory.mktemp("project") / "project"
    shutil.copytree(ROOT, copy, ignore=NOT_SOURCE)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "fr", "--no-obsolete"],
        cwd=copy,
        env={**os.environ, "DEBUG": "1"},
        capture_output=True,
        check=True,
    )
    return copy / MESSAGES / "django.po"


def test_every_string_of_the_code_has_its_french_text(extracted):
    assert entries(extracted, "--untranslated") == []
    assert entries(extracted, "--only-fuzzy") == []


def test_the_catalogue_holds_no_string_the_code_no_longer_uses(extracted):
    committed = set(entries(ROOT / MESSAGES / "django.po", "--translated"))
    assert committed - set(entries(extracted, "--translated")) == set()


def test_the_compiled_catalogue_says_what_the_catalogue_says(tools, tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check", "-o", str(compiled), str(ROOT / MESSAGES / "django.po")],
        check=True,
    )
    with compiled.open("rb") as fresh, (ROOT / MESSAGES / "django.mo").open("rb") as committed:
        assert (
            gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(fresh)._catalog
        )
