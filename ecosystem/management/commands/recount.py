from django.core.management.base import BaseCommand

from ecosystem.core import counts
from ecosystem.core.registry import registry
from ecosystem.management.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Count again the published records of each type per country and sector, and in "
        "all, kept for the home page, the hubs and the lists' facets. Saves and link "
        "changes keep them current by one; this repairs what bypassed them, and says "
        "how many counts had drifted (the nightly job does the same)."
    )

    def handle(self, *args, verbosity, **options):
        models = dict.fromkeys(t.model for t in registry)
        with progress_bar(self, len(models), "Recounting", verbosity) as bar:
            bar.unit = "type"
            found = counts.repair(tick=bar.update)
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Recounted {found['hubs']} kept counts; {found['drifted']} had drifted."
                )
            )
