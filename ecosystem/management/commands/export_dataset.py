from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ecosystem.management.progress import progress_bar
from ecosystem.opendata import dataset


class Command(BaseCommand):
    help = "Write every published record as CSV and JSON, with a README, into DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--base-url",
            default=settings.SITE_URL,
            help="The site's public address, for the records' page links (default: SITE_URL).",
        )

    def handle(self, *args, directory, base_url, verbosity, **options):
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} exists and is not a directory.")
        sets = dataset.datasets()
        with progress_bar(self, dataset.count(sets), "Exporting", verbosity) as bar:
            try:
                written = dataset.export(directory, base_url, tick=bar.update)
            except OSError as error:
                raise CommandError(f"Cannot write to {directory}: {error}") from error
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Wrote {len(written) + 1} files to {directory}:"))
            for name, records in written.items():
                self.stdout.write(f"  {name}: {records} records")
            self.stdout.write("  README.md")
