"""Large admin imports run as jobs: past IMPORT_IN_REQUEST_MAX_ROWS the preview and the
write are jobs, with their progress on the import page, and the same records written as
in the request. And the housekeeping jobs: the open dataset rebuilt whole, import files
nobody confirmed removed, old job rows deleted, each on a schedule."""

import csv
import io
import os
import sqlite3
import time
from contextlib import closing
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection, connections, transaction
from django.utils import timezone, translation
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ecosystem.core.models import Country
from ecosystem.core.registry import registry
from ecosystem.jobs.models import JobProgress, ScheduledRun
from ecosystem.jobs.schedule import SCHEDULES
from ecosystem.opendata import admin_import, dataset, housekeeping, imports
from members.models import Organization
from tests import factories
from tests.helpers import database_rows, html, run_jobs
from tests.test_jobs import worker, worker_db  # noqa: F401  (a fixture)

HEADER = ["Name", "Headquarters city", "Country codes", "Sectors", "Summary"]


def content(rows):
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *rows])
    return out.getvalue().encode()


def pousses(count):
    return content([[f"Pousse {n}", "Dakar", "SN", "Agritech", f"SME {n}."] for n in range(count)])


@pytest.fixture
def waiting(tmp_path, monkeypatch):
    folder = tmp_path / "ecosystem-imports"
    monkeypatch.setattr(admin_import, "WAITING", folder)
    return folder


