"""The worker: django_tasks_db's, with the directory's rules (engine.py) around each job.

Between jobs, every few seconds, it ticks the scheduler (schedule.py) and looks for lost
jobs: a row still "running" well past its job's time limit belongs to a worker that
died (the worker stops its own jobs at the limit), so it is queued again, or left
failed after its last attempt. The database already rolled back what the lost job had
written (its transaction never committed)."""

import logging
import time
from datetime import timedelta

from django.db import close_old_connections, connections
from django.db.utils import DatabaseError, OperationalError
from django.utils import timezone, translation
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from ecosystem.jobs import engine, schedule
from ecosystem.jobs.models import JobProgress

logger = logging.getLogger("ecosystem.job")

# How often a worker ticks the scheduler and looks for lost jobs, in seconds.
UPKEEP_EVERY = 5
# How often a job's progress is written, at most, in seconds.
PROGRESS_EVERY = 1.0


def lost_after(limit):
    """How long past its start a running job is taken for lost: its time limit and a
    margin for the worker to record the stop."""
    return timedelta(seconds=limit * 1.1 + 5)


def retry_delay(attempt):
    return timedelta(seconds=30 * attempt)


class Run:
    """The job a worker runs: its progress, written on a connection of the worker's own,
    so that staff see it while the job's transaction is open (on PostgreSQL; SQLite
    holds other writers back while a transaction writes: there the progress shows
    between the job's own writes, and when it ends)."""

    def __init__(self, result_id):
        self.result_id = result_id
        self.last = None
        self.written_at = 0.0

    def report(self, done, total):
        self.last = (done, total)
        if time.monotonic() - self.written_at >= PROGRESS_EVERY:
            self.written_at = time.monotonic()
            self.write(side_connection())

    def write(self, connection):
        if self.last is None:
            return
        done, total = self.last
        field = JobProgress._meta.pk
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {JobProgress._meta.db_table}"
                    " (task_result_id, done, total, updated) VALUES (%s, %s, %s, %s)"
                    " ON CONFLICT (task_result_id) DO UPDATE SET"
                    " done = excluded.done, total = excluded.total, updated = excluded.updated",
                    [
                        field.get_db_prep_value(self.result_id, connection),
                        done,
                        total,
                        JobProgress._meta.get_field("updated").get_db_prep_value(
                            timezone.now(), connection
                        ),
                    ],
                )
        except DatabaseError:
            # Progress is for show: a locked database skips a report, never the job; a
            # broken connection is opened again at the next.
            logger.debug("progress of job %s not written", self.result_id)
            if connection.alias == SIDE:
                connection.close()


SIDE = "job-progress"
_side = {}


def side_connection():
    """A second connection to the default database, in autocommit, quick to give up."""
    if SIDE not in _side:
        settings_dict = {**connections["default"].settings_dict}
        if settings_dict["ENGINE"].endswith("sqlite3"):
            settings_dict["OPTIONS"] = {**settings_dict.get("OPTIONS", {}), "timeout": 0.05}
        _side[SIDE] = connections["default"].__class__(settings_dict, alias=SIDE)
    return _side[SIDE]


def log(level, message, result, **fields):
    with translation.override("en"):  # logs are read in one language
        name = str(engine.rules(result.task_path).title)
    logger.log(
        level,
        message,
        name,
        result.id,
        extra={"job_id": str(result.id), "job": result.task_path, **fields},
    )


def recover_lost(now=None):
    """Queue again (or fail, after the last attempt) the running jobs whose worker died."""
    now = now or timezone.now()
    for row in DBTaskResult.objects.running().only("id", "task_path", "started_at", "worker_ids"):
        rules = engine.rules(row.task_path)
        if row.started_at + lost_after(rules.limit()) > now:
            continue
        attempt = len(row.worker_ids)
        final = attempt >= rules.tries()
        changed = DBTaskResult.objects.filter(
            pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
        ).update(
            status=TaskResultStatus.FAILED if final else TaskResultStatus.READY,
            finished_at=now if final else None,
            run_after=now,
            exception_class_path=f"{engine.WorkerLost.__module__}.WorkerLost",
            traceback=(
                f"WorkerLost: the worker running attempt {attempt} stopped before the job "
                f"ended (started {row.started_at:%Y-%m-%d %H:%M:%S} UTC); nothing it wrote "
                "was kept.\n"
            ),
        )
        if changed:  # else another worker recovered it first
            outcome = "lost, failed" if final else "lost, queued again"
            log(logging.ERROR, "job %s (%s) " + outcome, row, attempt=attempt, outcome=outcome)


class Worker(db_worker.Worker):
    """django_tasks_db's loop, written again to tick the scheduler and recover lost jobs
    between jobs (it has no hook for them); claiming and running are its own."""

    upkept_at = 0.0

    def run(self):
        logger.info("worker %s started, queues %s", self.worker_id, ",".join(self.queue_names))
        while self.running:
            close_old_connections()
            self.upkeep()
            result, retrieved = self.claim()
            if result is not None:
                self.run_task(result)
            elif self.batch and retrieved:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            close_old_connections()
            if self.running and result is None:
                time.sleep(self.interval)

    def upkeep(self):
        if time.monotonic() - self.upkept_at < UPKEEP_EVERY:
            return
        self.upkept_at = time.monotonic()
        try:
            recover_lost()
            schedule.tick()
        except OperationalError as error:
            if not is_locked_database_exception(error):
                raise

    def claim(self):
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        # SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL: workers on any number of
        # machines each take a different row; SQLite takes the whole database instead.
        with exclusive_transaction(tasks.db):
            try:
                result = tasks.get_locked()
                if result is not None:
                    result.claim(self.worker_id)
            except OperationalError as error:
                if is_locked_database_exception(error):
                    return None, False
                raise
        return result, True

    def run_task(self, result):
        attempt = len(result.worker_ids)
        rules = engine.rules(result.task_path)
        log(logging.INFO, "job %s (%s) started", result, attempt=attempt)
        run = Run(result.pk)
        token = engine.current.set(run)
        start = time.perf_counter()
        try:
            super().run_task(result)
        finally:
            engine.current.reset(token)
        run.write(connections["default"])
        duration = round((time.perf_counter() - start) * 1000, 1)
        if result.status == TaskResultStatus.SUCCESSFUL:
            outcome, level = "succeeded", logging.INFO
        elif attempt < rules.tries() and not result.exception_class_path.endswith(
            ".TimeLimitExceeded"
        ):
            DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.FAILED).update(
                status=TaskResultStatus.READY,
                finished_at=None,
                run_after=timezone.now() + retry_delay(attempt),
            )
            outcome, level = "failed, queued again", logging.WARNING
        else:
            outcome, level = "failed", logging.ERROR
        log(
            level,
            "job %s (%s) " + outcome,
            result,
            attempt=attempt,
            duration_ms=duration,
            outcome=outcome,
        )
