"""Jobs for tests/test_jobs.py, importable by the worker processes the tests start."""

import time
from pathlib import Path

from ecosystem.core.models import Sector
from ecosystem.jobs.engine import job, progress


@job(title="Count to n")
def count_to(n):
    for done in range(1, n + 1):
        progress(done, n)
    return n


@job(title="Write, then wait", time_limit=3)
def write_then_wait(slug, hold):
    """Writes a sector, then waits while the file `hold` exists (a test kills it there)."""
    Sector.objects.create(slug=slug, name_en=slug, name_fr=slug)
    while Path(hold).exists():
        time.sleep(0.05)
    return slug


@job(title="Fail")
def fail():
    raise ValueError("this job always fails")


@job(title="Report, then wait")
def report_then_wait(hold):
    """Reads the database, says it is a quarter done, then waits while `hold` exists."""
    Sector.objects.count()
    progress(1, 4)
    while Path(hold).exists():
        time.sleep(0.05)
