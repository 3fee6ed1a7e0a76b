from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from ecosystem.management.progress import progress_bar
from ecosystem.opendata import seeding


class Command(BaseCommand):
    help = (
        "Load the ecosystem's seed data (organizations, programmes, sites, events...). "
        "Creates what is missing and leaves existing records as they are; a record staff "
        "deleted is not brought back, and what names it is skipped or loaded without that "
        "link, and listed. With --update, applies the file's values to existing records, "
        "but only where the seed wrote the field or relation last: what staff changed "
        "since is kept and listed. Never blanks, unlinks or republishes anything."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", type=Path, default=seeding.SEED_FILE, help="YAML seed file to load."
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help=(
                "Apply the file's values to existing records where they differ, except "
                "the fields and relations staff changed since the seed wrote them (kept, "
                "and listed)."
            ),
        )

    def handle(self, *args, file, update, verbosity, **options):
        # An operator's tool: one language for its progress, errors and summary.
        with translation.override("en"):
            self.load(file, update, verbosity)

    def load(self, file, update, verbosity):
        try:
            data = seeding.read(file)
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            total = seeding.count_records(data)
            with progress_bar(self, total, "Seeding", verbosity) as bar:
                loader = seeding.Loader(data, tick=bar.update, update=update, name=file.name)
                counts = loader.run()
        except seeding.SeedError as error:
            raise CommandError(str(error)) from error
        if verbosity >= 2:
            for line in loader.changes:
                self.stdout.write(f"  {line}")
        if verbosity:
            self.summarise(file, counts, loader)

    def summarise(self, file, counts, loader):
        self.stdout.write(self.style.SUCCESS(f"Loaded {file.name}:"))
        for (kind, action), count in sorted(counts.items()):
            self.stdout.write(f"  {kind}: {count} {action}")
        totals = {
            outcome: sum(n for (_kind, action), n in counts.items() if action == outcome)
            for outcome in seeding.OUTCOMES
        }
        self.stdout.write(", ".join(f"{n} {outcome}" for outcome, n in totals.items()) + ".")
        if loader.notes:
            self.stdout.write("Left as staff left them (deleted, or changed since the seed):")
            for line in loader.notes:
                self.stdout.write(f"  {line}")
        if loader.kept_differences:
            self.stdout.write(
                f"{loader.kept_differences} existing records differ from the file and were "
                "kept as they are; -v 2 names the fields, and --update applies the file's "
                "values where the seed wrote them last, never over a change staff made."
            )
