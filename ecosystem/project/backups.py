"""Backups and restores of the default database, on SQLite and on PostgreSQL.

A backup is one file in the backup folder (``backups/`` in the project, or ``$BACKUP_DIR``)
named ``ecosystem-YYYYMMDD-HHMMSS`` plus the engine's extension:

- PostgreSQL: ``.dump``, made by ``pg_dump --format=custom`` and restored by
  ``pg_restore --clean --if-exists --no-owner --single-transaction``. The password goes to
  the client tools through ``PGPASSWORD``, never on their command line.
- SQLite: ``.sqlite3``, a plain SQLite database copied with SQLite's online backup API
  (consistent even while the site writes), and copied back the same way on restore,
  which replaces the whole database.

A restore refuses a database that holds data (:func:`rows_found`) unless forced: a
freshly migrated database is empty, one with any directory record, history row or user
is not. The management commands ``backup`` and ``restore`` are thin wrappers; every
failure here is a :class:`BackupError` with a message meant for the operator.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from ecosystem.core.registry import registry

PREFIX = "ecosystem-"
EXTENSIONS = {"postgresql": ".dump", "sqlite": ".sqlite3"}
ENGINE_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
USER_TABLE = "auth_user"
# How each kind of file starts.
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
# Connection options (from DATABASE_URL's query string) the PostgreSQL tools read from
# the environment.
PG_OPTION_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason in words."""


def engine(connection) -> str:
    """'postgresql' or 'sqlite'; anything else is not supported."""
    if connection.vendor not in EXTENSIONS:
        raise BackupError(
            f"Backups support SQLite and PostgreSQL, not {connection.vendor} "
            f"({connection.settings_dict['ENGINE']})."
        )
    return connection.vendor


def backup_dir(explicit: Path | str | None = None) -> Path:
    """The folder for backups: the one given, else $BACKUP_DIR, else backups/ in the project."""
    chosen = explicit or os.environ.get("BACKUP_DIR") or Path(settings.BASE_DIR) / "backups"
    return Path(chosen).expanduser().absolute()


def backup_path(directory: Path, vendor: str, now=None) -> Path:
    """A new file name in the folder, ecosystem-YYYYMMDD-HHMMSS.<ext>, never an existing one."""
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
    extension = EXTENSIONS[vendor]
    path = directory / f"{PREFIX}{stamp}{extension}"
    number = 1
    while path.exists():  # two backups within one second
        number += 1
        path = directory / f"{PREFIX}{stamp}-{number}{extension}"
    return path


def database_label(connection) -> str:
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "postgresql":
        host = connection.settings_dict.get("HOST") or "local socket"
        return f"PostgreSQL database {name} on {host}"
    return f"SQLite database {name}"


# What the database holds


def project_tables(connection) -> list[str]:
    """The existing tables of the project's apps (history tables included) and auth_user."""
    existing = set(connection.introspection.table_names())
    tables = {USER_TABLE}
    # The core and the apps that bring record types: a row in any of their tables
    # (history included) or a user means the database is in use.
    for label in ["ecosystem", *registry.app_names()]:
        config = apps.get_app_config(label)
        tables.update(
            model._meta.db_table for model in config.get_models(include_auto_created=True)
        )
        # Tables of models not loaded (yet) still belong to the app.
        tables.update(name for name in existing if name.startswith(f"{label}_"))
    return sorted(tables & existing)


def count_rows(connection, tables) -> dict[str, int]:
    quote = connection.ops.quote_name
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def rows_found(connection) -> dict[str, int]:
    """The project tables that hold rows, with their counts; empty for an empty database."""
    return {
        table: count
        for table, count in count_rows(connection, project_tables(connection)).items()
        if count
    }


def describe_rows(found: dict[str, int], limit: int = 6) -> str:
    """'12 rows in members_organization, 3 rows in auth_user and 2 more tables', history
    tables last."""
    ranked = sorted(found.items(), key=lambda item: ("historical" in item[0], -item[1], item[0]))
    parts = [f"{count} row{'s' if count != 1 else ''} in {table}" for table, count in ranked]
    if len(parts) > limit:
        parts = [*parts[:limit], f"{len(parts) - limit} more tables"]
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]


def summary(connection) -> dict[str, int]:
    """Rows in the main tables, and in all the project's tables."""
    counts = count_rows(connection, project_tables(connection))
    main = {
        # A table once, under the type whose pages show its records (organizations hold
        # the SMEs).
        **{t.key: t.model._meta.db_table for t in registry if t.has_pages},
        "sources": "ecosystem_source",
        "users": USER_TABLE,
    }
    result = {label: counts[table] for label, table in main.items() if table in counts}
    result["rows in all project tables"] = sum(counts.values())
    return result


# Files


def file_kind(path: Path) -> str:
    """'postgresql' or 'sqlite' from the file's first bytes."""
    if not path.exists():
        raise BackupError(f"{path} does not exist.")
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise BackupError(f"Cannot read {path}: {error}") from error
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_CUSTOM_MAGIC):
        return "postgresql"
    raise BackupError(
        f"{path} is not a backup: neither a PostgreSQL custom-format dump (pg_dump "
        "--format=custom) nor an SQLite database."
    )


