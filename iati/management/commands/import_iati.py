from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from ecosystem.management.progress import progress_bar
from iati import fetching, importing, reading


class Command(BaseCommand):
    help = (
        "Import the activities of an IATI activity file (versions 2.01 to 2.03), a path or "
        "an address on a host of IATI_ALLOWED_HOSTS, as programmes. Nothing is written "
        "unless every activity is valid. A re-import changes only what the publisher "
        "changed since, never what staff changed (those are listed as conflicts). "
        "Organizations not found are made as drafts; new programmes are drafts unless "
        f"--publish. At most {settings.IATI_MAX_ACTIVITIES:,} activities and "
        f"{settings.IATI_MAX_BYTES // (1024 * 1024)} MB."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A path, or an http(s) address on an allowed host.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would change; write nothing."
        )
        parser.add_argument(
            "--publish", action="store_true", help="Publish the new programmes (else drafts)."
        )

    def handle(self, *args, file, dry_run, publish, verbosity, **options):
        # An operator's tool: one language for its progress, errors and summary.
        with translation.override("en"):
            name = file.rstrip("/").rpartition("/")[2] or file
            try:
                if file.startswith(("http://", "https://")):
                    with fetching.fetch(file) as body:
                        plan = importing.plan(body)
                else:
                    plan = importing.plan(Path(file))
            except OSError as error:
                raise CommandError(f"Cannot read {file}: {error}") from error
            except reading.IatiFileError as error:
                raise CommandError(f"{name}: {error}") from error
            if plan.errors:
                raise CommandError(
                    f"{name}: nothing was imported; {len(plan.errors)} error(s):\n"
                    + "\n".join(plan.errors)
                )
            if dry_run:
                done = {**plan.counts(), "conflicts": 0, "gone": len(plan.gone)}
                done["conflicts"] = sum(len(item.conflicts) for item in plan.activities)
            else:
                with progress_bar(self, len(plan.activities), "Importing", verbosity) as bar:
                    done = importing.apply(plan, name=name, publish=publish, tick=bar.update)
            if verbosity:
                self.report(plan, done, name, dry_run, publish, verbosity)

    def report(self, plan, done, name, dry_run, publish, verbosity):
        verb = "Would import" if dry_run else "Imported"
        status = "published" if publish else "drafts"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {name}: {done['create']} created ({status}), {done['update']} "
                f"updated, {done['unchanged']} unchanged, {done['skip']} deleted by staff "
                f"and skipped, {done['conflicts']} conflict(s) kept for staff, "
                f"{done['gone']} gone from the file (flagged)."
            )
        )
        for match in plan.to_choose:
            verb = "would be made" if dry_run else "made"
            self.stdout.write(f"  organization {match.name!r}: not found, {verb} as a draft")
        for item in plan.activities:
            identifier = item.activity.identifier
            if item.action != "unchanged" and (verbosity > 1 or dry_run):
                fields = ", ".join(change.field for change in item.changes)
                self.stdout.write(f"  {identifier}: {item.action} ({fields})")
            for change in item.conflicts:
                self.stdout.write(f"  {identifier}: {change.field} changed by staff, kept")
            if item.unmapped_sectors:
                codes = ", ".join(item.unmapped_sectors)
                self.stdout.write(f"  {identifier}: DAC sectors not mapped: {codes}")
            for note in item.notes:
                self.stdout.write(f"  {identifier}: {note}")
        for identifier in plan.gone:
            self.stdout.write(f"  {identifier}: gone from the file, flagged")
