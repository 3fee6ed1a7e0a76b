"""Import in the admin: a file, a preview of what every row would do, then confirm. The
file waits between the two steps in a private folder, named by a token kept in the
staff member's session; confirming reads it again within the same limits and plans it
again (the data may have changed since). A new preview removes the session's previous
file, and any that nobody confirmed for a day.

The preview holds a web worker while it reads and checks the file, so the admin takes
files small enough to answer within 5 seconds; a larger file is refused with a message
saying how to split it, or to have an operator run `manage.py import_records`, which
takes more. (No background job runs imports yet.)"""

import contextlib
import datetime
import secrets
import tempfile
import time
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ecosystem.core.models import Source
from ecosystem.core.registry import registry
from ecosystem.opendata import imports, tables

WAITING = Path(tempfile.gettempdir()) / "ecosystem-imports"
SESSION_KEY = "import"
# A preview nobody confirmed is removed once it has waited this long.
KEEP_WAITING = datetime.timedelta(days=1)
# The slowest file at these limits, 1,000 new organizations with every column filled,
# previews in 0.8 to 1.1 s on SQLite and 1.2 to 1.8 s on PostgreSQL (about 1 ms a row to
# check; tests/test_import_limits.py): within 5 s with room for a slower host.
LIMITS = tables.Limits(rows=1_000, bytes=5 * tables.MB, inflated=20 * tables.MB)


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
        "Split it into files of %(rows)s rows at most, or ask an operator to import it with "
        "manage.py import_records, which takes up to %(most)s rows."
    ) % {
        "rows": number_format(LIMITS.rows, force_grouping=True),
        "most": number_format(tables.COMMAND.rows, force_grouping=True),
    }


def refusal(error):
    return f"{error} {split_it()}" if error.too_large else str(error)


def read(path, name):
    return tables.read_table(path, name, LIMITS)


def tidy_waiting(request):
    """Remove the session's previous file, and any nobody confirmed in time."""
    previous = request.session.pop(SESSION_KEY, None)
    if previous:
        (WAITING / previous["token"]).unlink(missing_ok=True)
    if WAITING.is_dir():
        too_old = time.time() - KEEP_WAITING.total_seconds()
        for path in WAITING.iterdir():
            with contextlib.suppress(FileNotFoundError):  # another request removed it
                if path.stat().st_mtime < too_old:
                    path.unlink()


def import_view(request):
    if not any(request.user.has_perm(permission(t, "add")) for t in importable()):
        raise PermissionDenied
    context = {**admin.site.each_context(request), "title": _("Import records")}
    if request.method == "POST" and "confirm" in request.POST:
        return confirm(request, context)
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
        try:
            rows = imports.plan(record_type, read(path, upload.name))
        except tables.ImportFileError as error:
            path.unlink()
            form.add_error("file", refusal(error))
        else:
            source = form.cleaned_data.get("source")
            request.session[SESSION_KEY] = {
                "token": token,
                "name": upload.name,
                "type": record_type.key,
                "publish": publish,
                "source": source.pk if source else None,
            }
            return preview(request, context, record_type, rows, upload.name, publish)
    return TemplateResponse(request, "admin/import.html", {**context, "form": form})


def preview(request, context, record_type, rows, name, publish):
    errors = imports.errors_of(rows)
    totals = {
        action: sum(row.action == action for row in rows)
        for action in ("create", "update", "unchanged")
    }
    return TemplateResponse(
        request,
        "admin/import.html",
        {
            **context,
            "preview": True,
            "record_type": record_type,
            "name": name,
            "rows": [row for row in rows if row.action != "unchanged" or row.errors],
            "errors": errors,
            "totals": totals,
            "publish": publish,
        },
    )


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
    try:
        rows = imports.plan(record_type, read(path, waiting["name"]))
    except tables.ImportFileError as error:
        path.unlink(missing_ok=True)
        del request.session[SESSION_KEY]
        messages.error(request, refusal(error))
        return HttpResponseRedirect(reverse("admin-import"))
    if imports.errors_of(rows):  # the data changed since the preview
        return preview(request, context, record_type, rows, waiting["name"], waiting["publish"])
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
    messages.success(
        request,
        _("%(name)s imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
        % {
            "name": waiting["name"],
            "created": done["create"],
            "updated": done["update"],
            "unchanged": done["unchanged"],
        },
    )
    opts = record_type.model._meta
    return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
