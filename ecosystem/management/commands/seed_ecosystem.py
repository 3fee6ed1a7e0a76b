from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from ecosystem import seeding
from ecosystem.management.progress import progress_bar


class Command(BaseCommand):
    help = "Load the ecosystem's seed data (organizations, programmes, sites, events...)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", type=Path, default=seeding.SEED_FILE, help="YAML seed file to load."
        )

    def handle(self, *args, file, verbosity, **options):
        # An operator's tool: one language for its progress, errors and summary.
        with translation.override("en"):
            self.load(file, verbosity)

    def load(self, file, verbosity):
        try:
            data = seeding.read(file)
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        with progress_bar(self, seeding.count_records(data), "Seeding", verbosity) as bar:
            try:
                counts = seeding.Loader(data, tick=bar.update).run()
            except seeding.SeedError as error:
                raise CommandError(str(error)) from error
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Loaded {file.name}:"))
            for (kind, action), count in sorted(counts.items()):
                self.stdout.write(f"  {kind}: {count} {action}")
