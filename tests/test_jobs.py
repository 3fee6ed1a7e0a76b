"""Jobs (ecosystem/jobs): run by a worker process the test starts, on SQLite and on
PostgreSQL; retried after their worker is killed, never half-applied; scheduled slots
run once whatever the number of workers; staff see them, Publishers retry them."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import OperationalError, connection, connections, transaction
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from ecosystem.core.models import Sector
from ecosystem.jobs import schedule
from ecosystem.jobs.engine import bound_queries
from ecosystem.jobs.models import JobProgress, ScheduledRun
from tests import jobs

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def worker_db(transactional_db, tmp_path):
    """(alias, DATABASE_URL): a database the test and its worker processes share. On
    SQLite, a file copy of the (in-memory) test database; on PostgreSQL the test
    database itself, committed to and emptied after the test."""
    if connection.vendor != "sqlite":
        s = connection.settings_dict
        yield "default", f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
        return
    path = tmp_path / "jobs.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    # An alias the test adds, connected at once: Django's test case refuses only a first
    # connection to an alias the test did not ask for.
    connections.settings["worker"] = {**connection.settings_dict, "NAME": str(path)}
    connections["worker"].connect()
    yield "worker", f"sqlite:///{path}"
    connections["worker"].close()
    del connections["worker"]
    del connections.settings["worker"]


def enqueue(alias, task, *args):
    """What task.enqueue() writes, into the shared database."""
    return DBTaskResult.objects.using(alias).create(
        args_kwargs={"args": list(args), "kwargs": {}},
        task_path=task.module_path,
        backend_name="default",
        run_after=get_date_max(),
    )


def worker(url, *options):
    # Its scheduled jobs run at its start: the nightly dataset goes to a folder of its own,
    # not the checkout's.
    dataset = tempfile.mkdtemp(prefix="worker-dataset-")
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1", "LOG_FORMAT": "json"}
    env["DATASET_DIR"] = os.path.join(dataset, "dataset")
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.1", *options],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(check, timeout=60):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError("gave up waiting")


def log_lines(process):
    return [json.loads(line) for line in process.stderr.read().splitlines() if line.startswith("{")]


def test_a_worker_process_runs_a_job_end_to_end(worker_db):
    alias, url = worker_db
    row = enqueue(alias, jobs.count_to, 5)
    process = worker(url, "--batch")
    assert process.wait(timeout=120) == 0
    row.refresh_from_db(using=alias)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == 5
    assert JobProgress.objects.using(alias).get(pk=row.pk).done == 5
    lines = [line for line in log_lines(process) if line.get("job_id") == str(row.pk)]
    assert [line.get("outcome") for line in lines] == [None, "succeeded"]
    assert lines[0]["message"].startswith("job Count to n") and lines[0]["attempt"] == 1
    assert lines[1]["duration_ms"] >= 0 and lines[1]["job"] == "tests.jobs.count_to"


def test_staff_see_a_running_jobs_progress_while_it_runs(worker_db, tmp_path):
    """Written on the worker's second connection, outside the job's open transaction.
    SQLite holds that write back while the job's transaction has read: there the
    progress shows when the job ends."""
    alias, url = worker_db
    hold = tmp_path / "hold"
    hold.touch()
    row = enqueue(alias, jobs.report_then_wait, str(hold))
    process = worker(url)
    try:
        progress = JobProgress.objects.using(alias).filter(pk=row.pk)
        if connection.vendor == "postgresql":
            wait_for(progress.exists)
            row.refresh_from_db(using=alias)
            assert row.status == TaskResultStatus.RUNNING
            assert (progress.get().done, progress.get().total) == (1, 4)
        hold.unlink()
        wait_for(lambda: progress.filter(task_result__status=TaskResultStatus.SUCCESSFUL).exists())
        assert (progress.get().done, progress.get().total) == (1, 4)
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_jobs_page_shows_progress(failed_job, staff_client):
    JobProgress.objects.create(
        task_result_id=failed_job.id, done=2500, total=10000, updated=datetime.now(UTC)
    )
    url = reverse("admin:ecosystem_job_changelist")
    english = staff_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2,500 / 10,000 (25 %)" in english
    french = staff_client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "2\N{NO-BREAK SPACE}500 / 10\N{NO-BREAK SPACE}000 (25 %)" in french


def test_a_job_whose_worker_is_killed_is_run_again_and_never_half_applied(worker_db, tmp_path):
    alias, url = worker_db
    hold = tmp_path / "hold"
    hold.touch()
    row = enqueue(alias, jobs.write_then_wait, "killed-mid-way", str(hold))
    first = worker(url)

    def running():
        row.refresh_from_db(using=alias)
        return row.status == TaskResultStatus.RUNNING

    wait_for(running)
    time.sleep(1)  # the job has written its sector, in its open transaction
    first.send_signal(signal.SIGKILL)
    first.wait()
    hold.unlink()
    assert not Sector.objects.using(alias).filter(slug="killed-mid-way").exists()

    second = worker(url)
    try:

        def done():
            row.refresh_from_db(using=alias)
            return row.status == TaskResultStatus.SUCCESSFUL

        wait_for(done)
    finally:
        second.terminate()
        second.wait(timeout=30)
    assert Sector.objects.using(alias).filter(slug="killed-mid-way").count() == 1
    assert len(row.worker_ids) == 2
    lines = [line for line in log_lines(second) if line.get("job_id") == str(row.pk)]
    outcomes = [line.get("outcome") for line in lines]
    assert outcomes == ["lost, queued again", None, "succeeded"]


def test_a_job_fails_three_times_then_stays_failed_with_its_error(worker_db, monkeypatch):
    alias, url = worker_db
    row = enqueue(alias, jobs.fail)
    for attempt in range(1, 4):
        DBTaskResult.objects.using(alias).filter(pk=row.pk).update(run_after=get_date_max())
        assert worker(url, "--batch").wait(timeout=120) == 0
        row.refresh_from_db(using=alias)
        assert len(row.worker_ids) == attempt
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "builtins.ValueError"
    assert "this job always fails" in row.traceback


def test_two_schedulers_never_run_the_same_slot(worker_db):
    alias, url = worker_db
    every_second = schedule.Schedule(jobs.count_to, every=timedelta(seconds=1))
    assert every_second.slot(datetime(2026, 1, 1, 0, 0, 1, 500, UTC)) == datetime(
        2026, 1, 1, 0, 0, 1, tzinfo=UTC
    )
    # Two workers at once, each ticking: the nightly recount's slot is started once.
    workers = [worker(url), worker(url)]
    try:
        wait_for(lambda: ScheduledRun.objects.using(alias).exists())
        time.sleep(6)  # both have ticked more than once
    finally:
        for process in workers:
            process.terminate()
            process.wait(timeout=30)
    runs = ScheduledRun.objects.using(alias).filter(job="ecosystem.core.counts.recount_all")
    assert runs.count() == 1
    recounts = DBTaskResult.objects.using(alias).filter(task_path=runs.get().task_result.task_path)
    assert recounts.count() == 1


def test_a_slot_already_taken_enqueues_nothing(db, monkeypatch):
    monkeypatch.setattr(schedule, "SCHEDULES", {})
    every_hour = schedule.scheduled(jobs.count_to, every=timedelta(hours=1))
    now = datetime(2026, 1, 1, 10, 30, tzinfo=UTC)
    assert schedule.tick(now) == [every_hour]
    DBTaskResult.objects.update(status=TaskResultStatus.SUCCESSFUL)
    assert schedule.tick(now + timedelta(minutes=20)) == []  # same slot
    assert schedule.tick(now + timedelta(minutes=40)) == [every_hour]  # 11:00's
    assert list(ScheduledRun.objects.values_list("slot__hour", flat=True).order_by("slot")) == [
        10,
        11,
    ]


def test_of_two_schedulers_taking_one_slot_at_once_one_enqueues(db):
    """Both found the slot free; the unique (job, slot) row lets one through."""
    every_hour = schedule.Schedule(jobs.count_to, every=timedelta(hours=1))
    slot = datetime(2026, 1, 1, 10, tzinfo=UTC)
    assert [schedule.start(every_hour, slot), schedule.start(every_hour, slot)] == [True, False]
    assert DBTaskResult.objects.filter(task_path=jobs.count_to.module_path).count() == 1


@pytest.fixture
def failed_job(db):
    job = jobs.fail.enqueue()
    DBTaskResult.objects.filter(pk=job.id).update(
        status=TaskResultStatus.FAILED,
        exception_class_path="builtins.ValueError",
        traceback="ValueError: this job always fails",
        worker_ids=["a", "b", "c"],
        finished_at=datetime.now(UTC),
    )
    return job


def staff(django_user_model, client, group):
    user = django_user_model.objects.create_user(group.lower(), password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "language,words",
    [
        (
            "en",
            [
                "Scheduled jobs",
                "Recount the kept counts",
                "every day at 03:30",
                "3 of 3",
                ">Failed<",
            ],
        ),
        (
            "fr",
            [
                "Tâches planifiées",
                "Recompter les comptes tenus",
                "chaque jour à 03:30",
                "3 sur 3",
                ">Échouée<",
            ],
        ),
    ],
)
def test_staff_see_the_jobs_and_the_schedule_in_their_language(
    failed_job, client, django_user_model, language, words
):
    client = staff(django_user_model, client, "Editor")
    page = client.get(reverse("admin:ecosystem_job_changelist"), HTTP_ACCEPT_LANGUAGE=language)
    text = page.content.decode()
    for word in words:
        assert word in text
    index = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert ("Jobs that failed" if language == "en" else "Tâches en échec") in index


@pytest.mark.parametrize("language,label", [("en", "traceback"), ("fr", "trace de l’erreur")])
def test_staff_read_a_failed_jobs_error(failed_job, client, django_user_model, language, label):
    client = staff(django_user_model, client, "Editor")
    url = reverse("admin:ecosystem_job_change", args=[failed_job.id])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert label in page.lower()
    assert "<pre>ValueError: this job always fails</pre>" in page


def test_a_publisher_retries_a_failed_job_and_an_editor_cannot(
    failed_job, client, django_user_model
):
    url = reverse("admin:ecosystem_job_changelist")
    form = {"action": "retry", "_selected_action": [failed_job.id]}
    editor = staff(django_user_model, client, "Editor")
    assert 'value="retry"' not in editor.get(url).content.decode()
    editor.post(url, form)
    assert DBTaskResult.objects.get(pk=failed_job.id).status == TaskResultStatus.FAILED

    publisher = staff(django_user_model, client, "Publisher")
    assert 'value="retry"' in publisher.get(url).content.decode()
    publisher.post(url, form)
    retried = DBTaskResult.objects.get(pk=failed_job.id)
    assert retried.status == TaskResultStatus.READY and retried.worker_ids == []


def test_a_job_past_its_time_limit_is_stopped_and_rolled_back(db, tmp_path):
    hold = tmp_path / "hold"
    hold.touch()
    with pytest.raises(Exception, match="time limit of 3 s"):
        jobs.write_then_wait.call("too-slow", str(hold))
    assert not Sector.objects.filter(slug="too-slow").exists()


def test_the_nightly_recount_logs_drift_and_repairs_it(db, caplog):
    from ecosystem.core.counts import HubCount, recount_all

    assert recount_all.call()["drifted"] == 0
    HubCount.objects.create(record_type="programmes", hub_kind="country", hub="ZZ", count=7)
    assert recount_all.call()["drifted"] == 1
    assert "kept counts had drifted on 1 hubs: programmes country ZZ" in caplog.text
    assert not HubCount.objects.filter(hub="ZZ").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statement_timeout")
def test_a_jobs_queries_are_bounded_by_its_time_limit_on_postgresql(db):
    """A signal cannot stop a query under way: the database does, at the job's limit."""
    started = time.monotonic()
    with pytest.raises(OperationalError, match="statement timeout"), transaction.atomic():
        bound_queries(0.5)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(5)")
    assert time.monotonic() - started < 3
