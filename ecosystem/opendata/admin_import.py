"""Import in the admin: a file, a preview of what every row would do, then confirm. The
file waits between the two steps in a private folder, named by a token kept in the
staff member's session; confirming reads it again within the same limits and plans it
again (the data may have changed since). A new preview removes the session's previous
file; a scheduled job (ecosystem/opendata/housekeeping.py) removes any that nobody
confirmed for a day.

A file of up to IMPORT_IN_REQUEST_MAX_ROWS rows is previewed and applied in the request,
as small files answer within a few seconds. A larger one, up to the command's 50,000
rows, is previewed by a job, then applied by another once confirmed: no request waits,
and the page shows the job's progress, refreshing itself, until the preview or the
result is there. Both paths plan and write with the same functions (imports.plan,
imports.apply), so an import's rules are the same whichever runs it."""

import contextlib
import datetime
import secrets
import tempfile
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ecosystem.core.models import Source
from ecosystem.core.registry import registry
from ecosystem.jobs.engine import job, progress
from ecosystem.jobs.models import JobProgress
from ecosystem.opendata import imports, tables

WAITING = Path(tempfile.gettempdir()) / "ecosystem-imports"
SESSION_KEY = "import"
# A preview nobody confirmed is removed once it has waited this long (housekeeping.py).
KEEP_WAITING = datetime.timedelta(days=1)
# What the admin takes: the command's rows and unzipped size, as a job reads what is
# past IMPORT_IN_REQUEST_MAX_ROWS; bytes within the request's own bound (MAX_REQUEST_BYTES).
LIMITS = tables.Limits(
    rows=tables.COMMAND.rows, bytes=5 * tables.MB, inflated=tables.COMMAND.inflated
)
# The most rows and errors a preview lists (its totals count them all).
SHOWN = 1_000


def in_request():
    """What the request reads itself, a larger file going to a job. Checking the
    slowest rows, new organizations with every column filled, takes about 1 ms a row
    (1,000 previewed in 0.8 to 1.8 s on SQLite and PostgreSQL): at the default 500 rows
    the request answers within a second (`python -m bench.imports`)."""
    return tables.Limits(
        rows=settings.IMPORT_IN_REQUEST_MAX_ROWS, bytes=LIMITS.bytes, inflated=20 * tables.MB
    )


def importable():
    return [t for t in registry if t.has_pages or t.import_defaults]


def permission(record_type, action):
    opts = record_type.model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


