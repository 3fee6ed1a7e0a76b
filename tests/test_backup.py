"""Backups and restores lose nothing, on SQLite and on PostgreSQL: every row of every
table comes back with the same values. A restore refuses a database holding data unless
forced, and a bad file or folder is a clear error, never a traceback.

Runs on the database DATABASE_URL names: SQLite by default, PostgreSQL with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/ecosystem."""

import io
import sqlite3
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from ecosystem.project import backups
from members.models import Organization
from tests import factories
from tests.helpers import database_rows

pytestmark = pytest.mark.django_db

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite backups")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL backups (pg_dump, pg_restore)"
)
# pg_dump and pg_restore are other processes: they only see committed data, and a restore
# cannot run inside the test's transaction (on SQLite neither can the backup API's).
committed = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def backup_dir(tmp_path, monkeypatch):
    """Never write into the project's backups/ folder."""
    folder = tmp_path / "backups"
    monkeypatch.setenv("BACKUP_DIR", str(folder))
    return folder


def backup(*args):
    out = io.StringIO()
    call_command("backup", *args, stdout=out, stderr=io.StringIO())
    return Path(out.getvalue().splitlines()[-1]), out.getvalue()


def restore(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("restore", *args, stdout=out, stderr=err)
    return out.getvalue()


def some_data(django_user_model):
    """The real seed data, a staff account and values that are easy to mangle."""
    call_command("seed_ecosystem", verbosity=0)
    django_user_model.objects.create_superuser("aïssatou", "a@example.org", "pw")
    factories.OrganizationFactory(
        slug="quotes",
        name_fr="L'Agence « spéciale »\nsur deux lignes ; DROP TABLE x; --",
        name_en='A "quoted" name \\ with a backslash',
        summary_en="",
        founded=None,
    )


# The round trip


@committed
def test_round_trip_loses_nothing(django_user_model):
    some_data(django_user_model)
    before = database_rows()
    assert before["members_organization"] and before["auth_user"]
    path, _ = backup()

    # Lose, change and add things; the restore must undo all of it.
    Organization.objects.filter(slug="quotes").update(name_en="changed")
    Organization.objects.exclude(slug="quotes").filter(kind="sme").delete()
    django_user_model.objects.create_user("intruder", "i@example.org", "pw")
    assert database_rows() != before

    output = restore(str(path), "--force")

    after = database_rows()
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], table
    assert "Restored" in output
    assert f"organizations: {len(before['members_organization'])}" in output
    # Sequences come back too: a new record gets a fresh id.
    factories.OrganizationFactory(slug="after-restore")


@committed
def test_restore_into_a_freshly_migrated_database_needs_no_force(django_user_model):
    some_data(django_user_model)
    before = database_rows()
    path, _ = backup()
    call_command("flush", interactive=False, verbosity=0)
    assert backups.rows_found(connection) == {}

    restore(str(path))

    assert database_rows() == before


def test_a_freshly_migrated_database_is_empty():
    assert backups.rows_found(connection) == {}


# Refusals


@committed
def test_restore_refuses_a_database_holding_data(django_user_model):
    path, _ = backup()  # of the empty database
    factories.OrganizationFactory(slug="keep-me")
    django_user_model.objects.create_user("someone", "s@example.org", "pw")

    with pytest.raises(CommandError) as refused:
        restore(str(path))

    message = str(refused.value)
    assert "not empty" in message
    assert "1 row in members_organization" in message
    assert "1 row in auth_user" in message
    assert "--force" in message and "FORCE=1" in message
    assert Organization.objects.filter(slug="keep-me").exists()


@committed
def test_a_user_alone_makes_the_database_non_empty(django_user_model):
    django_user_model.objects.create_user("someone", "s@example.org", "pw")
    assert backups.rows_found(connection) == {"auth_user": 1}


def test_restore_refuses_to_run_inside_a_transaction(tmp_path):
    path, _ = backup()
    with pytest.raises(CommandError, match="inside a transaction"), transaction.atomic():
        restore(str(path), "--force")


@pytest.mark.parametrize(
    "content, error",
    [
        (None, "does not exist"),
        (b"", "is not a backup"),
        (b"name,value\nOPTIC,1\n", "is not a backup"),
    ],
)
def test_a_bad_file_is_a_clear_error(tmp_path, content, error):
    path = tmp_path / "ecosystem-20260101-000000.dump"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError, match=error):
        restore(str(path), "--force")


def test_a_folder_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match="is not a file"):
        restore(str(tmp_path), "--force")


@on_sqlite
def test_a_postgresql_dump_on_sqlite_is_refused(tmp_path):
    path = tmp_path / "ecosystem-20260101-000000.dump"
    path.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(64))
    with pytest.raises(CommandError, match="is a PostgreSQL backup and the database is SQLite"):
        restore(str(path), "--force")


@on_sqlite
def test_an_sqlite_database_of_another_application_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE notes (text TEXT)")
    other.commit()
    other.close()
    with pytest.raises(CommandError, match="not a backup of this site"):
        restore(str(path), "--force")


