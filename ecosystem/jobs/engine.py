"""A job is a task of Django's tasks API with the directory's rules around it:

- it runs inside one transaction (`atomic=False` for a job that only reads the database
  and writes files: on SQLite a long transaction would hold every writer back), so a job
  stopped half-way, by an error, its time limit or a killed worker, has written nothing;
- it runs at most `time_limit` seconds (settings.JOB_TIME_LIMIT unless it says): past it
  the worker stops it, the transaction is rolled back and the job is marked failed,
  without another attempt (it would be stopped again);
- it is tried `attempts` times in all (settings.JOB_ATTEMPTS) when it raises or its
  worker is lost, then left failed for staff to see (the dashboard counts it);
- it may call `progress(done, total)`, which staff see in the admin while it runs.

    from ecosystem.jobs.engine import job, progress

    @job(title=_("Rebuild the open dataset"))
    def rebuild_dataset():
        ...

    rebuild_dataset.enqueue()   # returns at once; a worker runs it

Arguments must be JSON values (ids, not model instances)."""

import contextlib
import functools
import signal
import threading
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils.module_loading import import_string
from django_tasks import task


class TimeLimitExceeded(Exception):
    """A job ran past its time limit and was stopped."""


class WorkerLost(Exception):
    """The worker running a job stopped (killed, or its machine lost) before the job ended."""


@dataclass(frozen=True)
class Rules:
    title: str
    time_limit: float | None
    attempts: int | None

    def limit(self):
        return self.time_limit or settings.JOB_TIME_LIMIT

    def tries(self):
        return self.attempts or settings.JOB_ATTEMPTS


# Each job's rules, by the task's module path (what django_tasks_db stores per row).
RULES = {}


def rules(task_path):
    """A job's rules (importing its module declares them); a task declared with
    django_tasks' own @task, or one whose code is gone, gets the defaults."""
    if task_path not in RULES:
        with contextlib.suppress(ImportError):
            import_string(task_path)
    return RULES.get(task_path) or Rules(task_path.rsplit(".", 1)[-1], None, None)


def job(function=None, *, title=None, time_limit=None, attempts=None, atomic=True, **options):
    """@job or @job(title=..., time_limit=seconds, attempts=n, atomic=True, priority=...,
    queue_name=...): a task with the rules above. Options go to django_tasks' @task."""

    def declare(function):
        @functools.wraps(function)
        def run(*args, **kwargs):
            limit = rules(declared.module_path).limit()
            with time_limited(limit), transaction.atomic() if atomic else contextlib.nullcontext():
                if atomic:
                    bound_queries(limit)
                return function(*args, **kwargs)

        declared = task(**options)(run)
        RULES[declared.module_path] = Rules(title or function.__name__, time_limit, attempts)
        return declared

    return declare(function) if function else declare


def bound_queries(seconds):
    """A signal cannot stop a query under way: PostgreSQL stops the job's queries itself
    at the same limit (for this transaction only)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('statement_timeout', %s, true)", [str(int(seconds * 1000))]
            )


@contextlib.contextmanager
def time_limited(seconds):
    """Raise TimeLimitExceeded in the job after `seconds`. A signal can interrupt only
    the main thread (the worker's; a test's): elsewhere the job runs unbounded."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise TimeLimitExceeded(f"stopped after its time limit of {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# The job the worker is running (worker.Run), for progress().
current = ContextVar("current_job", default=None)


def progress(done, total=None):
    """Say how far the running job is: `done` of `total` items. Costs nothing outside a
    worker (a job run in a test or a shell) and is written at most once a second."""
    run = current.get()
    if run is not None:
        run.report(done, total)
