"""The alert digests: for each confirmed subscription that is due (a day or a week after
the last look), the records of its list first published since then, by mail; nothing
new, no mail. And the clean-up: an address never confirmed is deleted after a year.

"First published" is read from the history (ecosystem.core.history): the first version
of a record whose status is published. A record unpublished and published again is not
new a second time. Both are jobs (ecosystem.jobs), run on a schedule."""

import logging
from datetime import timedelta

from django.core.mail import get_connection
from django.db.models import Min
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from alerts.follow import followable, followed
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
    """One run of the digests: what is new per type is read once, each distinct list and
    filters (or find-support answer) is applied once, however many follow it."""

    def __init__(self, now, since):
        self.now = now
        self.since = since
        self._fresh = {}  # model -> {pk: first published}
        self._records = {}  # type's key -> {pk: record} of its fresh records
        self._memo = {}

    def fresh(self, key):
        """{pk: first published} of the type's records new in this run's window."""
        model = registry[key].model
        if model not in self._fresh:
            self._fresh[model] = first_published(model, self.since, self.now)
        return self._fresh[model]

    def records(self, key):
        """The type's new records, read in one query."""
        if key not in self._records:
            self._records[key] = registry[key].listed_records().in_bulk(list(self.fresh(key)))
        return self._records[key]

    def memo(self, key, compute):
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def describe(self, subscription):
        """Its list's title and address, in its language (the title reads the filters'
        countries and sectors: once per list, filters and language)."""
        key = ("title", subscription.followed, subscription.query, subscription.language)

        def compute():
            with translation.override(subscription.language):
                what = followed(subscription.followed, subscription.query)
                return what.title(self), absolute(what.path())

        return self.memo(key, compute)

    def news(self, subscription):
        """[(record, why)] new to `subscription`, latest first."""
        with translation.override(subscription.language):
            what = followed(subscription.followed, subscription.query)
            return what.news(self, subscription.covered_until)


def digest(subscription, described, news, total):
    """The mail of `news` ((record, why) of the first SHOWN of `total` new ones) for
    `subscription`, whose list is `described`: (title, address)."""
    title, page = described
    unsubscribe, headers = unsubscribe_headers(subscription)
    with translation.override(subscription.language):
        context = {
            "title": title,
            "page": page,
            "records": [(record, absolute(record.get_absolute_url()), why) for record, why in news],
            "total": total,
            "more": total - len(news),
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


def send_digests(now=None, report=progress):
    """Send every due digest; returns {"due", "sent", "nothing_new", "failed"}. A mail the
    server refuses leaves its subscription as it was: the next run tries it again, with
    what was new since. `report(done, total)` is told after each batch."""
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
        looked = []
        for row in Subscription.objects.filter(pk__in=ids[start : start + BATCH]).order_by("pk"):
            counts["due"] += 1
            news = run.news(row) if followable(row.followed) else []
            if not news:
                counts["nothing_new"] += 1
                looked.append(row.pk)
                continue
            message = digest(row, run.describe(row), news[:SHOWN], len(news))
            message.connection = connection
            if mail.send(message):
                counts["sent"] += 1
                looked.append(row.pk)
            else:
                counts["failed"] += 1
                connection.close()  # a broken connection is opened again for the next
        Subscription.objects.filter(pk__in=looked).update(covered_until=now)
        report(counts["due"], total)
    connection.close()
    logger.info(
        "alert digests: %(sent)d sent, %(nothing_new)d with nothing new, %(failed)d not sent",
        counts,
    )
    return counts


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
