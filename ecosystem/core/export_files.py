"""Large exports, prepared by a job: a list's CSV export past EXPORT_STREAM_MAX_ROWS rows
is not streamed (it would hold a web worker for minutes, and be cut at the request's
time limit) but written to a file by a worker, while the export's address answers a page
saying how far it is, which refreshes itself; once the file is written, the same address
sends it.

One file per export key: the record type, the filter (its valid values, in one order),
the data's version (ecosystem.core.cache), the language, the format and the address the
pages are linked under. Everyone asking for the same key gets the same file, and one job
prepares it: the key is unique in the database, so a second request, in any process,
finds the first one's row. A change to the data makes a new version, so a new key and a
new file, but not at once: a file made in the last EXPORT_FRESH_SECONDS (five minutes),
or still being written, answers the later versions too, its Last-Modified saying when its
data was read, so that a day of edits makes a file every few minutes, not one per edit.
Files are kept a day (KEEP), then deleted with their row by an hourly job.

The file is what the stream would send, byte for byte: both write with
exports.csv_text(). A file is named by a keyed hash of its key (the SECRET_KEY's), so
nobody reaches one without asking for its export."""

from datetime import timedelta
from tempfile import TemporaryFile

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.http import FileResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import salted_hmac
from django.utils.formats import number_format
from django.utils.http import http_date, urlencode
from django.utils.translation import gettext_lazy as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ecosystem.core.cache import data_version
from ecosystem.core.exports import CSV_TYPE, base_url, csv_text, export_batches
from ecosystem.core.listing import lenient_filterset
from ecosystem.core.registry import registry
from ecosystem.jobs.engine import job, progress
from ecosystem.jobs.schedule import scheduled

FORMAT = "csv"
KEEP = timedelta(days=1)
# A job still waiting this long has no worker free (or none running): the page says so.
SLOW_AFTER = timedelta(minutes=5)
# How often the page asks again, in seconds.
REFRESH = 5
# 100,000 rows write in 33-44 s here: 2,000,000 (EXPORT_MAX_ROWS) in about 15 minutes.
TIME_LIMIT = 1800
# Exports queued or being written at once, at most: a robot asking for every filter
# cannot fill the queue. Past it the page asks the visitor to come back in a minute.
# Their jobs come after every other kind (PRIORITY): a queue full of exports delays no
# digest, warm-up or import.
MOST_AT_ONCE = 100
PRIORITY = -10
BUSY_RETRY = 60
UNFINISHED = [TaskResultStatus.READY, TaskResultStatus.RUNNING]
FRESH = object()  # fresh_file()'s default: within EXPORT_FRESH_SECONDS


