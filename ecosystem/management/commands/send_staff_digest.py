from django.core.management.base import BaseCommand, CommandError

from ecosystem.core.digest import digests, send_staff_digest


class Command(BaseCommand):
    help = (
        "Mail each staff member (superusers, Editors and Publishers) what waits for them: "
        "records to check, drafts, the review queue, suggestions. The job engine runs it "
        "weekly. Staff nothing waits for get nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print the messages it would send (plain-text part), and send nothing.",
        )

    def handle(self, *args, dry_run, verbosity, **options):
        if dry_run:
            count = 0
            for user, message in digests():
                count += 1
                self.stdout.write(f"To: {user.get_username()} <{user.email}>")
                self.stdout.write(f"Subject: {message.subject}\n")
                self.stdout.write(message.body)
            self.stdout.write(f"Would send {count} message(s); sent nothing (--dry-run).")
            return
        sent, failed = send_staff_digest()
        if failed:
            raise CommandError(f"Sent {sent} message(s); {failed} could not be sent (see the log).")
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Sent {sent} message(s)."))