class ImportForm(forms.Form):
    record_type = forms.ChoiceField(label=_("Kind of records"))
    file = forms.FileField(label=_("File"))
    source = forms.ModelChoiceField(
        label=_("Source"),
        queryset=Source.objects.order_by("title"),
        required=False,
        empty_label=_("The file itself (its name and today's date)"),
        help_text=_("What the imported records will cite."),
    )
    publish = forms.BooleanField(
        label=_("Publish the new records"),
        required=False,
        help_text=_("Otherwise they arrive as drafts."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "CSV or XLSX, with the columns of the list's CSV export (French or English): "
            "at most %(rows)s rows and %(size)s."
        ) % {
            "rows": number_format(LIMITS.rows, force_grouping=True),
            "size": filesizeformat(LIMITS.bytes),
        }
        self.fields["record_type"].choices = [
            (t.key, t.title) for t in importable() if user.has_perm(permission(t, "add"))
        ]
        self.can_publish = any(user.has_perm(permission(t, "publish")) for t in importable())
        if not self.can_publish:
            del self.fields["publish"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        if upload.size > LIMITS.bytes:  # refused before a byte of it is read
            too_large = gettext("The file is larger than %(max)s.") % {
                "max": filesizeformat(LIMITS.bytes)
            }
            raise forms.ValidationError(f"{too_large} {split_it()}")
        return upload


def split_it():
    """What to do with a file past the admin's limits."""
    return gettext(
        "Split it into files of %(rows)s rows and %(size)s at most, or ask an operator to "
        "import it with manage.py import_records, which takes files of up to %(most)s."
    ) % {
        "rows": number_format(LIMITS.rows, force_grouping=True),
        "size": filesizeformat(LIMITS.bytes),
        "most": filesizeformat(tables.COMMAND.bytes),
    }


def refusal(error):
    return f"{error} {split_it()}" if error.too_large else str(error)


def tidy_waiting(request):
    """Forget the session's import, and remove its file."""
    previous = request.session.pop(SESSION_KEY, None)
    if previous:
        (WAITING / previous["token"]).unlink(missing_ok=True)


def remove_expired():
    """Remove the files nobody confirmed in time; returns how many."""
    removed = 0
    if WAITING.is_dir():
        too_old = time.time() - KEEP_WAITING.total_seconds()
        for path in WAITING.iterdir():
            with contextlib.suppress(FileNotFoundError):  # a request removed it
                if path.stat().st_mtime < too_old:
                    path.unlink()
                    removed += 1
    return removed


def import_view(request):
    if not any(request.user.has_perm(permission(t, "add")) for t in importable()):
        raise PermissionDenied
    context = {**admin.site.each_context(request), "title": _("Import records")}
    if request.method == "POST" and "confirm" in request.POST:
        return confirm(request, context)
    if request.method == "GET" and "new" in request.GET:
        tidy_waiting(request)
    waiting = request.session.get(SESSION_KEY)
    if request.method == "GET" and waiting and waiting.get("job"):
        return job_page(request, context, waiting)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        record_type = registry[form.cleaned_data["record_type"]]
        upload = form.cleaned_data["file"]
        publish = form.cleaned_data.get("publish", False)
        if publish and not request.user.has_perm(permission(record_type, "publish")):
            raise PermissionDenied
        tidy_waiting(request)
        token = secrets.token_urlsafe(16)
        WAITING.mkdir(mode=0o700, exist_ok=True)
        path = WAITING / token
        with path.open("wb") as file:
            for chunk in upload.chunks():
                file.write(chunk)
        source = form.cleaned_data.get("source")
        waiting = {
            "token": token,
            "name": upload.name,
            "type": record_type.key,
            "publish": publish,
            "source": source.pk if source else None,
        }
        try:
            rows = imports.plan(record_type, tables.read_table(path, upload.name, in_request()))
        except tables.ImportFileError as error:
            if error.too_large:  # more than a request checks in time: a job reads it
                waiting["job"] = str(
                    preview_import.enqueue(token, upload.name, record_type.key, language()).id
                )
                request.session[SESSION_KEY] = waiting
                return HttpResponseRedirect(reverse("admin-import"))
            path.unlink()
            form.add_error("file", refusal(error))
        else:
            request.session[SESSION_KEY] = waiting
            return preview(request, context, record_type, summary(rows), upload.name, publish)
    return TemplateResponse(request, "admin/import.html", {**context, "form": form})


def language():
    return translation.get_language() or settings.LANGUAGE_CODE


def summary(rows):
    """What a preview shows of a plan, as JSON values (a job returns it): its totals, its
    errors and the rows that change something, the first SHOWN of each."""
    errors = imports.errors_of(rows)
    shown = [row for row in rows if row.action != "unchanged" or row.errors]
    return {
        "totals": {
            action: sum(row.action == action for row in rows)
            for action in ("create", "update", "unchanged")
        },
        "errors": errors[:SHOWN],
        "error_count": len(errors),
        "rows": [
            {
                "number": row.number,
                "action": row.action,
                "record": "" if row.record is None else str(row.record),
                "errors": row.errors,
                "cells": [
                    [str(label), *(None if v is None else str(v) for v in (old, new))]
                    for label, old, new in row.cells
                ],
            }
            for row in shown[:SHOWN]
        ],
        "more_rows": max(0, len(shown) - SHOWN),
    }


def preview(request, context, record_type, summary, name, publish):
    return TemplateResponse(
        request,
        "admin/import.html",
        {
            **context,
            **summary,
            "preview": True,
            "record_type": record_type,
            "name": name,
            "more_errors": summary["error_count"] - len(summary["errors"]),
            "publish": publish,
        },
    )


def done_message(request, name, done):
    messages.success(
        request,
        _("%(name)s imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
        % {
            "name": name,
            "created": done["create"],
            "updated": done["update"],
            "unchanged": done["unchanged"],
        },
    )


def changelist(record_type):
    opts = record_type.model._meta
    return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))


def confirm(request, context):
    waiting = request.session.get(SESSION_KEY)
    path = WAITING / waiting["token"] if waiting else None
    if path is None or not path.exists():
        messages.error(request, _("The file to import is no longer waiting: upload it again."))
        return HttpResponseRedirect(reverse("admin-import"))
    record_type = registry[waiting["type"]]
    if not request.user.has_perm(permission(record_type, "add")) or (
        waiting["publish"] and not request.user.has_perm(permission(record_type, "publish"))
    ):
        raise PermissionDenied
    if waiting.get("job"):
        return confirm_in_job(request, waiting)
    try:
        rows = imports.plan(record_type, tables.read_table(path, waiting["name"], in_request()))
    except tables.ImportFileError as error:
        path.unlink(missing_ok=True)
        del request.session[SESSION_KEY]
        messages.error(request, refusal(error))
        return HttpResponseRedirect(reverse("admin-import"))
    if imports.errors_of(rows):  # the data changed since the preview
        return preview(
            request, context, record_type, summary(rows), waiting["name"], waiting["publish"]
        )
    source = Source.objects.filter(pk=waiting["source"]).first() if waiting["source"] else None
    done = imports.apply(
        rows,
        file_name=waiting["name"],
        publish=waiting["publish"],
        source=source,
        user=request.user,
    )
    path.unlink(missing_ok=True)
    del request.session[SESSION_KEY]
    done_message(request, waiting["name"], done)
    return changelist(record_type)


def confirm_in_job(request, waiting):
    """Hand a file a job previewed, without errors, to a job that applies it (once: a
    second confirm, or one before the preview is ready, only shows the page again)."""
    previewed = DBTaskResult.objects.filter(
        pk=waiting["job"],
        task_path=preview_import.module_path,
        status=TaskResultStatus.SUCCESSFUL,
    ).first()
    if previewed and not previewed.return_value.get("error_count", 1):
        applying = apply_import.enqueue(
            waiting["token"],
            waiting["name"],
            waiting["type"],
            waiting["publish"],
            waiting["source"],
            request.user.pk,
            language(),
        )
        request.session[SESSION_KEY] = {**waiting, "job": str(applying.id)}
    return HttpResponseRedirect(reverse("admin-import"))


def job_page(request, context, waiting):
    """Where a job's import is: its progress (the page refreshes itself), then its
    preview, then its result."""
    record_type = registry[waiting["type"]]
    row = DBTaskResult.objects.filter(pk=waiting["job"]).first()
    if row is None or row.status == TaskResultStatus.FAILED:
        tidy_waiting(request)
        if row is None:  # its row was deleted
            messages.error(request, _("The file to import is no longer waiting: upload it again."))
        else:
            messages.error(request, stopped(row))
        return HttpResponseRedirect(reverse("admin-import"))
    applying = row.task_path == apply_import.module_path
    if row.status == TaskResultStatus.SUCCESSFUL:
        result = row.return_value
        if "refused" in result:
            tidy_waiting(request)
            messages.error(request, result["refused"])
            return HttpResponseRedirect(reverse("admin-import"))
        if "done" in result:
            tidy_waiting(request)
            done_message(request, waiting["name"], result["done"])
            return changelist(record_type)
        return preview(request, context, record_type, result, waiting["name"], waiting["publish"])
    counted = JobProgress.objects.filter(task_result_id=row.pk).first()
    done, total = (counted.done, counted.total) if counted else (0, None)
    numbers = {
        "done": number_format(done, force_grouping=True),
        "total": number_format(total or 0, force_grouping=True),
    }
    if applying:
        status = (
            gettext("Importing: %(done)s of %(total)s rows.") % numbers
            if total
            else gettext("Importing.")
        )
    else:
        status = (
            gettext("Preparing the preview: %(done)s of %(total)s rows.") % numbers
            if total
            else gettext("Preparing the preview.")
        )
    return TemplateResponse(
        request,
        "admin/import.html",
        {
            **context,
            "running": True,
            "status": status,
            "queued": row.status == TaskResultStatus.READY,
            "record_type": record_type,
            "name": waiting["name"],
        },
    )


def stopped(row):
    """What staff read when an import's job failed: nothing was written (its
    transaction was rolled back), and why it stopped, as its error's last line says."""
    lines = (row.traceback or "").strip().splitlines()
    return gettext(
        "Nothing was imported: the job stopped before its end (%(error)s). Upload the file again."
    ) % {"error": lines[-1] if lines else row.exception_class_path}


# The jobs ------------------------------------------------------------------------------
# Tried once: a file that fails fails again, and staff, who watch the page, upload it
# again. Their rows are the staff member's own session's: the page finds them by id.


def checked(token, name, key, *, report=False):
    """The plan of a waiting file, read within the admin's limits; with `report`, each
    row checked is the job's progress."""
    path = WAITING / token
    if not path.exists():
        raise tables.ImportFileError(
            gettext("The file to import is no longer waiting: upload it again.")
        )
    table = tables.read_table(path, name, LIMITS)
    tick = counter(len(table) - 1) if report else lambda: None
    return imports.plan(registry[key], table, tick=tick)


def counter(total):
    """A tick that reports progress(1, total), progress(2, total), ..."""
    done = iter(range(1, total + 1))
    return lambda: progress(next(done, total), total)


@job(title=_("Preview an import"), time_limit=1800, attempts=1, atomic=False)
def preview_import(token, name, key, language):
    """atomic=False: it only reads, and outside a transaction its progress shows on
    SQLite too."""
    with translation.override(language):
        try:
            return summary(checked(token, name, key, report=True))
        except tables.ImportFileError as error:
            return {"refused": refusal(error)}


@job(title=_("Import a file"), time_limit=1800, attempts=1)
def apply_import(token, name, key, publish, source, user, language):
    """All or nothing: the job's transaction holds every row it writes. The data may
    have changed since the preview: a row that has an error now writes nothing, and the
    preview shows again with it."""
    with translation.override(language):
        try:
            rows = checked(token, name, key)
        except tables.ImportFileError as error:
            return {"refused": refusal(error)}
        if imports.errors_of(rows):
            return summary(rows)
        done = imports.apply(
            rows,
            file_name=name,
            publish=publish,
            source=Source.objects.filter(pk=source).first() if source else None,
            user=get_user_model().objects.filter(pk=user).first(),
            tick=counter(len(rows)),
        )
        return {"done": done}
