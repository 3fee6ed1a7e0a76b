from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from ecosystem.core.registry import registry
from ecosystem.management.progress import progress_bar
from ecosystem.opendata import imports, tables

LIMITS = tables.COMMAND


class Command(BaseCommand):
    help = (
        "Import records from a CSV or XLSX file with the columns of the list's CSV export "
        "(in French or English). Nothing is written unless every row is valid; new records "
        f"are drafts unless --publish. At most {LIMITS.rows:,} rows, {LIMITS.columns} columns, "
        f"{LIMITS.cell:,} characters a cell and {LIMITS.bytes // tables.MB} MB "
        f"({LIMITS.inflated // tables.MB} MB once unzipped, for an XLSX)."
    )

    def add_arguments(self, parser):
        importable = [t.key for t in registry if t.has_pages or t.import_defaults]
        parser.add_argument("type", choices=importable, help="The kind of records.")
        parser.add_argument("file", type=Path, help="A .csv or .xlsx file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would change; write nothing."
        )
        parser.add_argument(
            "--publish", action="store_true", help="Publish the new records (else drafts)."
        )

    def handle(self, *args, type, file, dry_run, publish, verbosity, **options):
        # An operator's tool: one language for its progress, errors and summary.
        with translation.override("en"):
            record_type = registry[type]
            try:
                table = tables.read_table(file, file.name, LIMITS)
                with progress_bar(self, len(table) - 1, "Checking", verbosity) as bar:
                    rows = imports.plan(record_type, table, tick=bar.update)
            except OSError as error:
                raise CommandError(f"Cannot read {file}: {error}") from error
            except tables.ImportFileError as error:
                raise CommandError(f"{file.name}: {error}") from error
            errors = imports.errors_of(rows)
            if errors:
                raise CommandError(
                    f"{file.name}: nothing was imported; {len(errors)} error(s):\n"
                    + "\n".join(errors)
                )
            if dry_run:
                done = {
                    action: sum(r.action == action for r in rows)
                    for action in ("create", "update", "unchanged")
                }
            else:
                with progress_bar(self, len(rows), "Importing", verbosity) as bar:
                    done = imports.apply(
                        rows, file_name=file.name, publish=publish, tick=bar.update
                    )
            if verbosity:
                verb = "Would import" if dry_run else "Imported"
                status = "published" if publish else "drafts"
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{verb} {file.name}: {done['create']} created ({status}), "
                        f"{done['update']} updated, {done['unchanged']} unchanged."
                    )
                )
                if verbosity > 1 or dry_run:
                    for row in rows:
                        if row.action != "unchanged":
                            changed = ", ".join(row.changes + list(row.many))
                            self.stdout.write(
                                f"  row {row.number}: {row.action} {row.record} ({changed})"
                            )