class ExportFile(models.Model):
    """A large export: the job preparing it, then its file, for a day."""

    key = models.CharField(max_length=64)
    record_type = models.CharField(max_length=50)
    query = models.TextField(blank=True)
    language = models.CharField(max_length=10)
    data_version = models.PositiveBigIntegerField()
    base_url = models.CharField(max_length=200)
    # Counted by the job (at most EXPORT_MAX_ROWS + 1): what its progress counts to.
    rows = models.PositiveBigIntegerField(null=True, blank=True)
    # Its name in the default storage, once written whole.
    file = models.CharField(max_length=200, blank=True)
    task_result = models.ForeignKey(
        DBTaskResult, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField()

    class Meta:
        app_label = "ecosystem"
        ordering = ["-created"]
        verbose_name = _("export file")
        constraints = [models.UniqueConstraint(fields=["key"], name="export_file_once_per_key")]

    READY, PREPARING, FAILED, REFUSED, BUSY = "ready", "preparing", "failed", "refused", "busy"

    def __str__(self):
        return f"{self.record_type}?{self.query} ({self.language}, v{self.data_version})"

    @property
    def state(self):
        if self.file:
            return self.READY
        if self.rows is not None and self.rows > settings.EXPORT_MAX_ROWS:
            return self.REFUSED
        if self.task_result and self.task_result.status in UNFINISHED:
            return self.PREPARING
        # Failed after its last attempt, or its job row deleted before it ran.
        return self.FAILED

    def progress(self):
        """(done, total) rows while the job writes, else None."""
        try:
            reported = self.task_result.progress
        except (AttributeError, ObjectDoesNotExist):  # no job row, or nothing reported
            return None
        return reported.done, reported.total

    @property
    def slow(self):
        """Still queued after SLOW_AFTER: no worker has taken it."""
        result = self.task_result
        return (
            result is not None
            and result.status == TaskResultStatus.READY
            and result.enqueued_at < timezone.now() - SLOW_AFTER
        )

    def start(self):
        """Queue the job that writes the file (again, after a failure)."""
        self.rows = None
        self.task_result_id = prepare_export.enqueue(self.pk).id
        self.save(update_fields=["rows", "task_result"])

    def discard(self):
        if self.file:
            default_storage.delete(self.file)
        self.delete()


def export_key(record_type, query, version, language, base):
    return salted_hmac(
        "ecosystem.core.export_files",
        "\n".join([record_type.key, query, str(version), language, FORMAT, base]),
        algorithm="sha256",
    ).hexdigest()


def canonical(data):
    """The filter in one spelling: its values in order, without the list's page number."""
    # Names in order; a name's values as given (of two values for one choice, the last
    # counts).
    lists = sorted(data.lists())
    return urlencode(
        [(name, value) for name, values in lists if name != "page" for value in values]
    )


def too_large_to_stream(records):
    """Counts at most EXPORT_STREAM_MAX_ROWS + 1 rows: as cheap for a million as for ten
    thousand."""
    limit = settings.EXPORT_STREAM_MAX_ROWS
    return records.order_by()[: limit + 1].count() > limit


def prepared(request, record_type, filterset):
    """The export's answer past the streaming limit: the file once written (which a
    shared cache in front may keep, as it keeps a streamed export: page_cache), else a
    page saying how far it is, never cached: it changes as the job runs."""
    query = canonical(filterset.data)
    base = base_url(request)
    language = translation.get_language()
    version = data_version()
    key = export_key(record_type, query, version, language, base)
    fields = {
        "record_type": record_type.key,
        "query": query,
        "language": language,
        "data_version": version,
        "base_url": base,
    }
    export = usable(ExportFile.objects.filter(key=key)) or fresh_file(fields) or under_way(fields)
    if export is None:
        export = find_or_start(key, **fields)
    if export is None:
        # Too many under way: the export's latest file, however old (a day at most, its
        # Last-Modified says), rather than "come back later"; else that page.
        export = fresh_file(fields, since=None)
    if export is None:
        return busy(request, record_type, query)
    state = export.state
    if request.method == "POST":
        # "Try again" on the page of a failed export.
        if state == ExportFile.FAILED:
            export.start()
        response = redirect(request.get_full_path(), permanent=False)
        add_never_cache_headers(response)
        return response
    if state == ExportFile.READY:
        response = FileResponse(
            default_storage.open(export.file, "rb"),
            as_attachment=True,
            filename=f"{record_type.key}.{FORMAT}",
            content_type=CSV_TYPE,
        )
        # When its data was read: a fresh file may be older than the latest edits.
        response["Last-Modified"] = http_date(export.created.timestamp())
        return response
    done_total = export.progress() if state == ExportFile.PREPARING else None
    numbers = {
        "limit": number_format(settings.EXPORT_STREAM_MAX_ROWS, force_grouping=True),
        "most": number_format(settings.EXPORT_MAX_ROWS, force_grouping=True),
    }
    if done_total and done_total[1] is not None:
        numbers["done"] = number_format(done_total[0], force_grouping=True)
        numbers["total"] = number_format(done_total[1], force_grouping=True)
    return page(
        request,
        record_type,
        query,
        state,
        export=export,
        refresh=REFRESH if state == ExportFile.PREPARING else None,
        progress=done_total,
        numbers=numbers,
    )


def fresh_file(fields, since=FRESH):
    """The latest file of the same export made `since` (by default in the last
    EXPORT_FRESH_SECONDS; None: ever), of any version of the data: while staff edit, one
    file serves that long rather than a job per edit. None when there is none (or its
    file is gone)."""
    exports = same_export(fields)
    if since is FRESH:
        since = fresh_since()
    return usable(exports if since is None else exports.filter(created__gte=since))


def under_way(fields):
    """The same export of an earlier version of the data, queued or being written, asked
    for in the last EXPORT_FRESH_SECONDS: its file will answer this version as a fresh
    file does, rather than a new job for each edit made while it is written."""
    exports = same_export(fields).select_related("task_result__progress")
    unfinished = exports.filter(
        file="", created__gte=fresh_since(), task_result__status__in=UNFINISHED
    )
    return unfinished.order_by("-created").first()


def same_export(fields):
    """The rows of the same export, whatever the version of the data they were made of."""
    same = {name: value for name, value in fields.items() if name != "data_version"}
    return ExportFile.objects.filter(**same)


def fresh_since():
    return timezone.now() - timedelta(seconds=settings.EXPORT_FRESH_SECONDS)


def usable(exports):
    """The latest of these exports whose file is written, not expired and still stored."""
    now = timezone.now()
    found = exports.filter(file__gt="", expires__gt=now).order_by("-created").first()
    if found is None or not default_storage.exists(found.file):
        return None
    return found


def page(request, record_type, query, state, **context):
    """The page of an export being prepared, failed or refused: never cached."""
    response = render(
        request,
        "ecosystem/export_prepared.html",
        {
            "title": record_type.title,
            "state": state,
            "list_url": reverse(record_type.list_url) + (f"?{query}" if query else ""),
            **context,
        },
        status=503 if state == ExportFile.BUSY else 200,
    )
    add_never_cache_headers(response)
    return response


def busy(request, record_type, query):
    response = page(request, record_type, query, ExportFile.BUSY, refresh=BUSY_RETRY)
    response["Retry-After"] = str(BUSY_RETRY)
    return response


def find_or_start(key, **fields):
    """The export of `key`, its job queued if it is new; None when MOST_AT_ONCE others
    are under way. A row past its day, or whose file is gone (deleted by hand), is
    deleted and started again. Of two requests creating the same key at once, the
    database keeps one row; the other reads it."""
    found = ExportFile.objects.select_related("task_result__progress").filter(key=key).first()
    if (
        found
        and found.expires > timezone.now()
        and (not found.file or default_storage.exists(found.file))
    ):
        return found
    if found:
        found.discard()
    under_way = ExportFile.objects.filter(file="", task_result__status__in=UNFINISHED)
    if under_way.count() >= MOST_AT_ONCE:
        return None
    try:
        with transaction.atomic():
            export = ExportFile.objects.create(key=key, expires=timezone.now() + KEEP, **fields)
            export.start()
    except IntegrityError:
        export = ExportFile.objects.select_related("task_result__progress").get(key=key)
    return export


@job(title=_("Prepare a large export"), time_limit=TIME_LIMIT, atomic=False, priority=PRIORITY)
def prepare_export(export_id):
    """Write the export's file: the rows the list's filter selects, as the stream would."""
    export = ExportFile.objects.filter(pk=export_id).first()
    if export is None:  # expired and deleted while it waited
        return None
    record_type = registry[export.record_type]
    with translation.override(export.language):
        filterset, _ignored = lenient_filterset(
            record_type.filterset, QueryDict(export.query), record_type.listed_records().for_api()
        )
        records = filterset.qs
        total = records.order_by()[: settings.EXPORT_MAX_ROWS + 1].count()
        ExportFile.objects.filter(pk=export.pk).update(rows=total)
        if total > settings.EXPORT_MAX_ROWS:
            return {"rows": total, "refused": True}
        name = f"exports/{export.key}.{FORMAT}"
        with TemporaryFile() as out:
            columns = record_type.csv_columns
            for text in csv_text(columns, counted(records, columns, total), export.base_url):
                out.write(text.encode())
            out.seek(0)
            default_storage.delete(name)  # left by an attempt that failed after saving it
            name = default_storage.save(name, File(out))
    ExportFile.objects.filter(pk=export.pk).update(file=name)
    return {"rows": total, "file": name}


def counted(records, columns, total):
    """The records in their order, a batch at a time (exports.export_batches, as the
    stream reads them), the job's progress told after each batch."""
    done = 0
    progress(done, total)
    for batch in export_batches(records, columns):
        yield from batch
        done += len(batch)
        progress(done, total)


@job(title=_("Delete expired exports"), atomic=False)
def delete_expired_exports():
    """Each export's file and row, a day after it was asked for."""
    deleted = 0
    for export in ExportFile.objects.filter(expires__lte=timezone.now()).iterator():
        export.discard()
        deleted += 1
    return {"deleted": deleted}


scheduled(delete_expired_exports, every=timedelta(hours=1))
