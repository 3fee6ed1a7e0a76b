"""Jobs that run by themselves: a schedule declared in code, beside the job.

    scheduled(recount_job, at="03:30")                  # every day at 03:30, Dakar time
    scheduled(check_links, every=timedelta(hours=1))    # at each whole hour (UTC)

Time is cut into slots (each day at that time; each interval counted from 1970), and a
job runs once per slot. Every worker ticks (worker.py): for each schedule whose current
slot has no run yet, it inserts the slot's row (ScheduledRun, unique per job and slot)
and enqueues the job in the same transaction. Of several workers, on one machine or
many, only one insert succeeds; the others meet the unique constraint and enqueue
nothing. A slot missed while no worker ran is run once when one starts (the latest
slot only, not every one missed). A job whose previous run is still queued or running
is not enqueued again: its slot is taken by the next tick after that run ends."""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django_tasks import TaskResultStatus

from ecosystem.jobs.engine import rules
from ecosystem.jobs.models import ScheduledRun


@dataclass(frozen=True)
class Schedule:
    task: object
    every: timedelta | None = None
    at: time | None = None

    @property
    def name(self):
        return self.task.module_path

    @property
    def title(self):
        return rules(self.name).title

    @property
    def when(self):
        """ "every day at 03:30", "every 2 hours", in the active language."""
        if self.at:
            return gettext("every day at %(time)s") % {"time": self.at.strftime("%H:%M")}
        seconds = int(self.every.total_seconds())
        if seconds % 3600 == 0:
            count = seconds // 3600
            return ngettext("every hour", "every %(count)s hours", count) % {"count": count}
        if seconds % 60 == 0:
            count = seconds // 60
            return ngettext("every minute", "every %(count)s minutes", count) % {"count": count}
        return ngettext("every second", "every %(count)s seconds", seconds) % {"count": seconds}

    def slot(self, now):
        """The start of the slot `now` is in."""
        if self.every:
            step = self.every.total_seconds()
            return datetime.fromtimestamp(now.timestamp() // step * step, UTC)
        local = timezone.localtime(now)
        start = timezone.make_aware(datetime.combine(local.date(), self.at))
        return start if start <= now else start - timedelta(days=1)

    def following(self, slot):
        """The start of the slot after `slot`."""
        if self.every:
            return slot + self.every
        day = timezone.localtime(slot).date() + timedelta(days=1)
        return timezone.make_aware(datetime.combine(day, self.at))


SCHEDULES = {}


def scheduled(task, *, every=None, at=None):
    """Run `task` (a @job taking no argument) every `every` (a timedelta) or each day
    at `at` ("HH:MM" in TIME_ZONE). Declare it where the job is, in a module the site
    imports at start (models, or an app's ready())."""
    if (every is None) == (at is None):
        raise ValueError("A schedule takes either every= or at=.")
    if isinstance(at, str):
        at = time.fromisoformat(at)
    schedule = Schedule(task, every, at)
    SCHEDULES[schedule.name] = schedule
    return schedule


UNFINISHED = [TaskResultStatus.READY, TaskResultStatus.RUNNING]


def tick(now=None):
    """Enqueue each scheduled job whose current slot has not run; returns the schedules
    enqueued. Safe to call from any number of processes at once."""
    now = now or timezone.now()
    started = []
    for schedule in SCHEDULES.values():
        slot = schedule.slot(now)
        runs = ScheduledRun.objects.filter(job=schedule.name)
        if runs.filter(slot__gte=slot).exists():
            continue
        if runs.filter(task_result__status__in=UNFINISHED).exists():
            continue  # never twice at once
        if start(schedule, slot):
            started.append(schedule)
    return started


def start(schedule, slot):
    """Take the slot and enqueue its job, or nothing if another scheduler took it (even
    one that checked at the same time as this one: the database refuses the second row)."""
    try:
        with transaction.atomic():
            run = ScheduledRun.objects.create(job=schedule.name, slot=slot)
            run.task_result_id = schedule.task.enqueue().id
            run.save(update_fields=["task_result"])
    except IntegrityError:
        return False
    return True


def overview(now=None):
    """For staff: each schedule with its last run (its slot and job row) and the next."""
    now = now or timezone.now()
    rows = []
    # One query per schedule: the schedules are the few the code declares, their runs
    # one per slot for ever.
    for name, schedule in SCHEDULES.items():
        runs = ScheduledRun.objects.filter(job=name).select_related("task_result")
        last = runs.order_by("-slot").first()
        due = last is None or last.slot < schedule.slot(now)
        rows.append(
            {
                "schedule": schedule,
                "last": last,
                "next": now if due else schedule.following(schedule.slot(now)),
            }
        )
    return rows
