import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from ecosystem.core import cache
from ecosystem.core import counts as hub_counts
from ecosystem.core.registry import registry
from ecosystem.management.progress import progress_bar
from ecosystem.opendata import demo


class Command(BaseCommand):
    help = (
        "Create synthetic, published demo records (slugs demo-..., citing the source "
        "'Synthetic demo data') to measure the directory at scale, or remove them all "
        "with --delete. Needs the seeded countries and sectors."
    )

    def add_arguments(self, parser):
        for section in registry.demo_sections:
            parser.add_argument(
                f"--{section.option}",
                type=int,
                default=section.default,
                metavar="N",
                help=f"How many {section.help} (default {section.default}).",
            )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")
        parser.add_argument(
            "--delete", action="store_true", help="Remove every demo record instead."
        )

    def handle(self, *args, verbosity, **options):
        # An operator's tool: one language for its progress and summary.
        with translation.override("en"):
            self.run(verbosity, options)

    def run(self, verbosity, options):
        started = time.monotonic()
        if options["delete"]:
            counts = demo.delete()
            action = "Removed"
        else:
            counts = self.generate(options, verbosity)
            action = "Created"
        # Bulk writes send no signal: the counts per country and sector are made again.
        hub_counts.recount()
        cache.bump()
        if verbosity:
            for kind, count in counts.items():
                self.stdout.write(f"  {kind}: {count:,}")
            elapsed = time.monotonic() - started
            self.stdout.write(
                self.style.SUCCESS(f"{action} {sum(counts.values()):,} rows in {elapsed:.0f} s.")
            )

    def generate(self, options, verbosity):
        sections = [(s, options[s.option]) for s in registry.demo_sections]
        for section, count in sections:
            if count < 0:
                raise CommandError(f"--{section.option} must be 0 or more, not {count}.")
        total = sum(count for _section, count in sections)
        with progress_bar(self, total, "Generating", verbosity) as bar:
            try:
                data = demo.Demo(seed=options["seed"], tick=bar.update)
            except demo.DemoError as error:
                raise CommandError(str(error)) from error
            for section, count in sections:
                if count:
                    section.make(count, data)
        return dict(data.counts)
