from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ecosystem.core import cache
from ecosystem.project import backups


class Command(BaseCommand):
    help = (
        "Replace the database's content (the one DATABASE_URL names) with a backup made by "
        "`backup`. Refuses a database holding data unless --force."
    )
    # Restoring is how a broken site is brought back: it must not depend on the site's
    # own start-up checks.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A .dump (PostgreSQL) or .sqlite3 backup.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore even though the database holds data (it is all replaced).",
        )

    def handle(self, *args, file, force, verbosity, **options):
        try:
            backups.restore(connection, file, force=force)
            cache.bump()  # results cached for the data before are old
            counts = backups.summary(connection)
            warning = backups.migration_state(connection)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Restored {file} into the {backups.database_label(connection)}:"
                )
            )
            for label, count in counts.items():
                self.stdout.write(f"  {label}: {count}")
        if warning:
            self.stderr.write(self.style.WARNING(warning))