def check_restorable(path: Path, vendor: str) -> None:
    """Refuse a missing file, a file of the other engine's kind, or a foreign database."""
    kind = file_kind(path)
    if kind != vendor:
        raise BackupError(
            f"{path} is a{'n' if kind == 'sqlite' else ''} {ENGINE_NAMES[kind]} backup and "
            f"the database is {ENGINE_NAMES[vendor]}: restore it on {ENGINE_NAMES[kind]} "
            f"(set DATABASE_URL), or use a {EXTENSIONS[vendor]} backup."
        )
    if kind == "sqlite":
        try:
            source = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
            try:
                names = {
                    row[0]
                    for row in source.execute("SELECT name FROM sqlite_master WHERE type='table'")
                }
            finally:
                source.close()
        except sqlite3.Error as error:
            raise BackupError(f"{path} is not a readable SQLite database: {error}") from error
        if "django_migrations" not in names:
            raise BackupError(f"{path} is an SQLite database but not a backup of this site.")


def _write_atomically(path: Path, write) -> None:
    """Write to a hidden temporary name and rename, so a failed backup leaves no file that
    looks like a backup. Readable by the owner only: it holds the staff's password hashes."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        write(partial)
        partial.chmod(0o600)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def prepare_dir(directory: Path) -> None:
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(f"Cannot create the backup folder {directory}: {error}") from error
    if not os.access(directory, os.W_OK | os.X_OK):
        raise BackupError(f"The backup folder {directory} is not writable.")


# PostgreSQL


def pg_invocation(settings_dict) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore and the environment carrying the
    password and TLS options (never the command line, where `ps` shows it)."""
    arguments = []
    if settings_dict.get("HOST"):
        arguments += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        arguments += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        arguments += ["--username", str(settings_dict["USER"])]
    arguments += ["--no-password", "--dbname", str(settings_dict["NAME"])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    for option, variable in PG_OPTION_ENV.items():
        value = (settings_dict.get("OPTIONS") or {}).get(option)
        if value not in (None, ""):
            env[variable] = str(value)
    return arguments, env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} is not installed or not on PATH: install the PostgreSQL client tools "
            "of the server's major version (Debian: apt-get install postgresql-client)."
        )
    return found


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except OSError as error:
        raise BackupError(f"Cannot run {command[0]}: {error}") from error
    if result.returncode != 0:
        message = result.stderr.strip() or result.stdout.strip() or "no message"
        raise BackupError(f"{what} failed (exit status {result.returncode}): {message}")


def pg_dump(connection, path: Path) -> None:
    tool = _pg_tool("pg_dump")
    arguments, env = pg_invocation(connection.settings_dict)

    def write(target):
        _run([tool, "--format=custom", "--file", str(target), *arguments], env, "pg_dump")

    _write_atomically(path, write)


def pg_restore(connection, path: Path) -> None:
    tool = _pg_tool("pg_restore")
    arguments, env = pg_invocation(connection.settings_dict)
    # pg_restore works in its own session: this one must hold no lock it would wait for.
    connection.close()
    command = [
        tool,
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--exit-on-error",
        *arguments,
        str(path),
    ]
    _run(command, env, "pg_restore")


# SQLite


def _live_sqlite(connection) -> sqlite3.Connection:
    """The live sqlite3 connection (also that of an in-memory test database)."""
    connection.ensure_connection()
    return connection.connection


def sqlite_dump(connection, path: Path) -> None:
    source = _live_sqlite(connection)

    def write(target_path):
        target = sqlite3.connect(target_path)
        try:
            source.backup(target)
        finally:
            target.close()

    try:
        _write_atomically(path, write)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite backup failed: {error}") from error


def sqlite_restore(connection, path: Path) -> None:
    target = _live_sqlite(connection)
    source = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        source.backup(target)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite restore failed: {error}") from error
    finally:
        source.close()


# The two operations


def backup(connection, directory: Path) -> Path:
    """Dump the database into a new file in the folder; returns the file's absolute path."""
    vendor = engine(connection)
    prepare_dir(directory)
    path = backup_path(directory, vendor)
    try:
        if vendor == "postgresql":
            pg_dump(connection, path)
        else:
            sqlite_dump(connection, path)
    except OSError as error:
        raise BackupError(f"Cannot write {path}: {error}") from error
    return path


def restore(connection, path: Path, force: bool = False) -> None:
    """Replace the database's content with the backup's; refuses a database holding data
    unless forced."""
    vendor = engine(connection)
    path = Path(path).expanduser().absolute()
    check_restorable(path, vendor)
    if connection.in_atomic_block:
        raise BackupError("Cannot restore inside a transaction.")
    if not force:
        found = rows_found(connection)
        if found:
            raise BackupError(
                f"The {database_label(connection)} is not empty: {describe_rows(found)}. "
                "Restoring replaces all of it. To do so anyway, pass --force "
                "(make restore FILE=... FORCE=1)."
            )
    if vendor == "postgresql":
        pg_restore(connection, path)
    else:
        sqlite_restore(connection, path)


def migration_state(connection) -> str:
    """A warning when the restored database and the code disagree on migrations, else ''."""
    executor = MigrationExecutor(connection)
    unknown = set(executor.loader.applied_migrations) - set(executor.loader.graph.nodes)
    if unknown:
        return (
            f"The backup has {len(unknown)} migration(s) this code does not know "
            "(made by a newer version of the site?)."
        )
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        return (
            f"The backup predates {len(pending)} migration(s) of this code: "
            "run `manage.py migrate`."
        )
    return ""
