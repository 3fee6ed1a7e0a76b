"""The alert digests: for each confirmed subscription that is due (a day or a week after
the last look), the records of its list first published since then, by mail; nothing
new, no mail. And the clean-up: an address never confirmed is deleted after a year.

"First published" is read from the history (ecosystem.core.history): the first version
of a record whose status is published. A record unpublished and published again is not
new a second time. Both are jobs (ecosystem.jobs), run on a schedule."""

import logging
from collections import defaultdict
from datetime import timedelta

from django.core.mail import get_connection
from django.db.models import Min
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from alerts.follow import Followed, followable
from alerts.models import Frequency, Subscription
from alerts.services import absolute, unsubscribe_headers
from alerts.tokens import UNCONFIRMED_KEPT
from ecosystem.core import mail
from ecosystem.core.models import PublicationStatus
from ecosystem.core.registry import registry
from ecosystem.jobs.engine import job, progress
from ecosystem.jobs.schedule import scheduled

logger = logging.getLogger("alerts")

PERIODS = {Frequency.DAILY: timedelta(days=1), Frequency.WEEKLY: timedelta(weeks=1)}
# A run may start a little earlier or later than the last: a subscription is due when
# its period has passed, give or take this.
SLACK = timedelta(hours=2)
# Records shown in one mail; the rest are counted, with a link to the list.
SHOWN = 10
# New records looked at per list type and run: a bulk import of more waits for the list.
MAX_NEW = 5000
# Subscriptions read and marked at a time.
BATCH = 500


def due(now):
    """Confirmed subscriptions whose period has passed since their last look."""
    subscriptions = Subscription.objects.none()
    for frequency, period in PERIODS.items():
        subscriptions |= Subscription.objects.filter(
            confirmed__isnull=False,
            frequency=frequency,
            covered_until__lte=now - period + SLACK,
        )
    return subscriptions.order_by("pk")


def first_published(model, since, until):
    """{pk: when first published} of `model`'s records first published in (since, until],
    the latest MAX_NEW: two aggregates on its history table, whatever its size."""
    versions = model.history.filter(publication_status=PublicationStatus.PUBLISHED)
    recent = versions.filter(history_date__gt=since, history_date__lte=until).values("id")
    firsts = (
        versions.filter(id__in=recent)
        .values("id")
        .annotate(first=Min("history_date"))
        .filter(first__gt=since)
        .order_by("-first")[:MAX_NEW]
    )
    return {row["id"]: row["first"] for row in firsts}


class Run:
    """One run of the digests: what is new per type is read once, what each list keeps
    of it once per distinct list and filters, however many follow them."""

    def __init__(self, now, since):
        self.now = now
        self.since = since
        self.fresh = {}  # model -> {pk: first published}
        self.kept = {}  # (key, query) -> pks the filters keep of the fresh ones
        self.described = {}  # (key, query, language) -> (title, page)

    def fresh_for(self, model):
        if model not in self.fresh:
            self.fresh[model] = first_published(model, self.since, self.now)
        return self.fresh[model]

    def new_for(self, subscription):
        """The pks new to `subscription`, latest first (no query when nothing is new)."""
        followed = Followed(subscription.followed, subscription.query)
        fresh = self.fresh_for(followed.record_type.model)
        candidates = {pk for pk, at in fresh.items() if at > subscription.covered_until}
        if not candidates:
            return []
        key = (followed.key, followed.query)
        if key not in self.kept:
            self.kept[key] = followed.matching(list(fresh))
        return sorted(candidates & self.kept[key], key=fresh.get, reverse=True)

    def describe(self, subscription):
        """Its list's title and address, in its language (the title reads the filters'
        countries and sectors: once per list, filters and language)."""
        key = (subscription.followed, subscription.query, subscription.language)
        if key not in self.described:
            followed = Followed(subscription.followed, subscription.query)
            with translation.override(subscription.language):
                self.described[key] = (followed.title(), absolute(followed.path()))
        return self.described[key]


def digest(subscription, described, records, total):
    """The mail of `records` (the first SHOWN of `total` new ones) for `subscription`,
    whose list is `described`: (title, address)."""
    title, page = described
    unsubscribe, headers = unsubscribe_headers(subscription)
    with translation.override(subscription.language):
        context = {
            "title": title,
            "page": page,
            "records": [(record, absolute(record.get_absolute_url())) for record in records],
            "total": total,
            "more": total - len(records),
            "frequency": subscription.get_frequency_display(),
            "unsubscribe_url": unsubscribe,
        }
    message = mail.message(
        [subscription.email],
        _("New in your alert: %(title)s") % {"title": context["title"]},
        "alert_digest",
        context,
        subscription.language,
    )
    message.extra_headers.update(headers)
    return message


def send_digests(now=None):
    """Send every due digest; returns {"due", "sent", "nothing_new", "failed"}. A mail the
    server refuses leaves its subscription as it was: the next run tries it again, with
    what was new since."""
    now = now or timezone.now()
    subscriptions = due(now)
    oldest = subscriptions.aggregate(oldest=Min("covered_until"))["oldest"]
    counts = {"due": 0, "sent": 0, "nothing_new": 0, "failed": 0}
    if oldest is None:
        return counts
    total = subscriptions.count()
    run = Run(now, oldest)
    connection = get_connection()
    ids = list(subscriptions.values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        looked = []
        rows = list(Subscription.objects.filter(pk__in=batch).order_by("pk"))
        new = {row.pk: run.new_for(row) for row in rows if followable(row.followed)}
        shown = records_shown(rows, new)
        for row in rows:
            counts["due"] += 1
            pks = new.get(row.pk, [])
            if not pks:
                counts["nothing_new"] += 1
                looked.append(row.pk)
                continue
            records = [shown[pk] for pk in pks[:SHOWN] if pk in shown]
            message = digest(row, run.describe(row), records, len(pks))
            message.connection = connection
            if mail.send(message):
                counts["sent"] += 1
                looked.append(row.pk)
            else:
                counts["failed"] += 1
                connection.close()  # a broken connection is opened again for the next
        Subscription.objects.filter(pk__in=looked).update(covered_until=now)
        progress(counts["due"], total)
    connection.close()
    logger.info(
        "alert digests: %(sent)d sent, %(nothing_new)d with nothing new, %(failed)d not sent",
        counts,
    )
    return counts


def records_shown(rows, new):
    """The records the batch's mails show, read in one query per type."""
    wanted = defaultdict(set)
    for row in rows:
        for pk in new.get(row.pk, [])[:SHOWN]:
            wanted[row.followed].add(pk)
    shown = {}
    for key, pks in wanted.items():
        shown.update(registry[key].listed_records().in_bulk(pks))
    return shown


def forget_unconfirmed(now=None):
    """Delete the addresses never confirmed within UNCONFIRMED_KEPT; returns how many."""
    cutoff = (now or timezone.now()) - UNCONFIRMED_KEPT
    deleted, _by_model = Subscription.objects.filter(
        confirmed__isnull=True, created__lt=cutoff
    ).delete()
    return deleted


# It reads and sends: no transaction held while the mail server answers. A run stopped
# half-way has marked the batches it finished; the others go at the next run.
@job(title=_("Send the email alerts"), atomic=False, time_limit=3 * 3600, attempts=1)
def send_alerts():
    return send_digests()


@job(title=_("Delete unconfirmed alert addresses"))
def forget_unconfirmed_alerts():
    return {"deleted": forget_unconfirmed()}


scheduled(send_alerts, at="07:00")
scheduled(forget_unconfirmed_alerts, at="03:20")
