"""Large exports (ecosystem/core/export_files.py): past EXPORT_STREAM_MAX_ROWS, a list's
export address answers a page saying the file is being prepared, with its progress,
while a worker process writes the file; then the same address sends the file, equal to
what the stream sends for the same filter. Small exports stream as before."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.http import FileResponse, StreamingHttpResponse
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ecosystem.core import export_files
from ecosystem.core.export_files import ExportFile, delete_expired_exports, prepare_export
from ecosystem.jobs import schedule
from ecosystem.jobs.models import JobProgress, ScheduledRun
from tests import factories, test_jobs
from tests.helpers import count_queries, html, url
from tests.test_jobs import worker

# The fixture of tests/test_jobs.py: a database this test and a worker process share.
worker_db = test_jobs.worker_db

EXPORT = "members:organization-export"
PREPARING = {"en": "Your export is being prepared", "fr": "Votre export est en préparation"}


@pytest.fixture
def large(settings, tmp_path):
    """Exports of more than 3 rows are prepared by a job, into a storage of the test's own."""
    settings.EXPORT_STREAM_MAX_ROWS = 3
    settings.MEDIA_ROOT = tmp_path / "media"


def ngos(count):
    return factories.OrganizationFactory.create_batch(count, kind="ngo")


def jobs():
    return DBTaskResult.objects.filter(task_path=prepare_export.module_path)


def content(response):
    return b"".join(response.streaming_content)


def names(data):
    """The first column of each row under the header: the records' names."""
    return [row[0] for row in csv.reader(io.StringIO(data.decode("utf-8-sig")))][1:]


@pytest.mark.django_db
def test_an_export_up_to_the_limit_is_streamed_as_before(client, large):
    ngos(3)
    response = client.get(url(EXPORT) + "?kind=ngo")
    assert isinstance(response, StreamingHttpResponse)
    assert not isinstance(response, FileResponse)
    assert response["Content-Disposition"] == 'attachment; filename="organizations.csv"'
    assert len(names(content(response))) == 3
    assert not ExportFile.objects.exists()
    assert not jobs().exists()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_large_export_answers_a_page_and_queues_one_job(client, large, language):
    ngos(5)
    address = url(EXPORT, language) + "?kind=ngo"
    response = client.get(address)
    page = html(response)
    assert response["Content-Type"].startswith("text/html")
    assert PREPARING[language] in page
    assert '<meta http-equiv="refresh" content="5">' in page
    assert {"en": "Waiting for its turn.", "fr": "En attente de son tour."}[language] in page
    assert "private" in response["Cache-Control"]  # never kept by the page cache
    # Asked again, by anyone: the same job, not a second one.
    assert PREPARING[language] in html(client.get(address))
    assert jobs().count() == 1
    result = jobs().get()
    assert result.status == TaskResultStatus.READY
    # The worker's progress shows on the next refresh.
    JobProgress.objects.create(task_result=result, done=12000, total=46045, updated=timezone.now())
    page = html(client.get(address))
    assert {
        "en": "12,000 of 46,045 rows",
        "fr": "12\N{NO-BREAK SPACE}000 sur 46\N{NO-BREAK SPACE}045 lignes",
    }[language] in page
    assert '<progress value="12000" max="46045">' in page


@pytest.mark.django_db
def test_the_same_filter_spelled_otherwise_is_the_same_export(client, large):
    """Values the list ignores (an unknown country), the page number and the order of
    the parameters make no new file."""
    ngos(5)
    for query in (
        "?kind=ngo&sort=-updated",
        "?sort=-updated&kind=ngo",
        "?country=XX&sort=-updated&kind=ngo",
        "?kind=ngo&page=2&sort=-updated",
    ):
        assert PREPARING["en"] in html(client.get(url(EXPORT) + query))
    assert ExportFile.objects.count() == 1 and jobs().count() == 1
    client.get(url(EXPORT, "fr") + "?kind=ngo&sort=-updated")
    assert ExportFile.objects.count() == 2  # each language its own file


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["?kind=guild", "?country=%00", "?sector=nope", "?sort=sideways", "?q=" + "x" * 300]
)
def test_a_bad_filter_value_gets_the_page_never_a_server_error(client, large, query):
    ngos(5)
    for language in ("en", "fr"):
        assert PREPARING[language] in html(client.get(url(EXPORT, language) + query))