@pytest.fixture
def publisher(client, django_user_model, waiting):
    user = django_user_model.objects.create_user("pub", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Publisher"))
    client.force_login(user)
    return client


@pytest.fixture
def directory(db):
    factories.CountryFactory(code="SN")
    factories.SectorFactory(slug="agritech", name_en="Agritech", name_fr="Agritech")


def upload(client, name, data, language="en", record_type="smes"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(
        "/admin/import/", {"record_type": record_type, "file": file}, HTTP_ACCEPT_LANGUAGE=language
    )


def page(client, language="en"):
    return client.get("/admin/import/", HTTP_ACCEPT_LANGUAGE=language)


# The page while a job runs ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "queued", "preparing", "importing"),
    [
        (
            "en",
            "Waiting for a worker to start.",
            "Preparing the preview: 300 of 4,000 rows.",
            "Importing: 1,200 of 4,000 rows.",
        ),
        (
            "fr",
            "En attente d’un processus de travail.",
            "Préparation de l’aperçu : 300 lignes sur 4\xa0000.",
            "Import en cours : 1\xa0200 lignes sur 4\xa0000.",
        ),
    ],
)
def test_a_file_past_the_threshold_shows_its_progress_then_its_preview(
    publisher, directory, settings, language, queued, preparing, importing
):
    settings.IMPORT_IN_REQUEST_MAX_ROWS = 3
    response = upload(publisher, "pousses.csv", pousses(5), language)
    assert response.status_code == 302 and response["Location"] == "/admin/import/"
    text = html(page(publisher, language))
    assert queued in text and '<meta http-equiv="refresh" content="3">' in text
    preview = DBTaskResult.objects.get()
    DBTaskResult.objects.filter(pk=preview.pk).update(status=TaskResultStatus.RUNNING)
    JobProgress.objects.create(task_result=preview, done=300, total=4000, updated=timezone.now())
    text = html(page(publisher, language))
    assert preparing in text and queued not in text and 'name="confirm"' not in text
    assert '<meta http-equiv="refresh"' in text

    DBTaskResult.objects.update(status=TaskResultStatus.READY)  # for run_jobs()
    run_jobs()
    text = html(page(publisher, language))
    assert ("5 to create" if language == "en" else "5 à créer") in text
    assert "Pousse 4" in text and 'name="confirm"' in text and "refresh" not in text
    assert not Organization.objects.exists()

    assert publisher.post("/admin/import/", {"confirm": "1"}).status_code == 302
    applying = DBTaskResult.objects.exclude(pk=preview.pk).get()
    DBTaskResult.objects.filter(pk=applying.pk).update(status=TaskResultStatus.RUNNING)
    JobProgress.objects.create(task_result=applying, done=1200, total=4000, updated=timezone.now())
    assert importing in html(page(publisher, language))
    DBTaskResult.objects.filter(pk=applying.pk).update(status=TaskResultStatus.READY)
    run_jobs()
    done = page(publisher, language)
    assert done.status_code == 302 and done["Location"].endswith("/organization/")
    message = publisher.get(done["Location"], HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert ("5 created" if language == "en" else "5 créées") in message
    assert Organization.objects.count() == 5


def test_a_small_file_is_still_previewed_in_the_request(publisher, directory, settings):
    settings.IMPORT_IN_REQUEST_MAX_ROWS = 3
    assert 'name="confirm"' in html(upload(publisher, "pousses.csv", pousses(3)))
    assert not DBTaskResult.objects.exists()


# The same records, whichever runs the import ---------------------------------------------


def written():
    """What an import wrote, as values: the records, their links, sources and history."""
    return sorted(
        (
            o.slug,
            o.name_en,
            o.publication_status,
            o.summary_en,
            tuple(o.countries.values_list("code", flat=True)),
            tuple(o.sectors.values_list("slug", flat=True)),
            tuple(o.sources.values_list("title", flat=True)),
            tuple(o.history.values_list("history_type", "history_change_reason", "history_user")),
        )
        for o in Organization.objects.all()
    )


def test_a_worker_previews_and_imports_a_large_file_as_the_request_would(
    worker_db,  # noqa: F811  (the fixture)
    client,
    django_user_model,
    settings,
    tmp_path,
    monkeypatch,
):
    alias, url = worker_db
    factories.CountryFactory(code="SN")
    factories.SectorFactory(slug="agritech", name_en="Agritech", name_fr="Agritech")
    existing = factories.OrganizationFactory(
        slug="pousse-2",
        name_en="Pousse 2",
        name_fr="Pousse 2",
        kind="sme",
        summary_en="Staff wrote this.",
    )
    existing.countries.set(Country.objects.all())
    user = django_user_model.objects.create_superuser("staff", "staff@example.org", "pw")
    client.force_login(user)
    folder = tmp_path / "ecosystem-imports"  # where the worker finds it: $TMPDIR
    monkeypatch.setattr(admin_import, "WAITING", folder)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setenv("DATASET_DIR", str(tmp_path / "dataset"))
    # The schedules' slots are taken: the worker runs the import's jobs only.
    for schedule in SCHEDULES.values():
        ScheduledRun.objects.create(job=schedule.name, slot=schedule.slot(timezone.now()))
    rows = [[f"Pousse {n}", "Dakar", "SN", "Agritech", ""] for n in range(8)]
    rows[2][4] = ""  # an empty cell never blanks what staff wrote
    data = content(rows)

    with transaction.atomic():  # in the request, then rolled back
        settings.IMPORT_IN_REQUEST_MAX_ROWS = 500
        assert 'name="confirm"' in html(upload(client, "pousses.csv", data))
        assert client.post("/admin/import/", {"confirm": "1"}).status_code == 302
        in_request = written()
        transaction.set_rollback(True)
    assert Organization.objects.get() == existing

    settings.IMPORT_IN_REQUEST_MAX_ROWS = 3
    assert upload(client, "pousses.csv", data).status_code == 302
    assert "Preparing the preview" in html(page(client))
    run_worker(alias, url)
    text = html(page(client))
    print(text[text.find('id="content-main"') :][:3000])
    print(DBTaskResult.objects.values_list("status", "return_value", "traceback"))
    assert "7 to create, 1 to update, 0 unchanged" in text.replace("\n", " ")
    assert client.post("/admin/import/", {"confirm": "1"}).status_code == 302
    assert "Importing" in html(page(client))
    run_worker(alias, url)
    assert page(client).status_code == 302
    assert written() == in_request
    assert Organization.objects.get(slug="pousse-2").summary_en == "Staff wrote this."
    assert not any(folder.iterdir())
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 2


def run_worker(alias, url):
    """A worker process runs the queued jobs. On SQLite it reads a file copy of the test's
    database (tests/test_jobs.py): the test's data goes to it, and comes back."""
    path = connections[alias].settings_dict["NAME"]
    if connection.vendor == "sqlite":
        with closing(sqlite3.connect(path)) as copy:
            connection.connection.backup(copy)
    assert worker(url, "--batch").wait(timeout=120) == 0
    if connection.vendor == "sqlite":
        with closing(sqlite3.connect(path)) as copy:
            copy.backup(connection.connection)


# Failures ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Nothing was imported: the job stopped before its end (RuntimeError: "),
        ("fr", "Rien n’a été importé : la tâche s’est arrêtée avant sa fin (RuntimeError: "),
    ],
)
def test_a_write_that_fails_halfway_in_its_job_applies_nothing_and_says_so(
    publisher, directory, settings, monkeypatch, language, message
):
    settings.IMPORT_IN_REQUEST_MAX_ROWS = 3
    upload(publisher, "pousses.csv", pousses(600), language)
    run_jobs()
    assert 'name="confirm"' in html(page(publisher, language))
    batch = imports.create_batch

    def fails_after_writing(*args, **kwargs):
        batch(*args, **kwargs)
        assert Organization.objects.exists()  # the first batch of 500 was written
        raise RuntimeError("the database went away")

    monkeypatch.setattr(imports, "create_batch", fails_after_writing)
    publisher.post("/admin/import/", {"confirm": "1"})
    before = database_rows()
    run_jobs()
    assert not Organization.objects.exists()
    after = database_rows()
    for rows in (before, after):
        for table in ("django_tasks_database_dbtaskresult", "django_session"):
            rows.pop(table, None)
    assert after == before
    response = page(publisher, language)
    assert response.status_code == 302
    text = html(publisher.get(response["Location"], HTTP_ACCEPT_LANGUAGE=language))
    assert message in text and "the database went away" in text
    assert 'type="file"' in text  # the form, to upload it again


