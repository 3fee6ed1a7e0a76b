from django.core.management.base import BaseCommand, CommandError

from alerts.digest import send_digests
from ecosystem.management.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Send the email alert digests that are due now: to each confirmed subscription "
        "whose day or week has passed, what its list published since. The job engine runs "
        "it every day at 07:00. Nothing new: no mail."
    )

    def handle(self, *args, verbosity, **options):
        bar = None

        def report(done, total):
            nonlocal bar
            bar = bar or progress_bar(self, total, "subscriptions", verbosity)
            bar.update(done - bar.n)

        counts = send_digests(report=report)
        if bar is not None:
            bar.close()
        summary = (
            "{due} subscription(s) due: {sent} digest(s) sent, {nothing_new} with nothing "
            "new, {failed} not sent"
        ).format(**counts)
        if counts["failed"]:
            raise CommandError(f"{summary} (see the log; the next run tries them again).")
        if verbosity:
            self.stdout.write(self.style.SUCCESS(summary + "."))
