"""Import an IATI activity file in the admin, as the CSV import does
(ecosystem/opendata/admin_import.py): a file or an address, then a preview of what each
activity would do with the organizations the file names that the directory could not
match (staff pick one, or let a draft be created), then confirm. The file waits between
the steps in the same private folder as the CSV import's, named by a token in the staff
member's session (the housekeeping job removes what nobody confirmed for a day);
confirming plans it again (the data may have changed since) and applies it with staff's
choices. Both steps run `importing.plan` and `importing.apply`, the command's own.

An uploaded file of up to IN_REQUEST_ACTIVITIES activities is previewed and applied in
the request. A larger one, or an address (fetched only from settings.IATI_ALLOWED_HOSTS),
is previewed by a job and applied by another, the page showing where the job is and
refreshing itself until it is done."""

import secrets
import shutil

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
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

from ecosystem.jobs.engine import job
from ecosystem.jobs.models import JobProgress
from ecosystem.opendata.admin_import import WAITING, counter, stopped
from iati import fetching, importing, reading
from members.models import Organization
from programmes.models import Programme, ProgrammeRole, ProgrammeRoleKind, ReportedStatus

SESSION_KEY = "iati-import"
# An upload is bounded by the request's own size (MAX_REQUEST_BYTES); an address by the
# import's (IATI_MAX_BYTES), as a job fetches it.
UPLOAD_BYTES = 5 * 1024 * 1024
# The most activities, errors and organizations a preview lists (its totals count all).
SHOWN = 500
# What a request plans and writes itself; a file of more activities goes to jobs. An
# activity costs far more than a spreadsheet's row: 100 new ones take about 1 s to plan
# and 15 s to write (`python -m bench.iati_import`, SQLite), so at 20 the confirmation
# answers within a few seconds, well inside the request's limit (REQUEST_TIMEOUT, 30 s).
IN_REQUEST_ACTIVITIES = 20


def in_request():
    """What the request reads itself; a file of more activities goes to a job."""
    return reading.Limits(bytes=UPLOAD_BYTES, activities=IN_REQUEST_ACTIVITIES)


def can_import(user):
    return user.has_perm("programmes.add_programme") and user.has_perm(
        "programmes.change_programme"
    )