def test_a_row_found_wrong_when_the_job_writes_is_named_and_nothing_written(
    publisher, directory, settings
):
    """The data changed between the preview and the confirmation."""
    settings.IMPORT_IN_REQUEST_MAX_ROWS = 3
    upload(publisher, "pousses.csv", pousses(5))
    run_jobs()
    publisher.post("/admin/import/", {"confirm": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    for n in (1, 2):  # two SMEs of row 4's name now: which one does it mean?
        twin = factories.OrganizationFactory(slug=f"twin-{n}", name_en="Pousse 2", kind="sme")
        twin.countries.set(Country.objects.filter(code="SN"))
    run_jobs()
    text = html(page(publisher))
    print(text[text.find('id="content-main"') :][:3000])
    assert "Row 4, column “Name”: several records are named “Pousse 2”" in text
    assert 'name="confirm"' not in text
    assert (
        not Organization.objects.filter(name_en__startswith="Pousse ")
        .exclude(slug__startswith="twin-")
        .exists()
    )


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            "The file has more than 50,000 rows. Split it into files of 50,000 rows and "
            "5.0\xa0MB at most, or ask an operator",
        ),
        (
            "fr",
            "Le fichier a plus de 50\xa0000 lignes. Coupez-le en fichiers d’au plus "
            "50\xa0000 lignes et 5,0\xa0Mio",
        ),
    ],
)
def test_a_file_past_the_admins_row_limit_is_refused_by_its_job_with_what_to_do(
    publisher, settings, language, message
):
    data = ("Name\n" + "".join(f"P {n}\n" for n in range(50_001))).encode()
    started = time.perf_counter()
    assert upload(publisher, "pousses.csv", data, language).status_code == 302
    assert time.perf_counter() - started < 5
    run_jobs()
    response = page(publisher, language)
    text = html(publisher.get(response["Location"], HTTP_ACCEPT_LANGUAGE=language))
    assert message in text and "import_records" in text
    assert not Organization.objects.exists()


def test_a_file_that_cannot_be_read_says_so_at_once(publisher, settings):
    settings.IMPORT_IN_REQUEST_MAX_ROWS = 3
    text = html(upload(publisher, "pousses.csv", b"\xff\xfe\x00bad"))
    assert "A CSV file must be saved as UTF-8." in text
    assert not DBTaskResult.objects.exists()


# Housekeeping ----------------------------------------------------------------------------


