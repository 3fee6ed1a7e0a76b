"""Scheduled housekeeping: the open dataset rebuilt each night, import files nobody
confirmed removed, old job rows deleted. (The kept counts' recount is the core's:
ecosystem/core/counts.py; expired export files are removed by the exports' own job.)"""

import logging
import os
import shutil
from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.jobs.engine import job, progress
from ecosystem.jobs.models import ScheduledRun
from ecosystem.jobs.schedule import scheduled
from ecosystem.opendata import admin_import, dataset

logger = logging.getLogger("ecosystem.housekeeping")

# Finished job rows, failed ones too, are kept this long: time for staff to read an error.
KEEP_JOBS = timedelta(days=30)


def publish_dataset(target, base_url, tick=lambda: None):
    """Write the dataset beside `target`, then point `target` (a symbolic link) at it in
    one rename: a visitor reads the whole of the previous dataset or the whole of the
    new one, never half of either. The previous copy is removed once nothing points at
    it (a download under way keeps its open file). Returns {file name: records}."""
    target = os.path.abspath(target)
    parent, name = os.path.split(target)
    os.makedirs(parent, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
    fresh = os.path.join(parent, f".{name}-{stamp}")
    try:
        written = dataset.export(fresh, base_url, tick=tick)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    previous = os.path.realpath(target) if os.path.islink(target) else None
    if os.path.isdir(target) and not os.path.islink(target):
        # A folder an operator exported into by hand: set aside, then removed below.
        previous = os.path.join(parent, f".{name}-{stamp}-before")
        os.rename(target, previous)
    link = os.path.join(parent, f".{name}-{stamp}-link")
    os.symlink(os.path.basename(fresh), link)
    os.replace(link, target)  # rename(2): atomic
    if previous and previous != fresh:
        shutil.rmtree(previous, ignore_errors=True)
    return written


@job(title=_("Rebuild the open dataset"), time_limit=1800, atomic=False)
def rebuild_dataset():
    """atomic=False: it only reads the database and writes files (on SQLite a long
    transaction would hold every writer back)."""
    sets = dataset.datasets()
    total, done = dataset.count(sets), 0

    def tick():
        nonlocal done
        done += 1
        progress(done, total)

    written = publish_dataset(settings.DATASET_DIR, settings.SITE_URL, tick=tick)
    return {"files": len(written) + 1, "records": sum(written.values()) // 2}


@job(title=_("Remove import files nobody confirmed"))
def remove_expired_imports():
    return {"removed": admin_import.remove_expired()}


@job(title=_("Delete old job rows"))
def delete_old_jobs():
    """django-tasks-db's own command, for rows finished (done or failed) past KEEP_JOBS;
    the scheduler's record of each slot goes with them, but for each job's last (it is
    what says the current slot has run)."""
    days = KEEP_JOBS.days
    call_command(
        "prune_db_task_results",
        queue_name="*",
        min_age_days=days,
        failed_min_age_days=days,
        verbosity=0,
    )
    last = ScheduledRun.objects.values("job").annotate(last=Max("slot")).values("last")
    deleted, _by_model = (
        ScheduledRun.objects.filter(slot__lt=timezone.now() - KEEP_JOBS)
        .exclude(slot__in=last)
        .delete()
    )
    return {"scheduled_runs_deleted": deleted}


scheduled(rebuild_dataset, at="02:00")
scheduled(remove_expired_imports, every=timedelta(hours=1))
scheduled(delete_old_jobs, at="04:00")