@on_postgresql
def test_an_sqlite_backup_on_postgresql_is_refused(tmp_path):
    path = tmp_path / "ecosystem-20260101-000000.sqlite3"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE django_migrations (id INTEGER)")
    other.commit()
    other.close()
    with pytest.raises(CommandError, match="is an SQLite backup and the database is PostgreSQL"):
        restore(str(path), "--force")


@on_postgresql
def test_missing_pg_dump_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError, match="pg_dump is not installed"):
        backup()


@on_postgresql
def test_a_failed_pg_dump_says_why_and_leaves_no_file(monkeypatch, tmp_path, backup_dir):
    # A stand-in pg_dump that records how it was called, writes half a file and fails.
    tools = tmp_path / "bin"
    tools.mkdir()
    fake = tools / "pg_dump"
    fake.write_text(
        "#!/bin/sh\n"
        f'echo "$@" > {tmp_path}/arguments\n'
        f'echo "$PGPASSWORD" > {tmp_path}/password\n'
        'for a; do [ "$prev" = --file ] && echo partial > "$a"; prev=$a; done\n'
        'echo "pg_dump: error: connection refused" >&2\n'
        "exit 1\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tools))
    monkeypatch.setitem(connection.settings_dict, "PASSWORD", "s3cret")

    with pytest.raises(CommandError, match="pg_dump failed .*connection refused"):
        backup()

    assert list(backup_dir.iterdir()) == []
    assert "s3cret" not in (tmp_path / "arguments").read_text()
    assert (tmp_path / "password").read_text().strip() == "s3cret"


# Where backups go


@committed
def test_the_last_line_is_the_backup_s_absolute_path(backup_dir):
    path, output = backup()
    assert path.is_absolute()
    assert path.is_file()
    assert path.parent == backup_dir
    assert path.name.startswith("ecosystem-")
    assert path.stat().st_mode & 0o777 == 0o600  # it holds the staff's password hashes
    assert [p.name for p in backup_dir.iterdir()] == [path.name]  # no partial file left
    assert len(output.splitlines()) == 2  # what was backed up, then the path


def test_verbosity_0_prints_only_the_path():
    out = io.StringIO()
    call_command("backup", verbosity=0, stdout=out)
    assert len(out.getvalue().splitlines()) == 1
    assert Path(out.getvalue().strip()).is_file()


@on_sqlite
def test_sqlite_backup_is_an_sqlite_database(backup_dir):
    path, _ = backup()
    assert path.suffix == ".sqlite3"
    copy = sqlite3.connect(path)
    tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
    copy.close()
    assert {"django_migrations", "members_organization", "auth_user"} <= tables


@on_postgresql
@committed
def test_postgresql_backup_is_a_custom_format_dump(backup_dir):
    path, _ = backup()
    assert path.suffix == ".dump"
    assert path.read_bytes().startswith(b"PGDMP")


def test_backup_dir_is_honoured_and_created(tmp_path, monkeypatch):
    folder = tmp_path / "elsewhere" / "nested"
    monkeypatch.setenv("BACKUP_DIR", str(folder))
    path, _ = backup()
    assert path.parent == folder
    assert path.is_file()


def test_dir_option_wins_over_backup_dir(tmp_path, backup_dir):
    path, _ = backup("--dir", str(tmp_path / "chosen"))
    assert path.parent == tmp_path / "chosen"
    assert not backup_dir.exists()


def test_default_folder_is_backups_in_the_project(monkeypatch):
    monkeypatch.delenv("BACKUP_DIR")
    assert backups.backup_dir() == Path(settings.BASE_DIR) / "backups"


def test_an_unusable_folder_is_a_clear_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(CommandError, match="Cannot create the backup folder"):
        backup("--dir", str(blocker / "backups"))


def test_two_backups_in_one_second_get_two_names(tmp_path):
    first = backups.backup_path(tmp_path, "sqlite")
    first.touch()
    second = backups.backup_path(tmp_path, "sqlite")
    assert second != first
    assert second.name.startswith(first.stem)


def test_names_are_timestamped(tmp_path):
    from datetime import UTC, datetime

    moment = datetime(2026, 11, 30, 17, 45, 1, tzinfo=UTC)  # Dakar is on UTC
    assert backups.backup_path(tmp_path, "postgresql", moment).name == (
        "ecosystem-20261130-174501.dump"
    )
    assert backups.backup_path(tmp_path, "sqlite", moment).name == (
        "ecosystem-20261130-174501.sqlite3"
    )


def test_the_password_never_reaches_the_command_line():
    arguments, env = backups.pg_invocation(
        {
            "NAME": "ecosystem",
            "USER": "ecosystem",
            "PASSWORD": "s3cret",
            "HOST": "db",
            "PORT": 5432,
            "OPTIONS": {"sslmode": "require"},
        }
    )
    assert "s3cret" not in " ".join(arguments)
    assert env["PGPASSWORD"] == "s3cret"
    assert env["PGSSLMODE"] == "require"
    assert arguments == [
        "--host",
        "db",
        "--port",
        "5432",
        "--username",
        "ecosystem",
        "--no-password",
        "--dbname",
        "ecosystem",
    ]