def test_the_housekeeping_jobs_are_scheduled():
    with translation.override("en"):
        when = {name: schedule.when for name, schedule in SCHEDULES.items()}
    assert when["ecosystem.opendata.housekeeping.rebuild_dataset"] == "every day at 02:00"
    assert when["ecosystem.opendata.housekeeping.delete_old_jobs"] == "every day at 04:00"
    assert when["ecosystem.opendata.housekeeping.remove_expired_imports"] == "every hour"
    assert "ecosystem.core.counts.recount_all" in when


def test_the_dataset_is_rebuilt_whole_then_put_in_place_at_once(
    world, settings, tmp_path, monkeypatch
):
    target = tmp_path / "dataset"
    settings.DATASET_DIR = target
    target.mkdir()
    (target / "stale.csv").write_text("exported by hand")
    # A CSV and a JSON file per list, the files apps add (IATI XML), the README.
    files = 2 * len(dataset.datasets()) + len(registry.dataset_files) + 1
    assert housekeeping.rebuild_dataset.call()["files"] == files
    assert target.is_symlink() and (target / "README.md").exists()
    assert not (target / "stale.csv").exists()
    first = os.path.realpath(target)
    assert "| `programmes.json` | 4 |" in (target / "README.md").read_text()

    export = dataset.export

    def fails_half_way(directory, *args, **kwargs):
        export(directory, *args, **kwargs)
        os.remove(os.path.join(directory, "programmes.json"))
        raise OSError("disk full")

    monkeypatch.setattr(dataset, "export", fails_half_way)
    with pytest.raises(OSError, match="disk full"):
        housekeeping.rebuild_dataset.call()
    assert os.path.realpath(target) == first and (target / "programmes.json").exists()
    monkeypatch.setattr(dataset, "export", export)
    housekeeping.rebuild_dataset.call()
    assert os.path.realpath(target) != first and (target / "programmes.json").exists()
    # One copy is left: the one the link names.
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".dataset")] == [
        os.path.basename(os.path.realpath(target))
    ]


def test_import_files_nobody_confirmed_are_removed_after_a_day(publisher, waiting):
    waiting.mkdir(mode=0o700)
    old, recent = waiting / "abandoned", waiting / "someone-elses"
    for path in (old, recent):
        path.write_bytes(b"Name\nx\n")
    day_and_a_bit = time.time() - admin_import.KEEP_WAITING.total_seconds() - 60
    os.utime(old, (day_and_a_bit, day_and_a_bit))
    assert housekeeping.remove_expired_imports.call() == {"removed": 1}
    assert {path.name for path in waiting.iterdir()} == {"someone-elses"}


def test_job_rows_finished_more_than_30_days_ago_are_deleted(db):
    now = timezone.now()
    rows = {}
    for name, status, days in [
        ("old success", TaskResultStatus.SUCCESSFUL, 31),
        ("old failure", TaskResultStatus.FAILED, 31),
        ("recent success", TaskResultStatus.SUCCESSFUL, 29),
        ("recent failure", TaskResultStatus.FAILED, 2),
        ("running", TaskResultStatus.RUNNING, None),
    ]:
        row = housekeeping.remove_expired_imports.enqueue()
        DBTaskResult.objects.filter(pk=row.id).update(
            status=status, finished_at=now - timedelta(days=days) if days else None
        )
        rows[name] = str(row.id)
    JobProgress.objects.create(task_result_id=rows["old success"], done=1, updated=now)
    job = "ecosystem.opendata.housekeeping.remove_expired_imports"
    monthly = "a job that ran long ago"
    for name, days in [(job, 40), (job, 35), (job, 1), (monthly, 60)]:
        ScheduledRun.objects.create(job=name, slot=datetime.now(UTC) - timedelta(days=days))
    housekeeping.delete_old_jobs.call()
    left = {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)}
    assert left == {rows["recent success"], rows["recent failure"], rows["running"]}
    assert not JobProgress.objects.exists()
    slots = sorted(
        (run.job, round((now - run.slot) / timedelta(days=1))) for run in ScheduledRun.objects.all()
    )
    assert slots == [(monthly, 60), (job, 1)]  # each job's last slot stays
