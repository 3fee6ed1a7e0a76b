from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# A link is marked on the public page once it failed this many checks in a row: one
# failure may be the site's bad hour, or ours.
MARKED_AFTER = 2


class Outcome(models.TextChoices):
    OK = "ok", _("answers")
    REDIRECTED = "redirected", _("answers at another address")
    HTTP_ERROR = "http", _("error status")
    TIMEOUT = "timeout", _("no answer in time")
    TLS_ERROR = "tls", _("TLS error")
    DNS_ERROR = "dns", _("unknown host")
    CONNECTION_ERROR = "connection", _("connection failed")
    TOO_MANY_REDIRECTS = "redirects", _("too many redirects")
    INVALID = "invalid", _("not a web address")


ANSWERED = {Outcome.OK, Outcome.REDIRECTED}


class LinkCheckQuerySet(models.QuerySet):
    def failing(self):
        """Addresses whose last check failed, the longest failing first."""
        return self.filter(consecutive_failures__gt=0).order_by("first_failed", "address")

    def marked(self):
        return self.filter(consecutive_failures__gte=MARKED_AFTER)

    def failed_on(self, addresses):
        """{address: the day of its last failed check} for those of `addresses` marked on
        public pages. One query."""
        addresses = {address for address in addresses if address}
        if not addresses:
            return {}
        rows = self.marked().filter(address__in=addresses).values_list("address", "checked")
        return dict(rows)


class LinkCheck(models.Model):
    """The last check of one address, wherever the directory cites it. The checker
    writes only here: a record's website and a source's address stay as staff wrote them."""

    address = models.CharField(_("address"), max_length=500)
    checked = models.DateTimeField(_("last checked"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    final_address = models.CharField(_("final address"), max_length=2000, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("failed checks in a row"), default=0)
    first_failed = models.DateTimeField(_("failing since"), null=True, blank=True)

    objects = LinkCheckQuerySet.as_manager()

    class Meta:
        ordering = ["address"]
        verbose_name = _("link check")
        verbose_name_plural = _("link checks")
        constraints = [
            models.UniqueConstraint(fields=["address"], name="linkcheck_unique_address"),
            models.CheckConstraint(
                condition=Q(consecutive_failures=0) | Q(first_failed__isnull=False),
                name="linkcheck_failing_has_a_start",
            ),
        ]

    def __str__(self):
        return self.address

    @property
    def failed(self):
        return self.outcome not in ANSWERED

    def record(self, result, now):
        """Keep `result` (checker.Result) as this address's last check at `now`."""
        self.checked = now
        self.outcome = result.outcome
        self.status = result.status
        self.detail = result.detail[:300]
        self.final_address = result.final_address[:2000]
        if self.failed:
            if not self.consecutive_failures:
                self.first_failed = now
            self.consecutive_failures += 1
        else:
            self.consecutive_failures = 0
            self.first_failed = None


class LinkNotices:
    """For one record's page: the day each of its addresses last failed, for those marked.
    At most two queries a page, whatever it cites: the first address asked loads the
    record's website and its own sources' addresses; the sources list at the bottom, once
    the facts have cited the others (ecosystem.core.notes), loads all of theirs at once."""

    def __init__(self, record, notes):
        self.record = record
        self.notes = notes
        self.known = {}  # address: the day of its last failed check, or None

    def failed_on(self, address):
        if address and address not in self.known:
            wanted = {address, self.record.website, *(s.url for s in self.notes.sources)}
            wanted -= self.known.keys()
            found = LinkCheck.objects.failed_on(wanted)
            self.known.update({each: found.get(each) for each in wanted})
        return self.known.get(address)
