"""The jobs page of the admin: every job (queued, running with its progress, done,
failed with its error), the scheduled jobs with their last and next run above the list,
and "retry" for Publishers. Jobs that failed their last attempt show on the dashboard."""

from datetime import timedelta

from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ecosystem.core.admin.dashboard import OtherWork, register_work
from ecosystem.jobs import engine, schedule
from ecosystem.jobs.models import Job

# django_tasks_db's own page, in English only and without progress: this one replaces it.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)

# The statuses in the staff's words (django_tasks' own are in English only).
STATUSES = {
    TaskResultStatus.READY: pgettext_lazy("job", "Queued"),
    TaskResultStatus.RUNNING: pgettext_lazy("job", "Running"),
    TaskResultStatus.FAILED: pgettext_lazy("job", "Failed"),
    TaskResultStatus.SUCCESSFUL: pgettext_lazy("job", "Done"),
}

# How long a job that failed its last attempt shows on the dashboard.
FAILED_SHOWN = timedelta(days=7)


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status__exact"

    def lookups(self, request, model_admin):
        return list(STATUSES.items())

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "state", "how_far", "attempts", "enqueued", "finished", "error"]
    list_filter = [StatusFilter]
    list_select_related = ["progress"]
    ordering = ["-enqueued_at"]
    search_fields = ["task_path"]
    # No second count of the whole table beside the matches (as DirectoryAdmin).
    show_full_result_count = False
    actions = ["retry"]
    fields = [
        "title",
        "code",
        "state",
        "how_far",
        "attempts",
        "enqueued",
        "started",
        "finished",
        "arguments",
        "result",
        "error",
        "formatted_traceback",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return request.user.has_perm("ecosystem.retry_job")

    @admin.display(description=_("job"))
    def title(self, job):
        return engine.rules(job.task_path).title

    @admin.display(description=_("code"))
    def code(self, job):
        return job.task_path

    @admin.display(description=_("status"), ordering="status")
    def state(self, job):
        return STATUSES.get(job.status, job.status)

    @admin.display(description=_("queued on"), ordering="enqueued_at")
    def enqueued(self, job):
        return job.enqueued_at

    @admin.display(description=_("started on"), ordering="started_at")
    def started(self, job):
        return job.started_at

    @admin.display(description=_("ended on"), ordering="finished_at")
    def finished(self, job):
        return job.finished_at

    @admin.display(description=_("result"))
    def result(self, job):
        return job.return_value

    @admin.display(description=_("progress"))
    def how_far(self, job):
        progress = getattr(job, "progress", None)
        if progress is None:
            return "—"
        done = number_format(progress.done, force_grouping=True)
        if progress.total:
            total = number_format(progress.total, force_grouping=True)
            return f"{done} / {total} ({progress.done * 100 // progress.total} %)"
        return done

    @admin.display(description=_("attempts"))
    def attempts(self, job):
        return _("%(tried)s of %(allowed)s") % {
            "tried": len(job.worker_ids),
            "allowed": engine.rules(job.task_path).tries(),
        }

    @admin.display(description=_("arguments"))
    def arguments(self, job):
        return job.args_kwargs

    @admin.display(description=_("error"))
    def error(self, job):
        return job.exception_class_path.rsplit(".", 1)[-1] or "—"

    @admin.display(description=_("traceback"))
    def formatted_traceback(self, job):
        return format_html("<pre>{}</pre>", job.traceback) if job.traceback else "—"

    @admin.action(description=_("Retry the selected failed jobs"), permissions=["retry"])
    def retry(self, request, queryset):
        """A failed job queued again with its attempts counted from one."""
        retried = queryset.filter(status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY,
            run_after=timezone.now(),
            finished_at=None,
            worker_ids=[],
        )
        self.message_user(
            request,
            ngettext("%(count)s job queued again.", "%(count)s jobs queued again.", retried)
            % {"count": retried},
            messages.SUCCESS if retried else messages.WARNING,
        )

    def changelist_view(self, request, extra_context=None):
        schedules = [
            {
                **row,
                "status": row["last"]
                and STATUSES.get(getattr(row["last"].task_result, "status", None)),
            }
            for row in schedule.overview()
        ]
        extra_context = {**(extra_context or {}), "schedules": schedules}
        return super().changelist_view(request, extra_context)


def failed_recently():
    since = timezone.now() - FAILED_SHOWN
    return Job.objects.failed().filter(finished_at__gte=since)


register_work(
    OtherWork(
        _("Jobs that failed"),
        lambda: failed_recently().count(),
        lambda: reverse("admin:ecosystem_job_changelist") + "?status__exact=FAILED",
        "ecosystem.view_job",
    )
)