class Shared:
    """Every query on the database the worker process reads (SQLite: a file copy)."""

    def db_for_read(self, model, **hints):
        return "worker"

    db_for_write = db_for_read

    def allow_relation(self, obj1, obj2, **hints):
        return True


@pytest.fixture
def shared(worker_db, large, settings, monkeypatch):
    """The URL of a database the test's requests and its worker processes share, and a
    storage they share (the worker's MEDIA_ROOT the test's)."""
    alias, database_url = worker_db
    monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))
    if alias == "default":
        no_scheduled_jobs()
        yield database_url
        return
    # Restored before the test's database is emptied, which needs the router gone.
    with override_settings(DATABASE_ROUTERS=[f"{__name__}.Shared"]):
        no_scheduled_jobs()
        yield database_url


def no_scheduled_jobs():
    """The scheduled jobs' slots taken, this one and the next: the worker runs only the
    exports (a recount could change the data's version under the test)."""
    now = timezone.now()
    for scheduled in schedule.SCHEDULES.values():
        for slot in (scheduled.slot(now), scheduled.following(scheduled.slot(now))):
            ScheduledRun.objects.create(job=scheduled.name, slot=slot)


def test_a_worker_writes_the_file_and_it_equals_the_stream(shared, client, settings):
    database_url = shared
    ngos(5)
    address = url(EXPORT) + "?kind=ngo"
    assert PREPARING["en"] in html(client.get(address))

    assert worker(database_url, "--batch").wait(timeout=120) == 0
    response = client.get(address)
    assert isinstance(response, FileResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="organizations.csv"'
    prepared = content(response)
    assert len(names(prepared)) == 5
    # Everyone asking gets the same file, written once.
    assert content(client.get(address)) == prepared
    assert jobs().count() == 1

    settings.EXPORT_STREAM_MAX_ROWS = 1000
    streamed = client.get(address)
    assert not isinstance(streamed, FileResponse)
    assert content(streamed) == prepared

    # A change to the data is a new version: a new file, with the change (at once with
    # no time a file stays fresh).
    settings.EXPORT_STREAM_MAX_ROWS = 3
    settings.EXPORT_FRESH_SECONDS = 0
    factories.OrganizationFactory(kind="ngo", name_en="Zebra Foundation")
    assert PREPARING["en"] in html(client.get(address))
    assert worker(database_url, "--batch").wait(timeout=120) == 0
    renewed = content(client.get(address))
    assert len(names(renewed)) == 6 and "Zebra Foundation" in names(renewed)
    assert ExportFile.objects.count() == 2 and jobs().count() == 2


@pytest.mark.django_db
def test_the_job_writes_what_the_stream_sends_in_french_and_with_a_filter(client, large, settings):
    """The job run here, in the test's process: its file against the stream, byte for byte."""
    factories.OrganizationFactory(kind="ngo", name_fr='Virgule, "guillemets"', summary_fr="=1+1")
    ngos(4)
    factories.OrganizationFactory(kind="association")
    address = url(EXPORT, "fr") + "?kind=ngo&sort=-updated"
    client.get(address)
    prepare_export.call(ExportFile.objects.get().pk)
    prepared = content(client.get(address))
    settings.EXPORT_STREAM_MAX_ROWS = 1000
    assert content(client.get(address)) == prepared
    assert len(names(prepared)) == 5


@pytest.mark.django_db
def test_a_failed_export_says_so_and_is_tried_again_on_request(client, large):
    ngos(5)
    address = url(EXPORT, "fr") + "?kind=ngo"
    client.get(address)
    jobs().update(status=TaskResultStatus.FAILED)
    page = html(client.get(address))
    assert "L’export n’a pas pu être préparé" in page
    assert "Réessayer" in page and 'method="post"' in page
    assert "http-equiv" not in page  # nothing to wait for
    assert jobs().count() == 1  # seeing the failure queues nothing

    response = client.post(address)
    assert response.status_code == 302 and response["Location"] == address
    assert jobs().filter(status=TaskResultStatus.READY).count() == 1
    assert PREPARING["fr"] in html(client.get(address))


@pytest.mark.django_db
def test_an_export_waiting_for_a_worker_says_it_is_taking_longer(client, large):
    ngos(5)
    address = url(EXPORT) + "?kind=ngo"
    assert "taking longer than usual" not in html(client.get(address))
    jobs().update(enqueued_at=timezone.now() - timedelta(minutes=6))
    page = html(client.get(address))
    assert PREPARING["en"] in page and "It is taking longer than usual" in page


@pytest.mark.django_db
def test_an_export_past_the_row_limit_is_refused(client, large, settings):
    settings.EXPORT_MAX_ROWS = 4
    ngos(5)
    address = url(EXPORT, "fr") + "?kind=ngo"
    client.get(address)
    prepare_export.call(ExportFile.objects.get().pk)
    page = html(client.get(address))
    assert "Cet export est trop volumineux" in page
    assert "plus de 4 lignes" in page
    assert "http-equiv" not in page
    assert ExportFile.objects.get().file == ""


@pytest.mark.django_db
def test_expired_export_files_are_deleted_hourly_with_their_rows(client, large):
    ngos(5)
    client.get(url(EXPORT) + "?kind=ngo")
    client.get(url(EXPORT, "fr") + "?kind=ngo")
    old, new = ExportFile.objects.order_by("language")  # en, fr
    for export in (old, new):
        prepare_export.call(export.pk)
        export.refresh_from_db()
        assert default_storage.exists(export.file)
    ExportFile.objects.filter(pk=old.pk).update(expires=timezone.now() - timedelta(minutes=1))

    assert delete_expired_exports.call() == {"deleted": 1}
    assert not default_storage.exists(old.file)
    assert default_storage.exists(new.file)
    assert list(ExportFile.objects.all()) == [new]
    assert schedule.SCHEDULES[delete_expired_exports.module_path].every == timedelta(hours=1)


@pytest.mark.django_db
def test_an_expired_export_asked_for_again_is_prepared_again(client, large):
    ngos(5)
    address = url(EXPORT) + "?kind=ngo"
    client.get(address)
    export = ExportFile.objects.get()
    prepare_export.call(export.pk)
    ExportFile.objects.update(expires=timezone.now() - timedelta(minutes=1))
    assert PREPARING["en"] in html(client.get(address))
    assert ExportFile.objects.get().pk != export.pk and jobs().count() == 2


@pytest.mark.django_db
def test_a_file_gone_from_storage_is_prepared_again(client, large):
    ngos(5)
    address = url(EXPORT) + "?kind=ngo"
    client.get(address)
    prepare_export.call(ExportFile.objects.get().pk)
    default_storage.delete(ExportFile.objects.get().file)
    assert PREPARING["en"] in html(client.get(address))


@pytest.mark.django_db
def test_the_page_runs_as_many_queries_with_ten_times_the_rows(client, large, settings):
    settings.EXPORT_FRESH_SECONDS = 0  # each version of the data its own file

    def first_and_second_requests():
        address = url(EXPORT) + "?kind=ngo"
        return (
            count_queries(lambda: client.get(address)),
            count_queries(lambda: client.get(address)),
        )

    ngos(5)
    few = first_and_second_requests()
    ngos(45)  # a new version of the data: a new export
    assert first_and_second_requests() == few
    assert ExportFile.objects.count() == 2


@pytest.mark.django_db
def test_a_stored_file_has_a_name_nobody_can_guess(client, large, settings):
    """Named by a hash keyed with SECRET_KEY: the same export under another key is
    another name."""
    ngos(5)
    client.get(url(EXPORT) + "?kind=ngo")
    first = ExportFile.objects.get().key
    ExportFile.objects.all().delete()
    settings.SECRET_KEY = "another secret key, long enough to be one for this test"
    client.get(url(EXPORT) + "?kind=ngo")
    assert len(first) == 64 and ExportFile.objects.get().key != first


@pytest.mark.django_db
def test_the_list_links_its_export_for_the_browser_to_open(client):
    """Not a `download` link: a large export's page would be saved as the CSV file. A
    small export comes as an attachment, downloaded all the same."""
    ngos(1)
    page = html(client.get(url("members:organization-list") + "?kind=ngo"))
    link = re.search(r'<a href="/en/organizations/export\.csv\?kind=ngo"[^>]*>', page)
    assert link and "download" not in link[0]


@pytest.mark.django_db
def test_past_the_exports_under_way_a_new_one_is_asked_to_come_back(client, large, monkeypatch):
    monkeypatch.setattr(export_files, "MOST_AT_ONCE", 1)
    ngos(5)
    client.get(url(EXPORT) + "?kind=ngo")
    for language, words in (("en", "Many exports are being prepared"), ("fr", "De nombreux")):
        response = client.get(url(EXPORT, language) + "?kind=ngo&sort=-updated")
        assert response.status_code == 503 and response["Retry-After"] == "60"
        assert words in response.content.decode()
        assert '<meta http-equiv="refresh" content="60">' in response.content.decode()
    assert jobs().count() == 1
    jobs().update(status=TaskResultStatus.SUCCESSFUL)  # the first is done: room for another
    assert PREPARING["en"] in html(client.get(url(EXPORT) + "?kind=ngo&sort=-updated"))
    assert jobs().count() == 2


@pytest.mark.django_db
def test_an_edit_after_a_file_was_made_serves_it_for_a_while_rather_than_start_again(
    client, large, settings
):
    """Staff edit all day: a file made in the last EXPORT_FRESH_SECONDS answers the same
    export after an edit (its Last-Modified says when it was made), instead of a job per
    edit; past that time, the export is prepared again with the edit in it."""
    settings.EXPORT_FRESH_SECONDS = 300
    first = ngos(5)
    address = url(EXPORT) + "?kind=ngo"
    client.get(address)
    prepare_export.call(ExportFile.objects.get().pk)
    made = content(client.get(address))
    first[0].name_en = "Renamed by staff"
    first[0].save()  # a new version of the data
    response = client.get(address)
    assert isinstance(response, FileResponse) and content(response) == made
    assert "Renamed by staff" not in made.decode("utf-8-sig")
    assert response["Last-Modified"]
    assert jobs().count() == 1  # no new job for the edit
    ExportFile.objects.update(created=timezone.now() - timedelta(seconds=301))
    assert PREPARING["en"] in html(client.get(address))
    assert jobs().count() == 2
    prepare_export.call(ExportFile.objects.order_by("-pk").first().pk)
    assert "Renamed by staff" in content(client.get(address)).decode("utf-8-sig")


@pytest.mark.django_db
def test_past_the_exports_under_way_an_older_file_of_the_export_is_sent(
    client, large, monkeypatch, settings
):
    """Rather than "come back in a minute": the export's latest file, with when it was
    made; an export with no file yet still gets the page."""
    monkeypatch.setattr(export_files, "MOST_AT_ONCE", 1)
    settings.EXPORT_FRESH_SECONDS = 0
    ngos(5)
    address = url(EXPORT) + "?kind=ngo"
    client.get(address)
    prepare_export.call(ExportFile.objects.get().pk)
    made = content(client.get(address))
    client.get(url(EXPORT) + "?kind=ngo&sort=-updated")  # another export: one under way
    ngos(1)  # a new version of the data
    response = client.get(address)
    assert isinstance(response, FileResponse) and content(response) == made
    assert response["Last-Modified"]
    assert client.get(url(EXPORT, "fr") + "?kind=ngo").status_code == 503  # no file yet


@pytest.mark.django_db
def test_a_queue_of_exports_delays_no_other_job(client, large):
    """Exports come after every other kind of job: the worker takes a job queued after
    them first (django_tasks_db's order: priority, then when it may run)."""
    from ecosystem.core.warm import warm_shared_pages

    ngos(5)
    client.get(url(EXPORT) + "?kind=ngo")
    other = warm_shared_pages.enqueue()
    assert str(DBTaskResult.objects.ready().first().id) == str(other.id)
    assert jobs().get().priority < other.task.priority


@pytest.mark.django_db
def test_an_edit_while_a_file_is_being_prepared_starts_no_second_job(client, large, settings):
    """Staff edit every few seconds while a large export is written: the address follows
    the job already under way (the file then serves the later versions a while, as a
    file just made does) rather than queue one job per edit."""
    settings.EXPORT_FRESH_SECONDS = 300
    first = ngos(5)
    address = url(EXPORT) + "?kind=ngo"
    assert PREPARING["en"] in html(client.get(address))
    for n in range(3):
        first[n].name_en = f"Edit {n}"
        first[n].save()  # a new version of the data
        assert PREPARING["en"] in html(client.get(address))
    assert jobs().count() == 1
    prepare_export.call(ExportFile.objects.get().pk)
    response = client.get(address)
    assert isinstance(response, FileResponse) and response["Last-Modified"]
    # Past the fresh window, a new version is prepared again.
    ExportFile.objects.update(created=timezone.now() - timedelta(seconds=301))
    assert PREPARING["en"] in html(client.get(address))
    assert jobs().count() == 2
