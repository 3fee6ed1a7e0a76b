from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ecosystem.core.links.checker import check_links, cited_addresses, on_host
from ecosystem.management.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Check that the addresses the directory cites (published records' websites, "
        "sources' addresses) still answer, and keep each outcome for the staff dashboard "
        "and the public pages. Never edits a record or a source. The job engine runs "
        "the same check weekly; see docs/operations.md, Link checks."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, help="Check at most N addresses, the longest unchecked first."
        )
        parser.add_argument("--host", help="Check only the addresses on this host.")

    def handle(self, *args, limit, host, verbosity, **options):
        if limit is not None and limit < 1:
            raise CommandError("--limit must be a positive number of addresses.")
        addresses = on_host(cited_addresses(), host)
        total = min(len(addresses), limit or settings.LINK_CHECK_MAX_ADDRESSES)
        with progress_bar(self, total, "Checking links", verbosity) as bar:
            summary = check_links(limit=limit, host=host, tick=bar.update)
        if verbosity:
            self.stdout.write(
                f"Checked {summary.checked}: {summary.ok} ok, {summary.redirected} "
                f"redirected, {summary.broken} broken; {summary.skipped_for_rate} skipped "
                f"for rate, {summary.over_limit} over the limit."
            )
            if summary.stopped:
                self.stdout.write(self.style.WARNING(f"Stopped early: {summary.stopped}."))