def page_url():
    return reverse("admin:iati_activity_import")


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"), required=False)
    address = forms.URLField(
        label=_("or its address"),
        required=False,
        assume_scheme="https",
        max_length=500,
    )
    whole_file = forms.BooleanField(
        label=_("This is the publisher’s whole file"),
        required=False,
        initial=True,
        help_text=_(
            "Its publishers’ activities imported before and missing from it are flagged as "
            "gone. Untick for a query that returns only some of their activities."
        ),
    )
    publish = forms.BooleanField(
        label=_("Publish the new programmes"),
        required=False,
        help_text=_("Otherwise they arrive as drafts."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "An IATI activity file (XML, versions 2.01 to 2.03) of at most %(size)s."
        ) % {"size": filesizeformat(UPLOAD_BYTES)}
        self.fields["address"].help_text = gettext(
            "A publisher’s file or a query on one of these hosts: %(hosts)s. Files of up to "
            "%(size)s and %(activities)s activities."
        ) % {
            "hosts": ", ".join(settings.IATI_ALLOWED_HOSTS),
            "size": filesizeformat(settings.IATI_MAX_BYTES),
            "activities": number_format(settings.IATI_MAX_ACTIVITIES, force_grouping=True),
        }
        if not user.has_perm("programmes.publish_programme"):
            del self.fields["publish"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload is None:
            return upload
        if not upload.name.lower().endswith(".xml"):
            raise forms.ValidationError(_("Choose an .xml file."))
        if upload.size > UPLOAD_BYTES:  # refused before a byte of it is read
            raise forms.ValidationError(
                gettext(
                    "The file is larger than %(max)s: give its address instead, or ask an "
                    "operator to import it with manage.py import_iati."
                )
                % {"max": filesizeformat(UPLOAD_BYTES)}
            )
        return upload

    def clean_address(self):
        address = self.cleaned_data["address"]
        if address:
            try:
                fetching.refuse_host(address)
            except reading.IatiFileError as error:
                raise forms.ValidationError(str(error)) from error
        return address

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("file")) == bool(data.get("address")):
            raise forms.ValidationError(_("Choose a file, or give its address (not both)."))
        return data


class ReconcileForm(forms.Form):
    """For each organization the file names that the directory did not find: one of the
    organizations of similar names, any other (found by name), or a new draft."""

    def __init__(self, organizations, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organizations = organizations
        widget = AutocompleteSelect(ProgrammeRole._meta.get_field("organization"), admin.site)
        for number, match in enumerate(organizations):
            self.fields[f"org-{number}"] = forms.ChoiceField(
                label=match["name"],
                choices=[
                    (importing.NEW, gettext("Create a draft organization")),
                    *((str(pk), name) for pk, name in match["candidates"]),
                ],
                initial=importing.NEW,
                required=False,  # nothing chosen: a draft, as the preview says
                widget=forms.RadioSelect,
            )
            self.fields[f"org-{number}-other"] = forms.ModelChoiceField(
                Organization.objects.all(),
                label=_("or this organization"),
                required=False,
                widget=widget,
            )

    def rows(self):
        """Each organization with its two fields, for the template."""
        return [
            (match, self[f"org-{number}"], self[f"org-{number}-other"])
            for number, match in enumerate(self.organizations)
        ]

    def choices(self):
        """{OrganizationMatch.key: an Organization's pk, or importing.NEW}."""
        chosen = {}
        for number, match in enumerate(self.organizations):
            other = self.cleaned_data.get(f"org-{number}-other")
            choice = self.cleaned_data[f"org-{number}"]
            if other:
                chosen[match["key"]] = other.pk
            elif choice and choice != importing.NEW:
                chosen[match["key"]] = int(choice)
            else:
                chosen[match["key"]] = importing.NEW
        return chosen


# The import's own words for what is not one of the programme's fields.
LABELS = {
    "dates": _("dates"),
    "budget": _("budget"),
    "countries": _("countries"),
    "sectors": _("sectors"),
    "roles": _("roles"),
    "parent": _("part of"),
    "sites": _("sites"),
    "contacts": _("contacts"),
}


def label(name):
    """A programme's field as staff read it: its verbose name, else the import's word."""
    if name in LABELS:
        return str(LABELS[name])
    try:
        return str(Programme._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name.replace("_", " ")


class Readable:
    """The import's values (iati.importing: dates and budgets as dicts, roles as [role,
    organization], sites as [name, latitude, longitude, country]) in staff's words.
    The organizations are named with one query for the whole plan."""

    def __init__(self, pairs, matches=None):
        """`pairs`: every (field, value) to be shown; `matches`: the plan's organizations."""
        self.matches = matches or {}
        pks = {
            organization
            for name, value in pairs
            if name == "roles"
            for _role, organization in value or ()
            if isinstance(organization, int)
        }
        self.names = {o.pk: str(o) for o in Organization.objects.filter(pk__in=pks)} if pks else {}

    @classmethod
    def of_plan(cls, plan):
        pairs = [
            (change.field, value)
            for item in plan.activities
            for change in (*item.changes, *item.conflicts)
            for value in (change.old, change.new)
        ]
        return cls(pairs, plan.organizations)

    def organization(self, key):
        if key in self.names:
            return self.names[key]
        match = self.matches.get(key)
        names = match.names if match else {}
        name = names.get(translation.get_language()) or next(iter(names.values()), key)
        return gettext("%(name)s (to match)") % {"name": name}

    def __call__(self, name, value):
        if value in (None, "", [], {}):
            return ""
        if name == "dates":
            return f"{value.get('start') or '?'} – {value.get('end') or '?'}"
        if name == "budget":
            return f"{value['amount']} {value['currency']}"
        if name == "roles":
            kinds = dict(ProgrammeRoleKind.choices)
            return "; ".join(
                f"{kinds.get(role, role)}: {self.organization(key)}" for role, key in value
            )
        if name == "sites":
            return "; ".join(f"{site[0]} ({site[1]}, {site[2]})" for site in value)
        if name == "contacts":
            return "; ".join(", ".join(filter(None, contact)) for contact in value)
        if name == "reported_status":
            return str(ReportedStatus(value).label)
        if isinstance(value, list | tuple):
            return ", ".join(map(str, value))
        return str(value)


def changes(changes, readable):
    return [[label(c.field), readable(c.field, c.old), readable(c.field, c.new)] for c in changes]


def summary(plan):
    """What a preview shows of a plan, as JSON values (a job returns it): totals, errors,
    the activities that change something, the organizations to match, the activities
    gone from the file; the first SHOWN of each."""
    moving = [a for a in plan.activities if a.action != "unchanged" or a.conflicts]
    to_choose = plan.to_choose
    readable = Readable.of_plan(plan)
    return {
        "totals": {
            action: sum(a.action == action for a in plan.activities)
            for action in ("create", "update", "unchanged")
        },
        "errors": plan.errors[:SHOWN],
        "error_count": len(plan.errors),
        "activities": [
            {
                "identifier": a.activity.identifier,
                "title": a.activity.titles.get(translation.get_language())
                or next(iter(a.activity.titles.values()), ""),
                "action": a.action,
                "programme": "" if a.programme is None else str(a.programme),
                "changes": changes(a.changes, readable),
                "conflicts": changes(a.conflicts, readable),
                "unmapped": [str(code) for code in a.unmapped_sectors],
                "notes": [str(note) for note in a.notes],
            }
            for a in moving[:SHOWN]
        ],
        "more_activities": max(0, len(moving) - SHOWN),
        "organizations": [
            {
                "key": match.key,
                "name": " / ".join(dict.fromkeys(match.names.values())) or match.ref,
                "ref": match.ref,
                "activities": match.activities[:10],
                "candidates": [[o.pk, str(o)] for o in match.candidates],
            }
            for match in to_choose[:SHOWN]
        ],
        "gone": plan.gone[:SHOWN],
        "gone_count": len(plan.gone),
    }


def language():
    return translation.get_language() or settings.LANGUAGE_CODE


def context_of(request):
    return {**admin.site.each_context(request), "title": _("Import an IATI file")}


def tidy_waiting(request):
    previous = request.session.pop(SESSION_KEY, None)
    if previous:
        (WAITING / previous["token"]).unlink(missing_ok=True)


def import_view(request):
    if not can_import(request.user):
        raise PermissionDenied
    if request.method == "POST" and "confirm" in request.POST:
        return confirm(request)
    if request.method == "GET" and "new" in request.GET:
        tidy_waiting(request)
    waiting = request.session.get(SESSION_KEY)
    if request.method == "GET" and waiting and waiting.get("job"):
        return job_page(request, waiting)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        tidy_waiting(request)
        token = secrets.token_urlsafe(16)
        WAITING.mkdir(mode=0o700, exist_ok=True)
        publish = form.cleaned_data.get("publish", False)
        upload, address = form.cleaned_data["file"], form.cleaned_data["address"]
        waiting = {
            "token": token,
            "name": upload.name if upload else address,
            "publish": publish,
            "whole_file": form.cleaned_data["whole_file"],
        }
        if address:
            waiting["job"] = str(
                preview_iati.enqueue(token, address, waiting["whole_file"], language()).id
            )
            request.session[SESSION_KEY] = waiting
            return HttpResponseRedirect(page_url())
        path = WAITING / token
        with path.open("wb") as file:
            for chunk in upload.chunks():
                file.write(chunk)
        try:
            plan = importing.plan(path, limits=in_request(), whole_file=waiting["whole_file"])
        except reading.IatiFileError as error:
            if error.too_large:  # more activities than a request reads in time: a job
                waiting["job"] = str(
                    preview_iati.enqueue(token, "", waiting["whole_file"], language()).id
                )
                request.session[SESSION_KEY] = waiting
                return HttpResponseRedirect(page_url())
            path.unlink()
            form.add_error("file", str(error))
        else:
            request.session[SESSION_KEY] = waiting
            return preview(request, summary(plan), waiting)
    return TemplateResponse(
        request, "admin/iati/import.html", {**context_of(request), "form": form}
    )


def preview(request, summary, waiting, reconcile=None):
    return TemplateResponse(
        request,
        "admin/iati/import.html",
        {
            **context_of(request),
            **summary,
            "preview": True,
            "name": waiting["name"],
            "publish": waiting["publish"],
            "more_errors": summary["error_count"] - len(summary["errors"]),
            "reconcile": reconcile or ReconcileForm(summary["organizations"]),
        },
    )


def done_message(request, name, done):
    messages.success(
        request,
        _("%(name)s imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
        % {
            "name": name,
            "created": done.get("create", 0),
            "updated": done.get("update", 0),
            "unchanged": done.get("unchanged", 0),
        },
    )


def to_the_activities():
    return HttpResponseRedirect(reverse("admin:iati_activity_changelist"))


def no_longer_waiting(request):
    tidy_waiting(request)
    messages.error(request, _("The file to import is no longer waiting: upload it again."))
    return HttpResponseRedirect(page_url())


def confirm(request):
    waiting = request.session.get(SESSION_KEY)
    path = WAITING / waiting["token"] if waiting else None
    if path is None or not path.exists():
        return no_longer_waiting(request)
    if waiting["publish"] and not request.user.has_perm("programmes.publish_programme"):
        raise PermissionDenied
    if waiting.get("job"):
        return confirm_in_job(request, waiting)
    try:
        plan = importing.plan(path, limits=in_request(), whole_file=waiting["whole_file"])
    except reading.IatiFileError as error:
        tidy_waiting(request)
        messages.error(request, str(error))
        return HttpResponseRedirect(page_url())
    previewed = summary(plan)
    reconcile = ReconcileForm(previewed["organizations"], request.POST)
    if plan.errors or not reconcile.is_valid():  # the data changed since the preview
        return preview(request, previewed, waiting, reconcile)
    done = importing.apply(
        plan,
        name=waiting["name"],
        choices=reconcile.choices(),
        publish=waiting["publish"],
        user=request.user,
    )
    tidy_waiting(request)
    done_message(request, waiting["name"], done)
    return to_the_activities()


def confirm_in_job(request, waiting):
    """Hand a file a job previewed without errors to a job that applies it with staff's
    choices (once: a second confirm, or one before the preview is ready, only shows the
    page again)."""
    previewed = DBTaskResult.objects.filter(
        pk=waiting["job"], task_path=preview_iati.module_path, status=TaskResultStatus.SUCCESSFUL
    ).first()
    if previewed is None or previewed.return_value.get("error_count", 1):
        return HttpResponseRedirect(page_url())
    reconcile = ReconcileForm(previewed.return_value["organizations"], request.POST)
    if not reconcile.is_valid():
        return preview(request, previewed.return_value, waiting, reconcile)
    applying = apply_iati.enqueue(
        waiting["token"],
        waiting["name"],
        waiting["whole_file"],
        waiting["publish"],
        reconcile.choices(),
        request.user.pk,
        language(),
    )
    request.session[SESSION_KEY] = {**waiting, "job": str(applying.id)}
    return HttpResponseRedirect(page_url())


def job_page(request, waiting):
    """Where a job's import is: its progress (the page refreshes itself), then its
    preview, then its result."""
    row = DBTaskResult.objects.filter(pk=waiting["job"]).first()
    if row is None:
        return no_longer_waiting(request)
    if row.status == TaskResultStatus.FAILED:
        tidy_waiting(request)
        messages.error(request, stopped(row))
        return HttpResponseRedirect(page_url())
    if row.status == TaskResultStatus.SUCCESSFUL:
        result = row.return_value
        if "refused" in result:
            tidy_waiting(request)
            messages.error(request, result["refused"])
            return HttpResponseRedirect(page_url())
        if "done" in result:
            tidy_waiting(request)
            done_message(request, waiting["name"], result["done"])
            return to_the_activities()
        return preview(request, result, waiting)
    applying = row.task_path == apply_iati.module_path
    counted = JobProgress.objects.filter(task_result_id=row.pk).first()
    if applying and counted and counted.total:
        status = gettext("Importing: %(done)s of %(total)s activities.") % {
            "done": number_format(counted.done, force_grouping=True),
            "total": number_format(counted.total, force_grouping=True),
        }
    else:
        status = gettext("Importing.") if applying else gettext("Preparing the preview.")
    return TemplateResponse(
        request,
        "admin/iati/import.html",
        {
            **context_of(request),
            "running": True,
            "status": status,
            "queued": row.status == TaskResultStatus.READY,
            "name": waiting["name"],
        },
    )


# The jobs ------------------------------------------------------------------------------
# Tried once: a file that fails fails again, and staff, who watch the page, start again.


def planned(token, whole_file):
    path = WAITING / token
    if not path.exists():
        raise reading.IatiFileError(
            gettext("The file to import is no longer waiting: upload it again.")
        )
    return importing.plan(path, whole_file=whole_file)


@job(title=_("Preview an IATI import"), time_limit=1800, attempts=1, atomic=False)
def preview_iati(token, address, whole_file, language):
    """Fetch the file first when it is an address (from the allowed hosts only, within
    the import's limits). atomic=False: it only reads the database."""
    with translation.override(language):
        try:
            if address:
                with fetching.fetch(address) as body, (WAITING / token).open("wb") as file:
                    shutil.copyfileobj(body, file)
            return summary(planned(token, whole_file))
        except reading.IatiFileError as error:
            return {"refused": str(error)}


@job(title=_("Import an IATI file"), time_limit=1800, attempts=1)
def apply_iati(token, name, whole_file, publish, choices, user, language):
    """All or nothing: the job's transaction holds every programme it writes. The data
    may have changed since the preview: a file with an error now writes nothing, and
    the preview shows again with it."""
    with translation.override(language):
        try:
            plan = planned(token, whole_file)
        except reading.IatiFileError as error:
            return {"refused": str(error)}
        if plan.errors:
            return summary(plan)
        done = importing.apply(
            plan,
            name=name,
            choices=choices,
            publish=publish,
            user=get_user_model().objects.filter(pk=user).first(),
            tick=counter(len(plan.activities)),
        )
        return {"done": done}
