"""The tables the jobs add to django_tasks_db's DBTaskResult (one row per job)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from ecosystem.jobs.engine import rules


class Job(DBTaskResult):
    """django_tasks_db's row under the directory's admin, names and permissions: staff
    see jobs; a Publisher may retry one that failed."""

    class Meta:
        proxy = True
        app_label = "ecosystem"
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        permissions = [("retry_job", _("Can retry a failed job"))]

    def __str__(self):
        return f"{rules(self.task_path).title} ({self.pk})"


class JobProgress(models.Model):
    """How far a running job is: `done` of `total` (None when it cannot say). Written on
    a connection of its own, so that it shows while the job's transaction is open."""

    task_result = models.OneToOneField(
        DBTaskResult, primary_key=True, on_delete=models.CASCADE, related_name="progress"
    )
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(null=True, blank=True)
    updated = models.DateTimeField()

    class Meta:
        app_label = "ecosystem"

    def __str__(self):
        return f"{self.done}/{self.total}" if self.total is not None else str(self.done)


class ScheduledRun(models.Model):
    """A scheduled job's slot that was started: at most one row per job and slot
    (ecosystem/jobs/schedule.py), whichever scheduler inserts it enqueues the job."""

    job = models.CharField(max_length=200)
    slot = models.DateTimeField()
    task_result = models.ForeignKey(
        DBTaskResult, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "ecosystem"
        ordering = ["job", "-slot"]
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="scheduled_run_once_per_slot")
        ]

    def __str__(self):
        return f"{self.job} {self.slot:%Y-%m-%d %H:%M}"
