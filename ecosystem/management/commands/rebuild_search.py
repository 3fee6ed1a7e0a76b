from django.core.management.base import BaseCommand

from ecosystem.core import cache, counts
from ecosystem.core.signals import publishable_models
from ecosystem.management.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Recompute the copies kept for search and sorting (folded names and text, with "
        "the countries' and sectors' names) of every organization, programme and event, "
        "and the counts per country and sector. "
        "Saves and relation changes keep them current; this is for what bypasses them."
    )

    def handle(self, *args, verbosity, **options):
        models = publishable_models()
        total = sum(model.objects.count() for model in models)
        stale = {}
        with progress_bar(self, total, "Rebuilding", verbosity) as bar:
            for model in models:
                stale[model] = model.rebuild_derived(tick=bar.update)
        # The counts per country and sector are derived too: made again, whatever a
        # bulk update changed.
        counts.recount()
        cache.bump()  # the corrections are bulk updates, which send no signal
        if verbosity:
            for model, count in stale.items():
                self.stdout.write(f"  {model._meta.verbose_name_plural}: {count} corrected")
            self.stdout.write(
                self.style.SUCCESS(f"Checked {total} records, corrected {sum(stale.values())}.")
            )
