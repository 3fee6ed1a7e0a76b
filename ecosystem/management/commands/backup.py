from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ecosystem.project import backups


class Command(BaseCommand):
    help = (
        "Dump the database into a new timestamped file in backups/ (or $BACKUP_DIR, or "
        "--dir) and print the file's absolute path as the last line."
    )
    # A backup must run from cron with nothing but DATABASE_URL: the checks guarding the
    # public site (real secrets with DEBUG off) do not concern it.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            type=Path,
            dest="directory",
            help="Folder for the file (default: $BACKUP_DIR, else backups/ in the project).",
        )

    def handle(self, *args, directory, verbosity, **options):
        try:
            path = backups.backup(connection, backups.backup_dir(directory))
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Backed up the {backups.database_label(connection)} "
                    f"({path.stat().st_size:,} bytes) to:"
                )
            )
        # Last and alone on its line, for scripts: file=$(manage.py backup | tail -n 1)
        self.stdout.write(str(path))
