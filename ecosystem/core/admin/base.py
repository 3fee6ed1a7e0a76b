"""The bases of every model's admin: history with reasons, revert with relations,
deleted records (DirectoryAdmin), and what a publishable record adds: status, freshness,
bulk publication (PublishableAdmin)."""

from functools import partial

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import get_history_manager_for_model

from ecosystem.core import history
from ecosystem.core.admin.actions import archive, mark_verified, publish, unpublish
from ecosystem.core.listing import CappedPaginator
from ecosystem.core.models import PublicationStatus
from ecosystem.core.search import search_key, words
from ecosystem.core.text import CleanTextMixin


class ReadableChanges(HistoricalRecordContextHelper):
    """A version's changes as staff read them: a choice by its label in their language
    ("archivé"), not its stored code ("archived")."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.choices and not isinstance(value, list):
            return dict(field.flatchoices).get(value, value)
        return super().prepare_delta_change_value(change, value)


class DirectoryForm(CleanTextMixin, forms.ModelForm):
    """Every admin form: what staff paste is checked and saved as clean text."""


ADMIN_COUNT_CAP = 1_000


class DirectoryAdmin(SimpleHistoryAdmin):
    """Every model's admin. Each save, inline edit, delete and bulk action writes one
    version with its reason; the history lists versions with their changes and reverts
    to any of them, relations included; deleted records are listed and restored."""

    form = DirectoryForm

    # Staff type "intracen.org": that means https, as Django 6 will assume.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    change_list_template = "admin/history/change_list.html"
    object_history_template = "admin/history/object_history.html"
    object_history_list_template = "admin/history/versions.html"
    history_list_per_page = 25
    # The changelist counts the matches of its search and filters, not also every row of
    # the table beside them ("5 results (300,000 total)"): a second count that grows with
    # the table, for a number staff do not need.
    show_full_result_count = False
    # Nor does the count of the matches grow with the table: staff find a record by its
    # name and the filters, not on page 200, so counting stops past ADMIN_COUNT_CAP and so
    # do the pages ("More than 1,000 results"). A search for a common word among a
    # million SMEs read 10,000 rows from disk to count them (0.7 s).
    paginator = partial(CappedPaginator, cap=ADMIN_COUNT_CAP)

    def page_name(self, page):
        """The URL name of one of this model's admin pages: "members_organization_change"."""
        return f"{self.opts.app_label}_{self.opts.model_name}_{page}"

    def page_url(self, page, *args):
        return reverse(f"{self.admin_site.name}:{self.page_name(page)}", args=args)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("deleted/", view(self.deleted_view), name=self.page_name("deleted")),
            path(
                "deleted/<path:object_id>/restore/",
                view(require_POST(self.restore_view)),
                name=self.page_name("restore"),
            ),
            path(
                "<path:object_id>/history/<int:version_id>/revert/",
                view(self.revert_view),
                name=self.page_name("revert"),
            ),
            *super().get_urls(),
        ]

    # Every change is one version, with its reason ---------------------------------

    def changeform_view(self, request, *args, **kwargs):
        with history.reason("admin-form"):
            return super().changeform_view(request, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        # The version is written once the relations are saved too (save_related).
        obj.skip_history_when_saving = True
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        del form.instance.skip_history_when_saving
        history.write_version(form.instance, "~" if change else "+")

    def save_formset(self, request, form, formset, change):
        with history.reason("admin-inline"):
            super().save_formset(request, form, formset, change)

    def delete_view(self, request, *args, **kwargs):
        with history.reason("admin-delete"):
            return super().delete_view(request, *args, **kwargs)

    def delete_queryset(self, request, queryset):
        with history.reason("bulk-action", "delete"):
            super().delete_queryset(request, queryset)

    # History, revert, deleted records ----------------------------------------------

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChanges(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, **kwargs):
        super().set_history_delta_changes(request, historical_records, **kwargs)
        records = list(historical_records)
        for newer, older in zip(records, records[1:], strict=False):
            # The rows the record owns (roles, sites...) changed with this version too.
            newer.history_delta_changes = [
                *getattr(newer, "history_delta_changes", []),
                *history.owned_changes(self.model, newer, older),
            ]
        for record in records:
            record.reason_label = history.reason_label(record.history_change_reason)

    def history_view(self, request, object_id, extra_context=None):
        # Only those who may revert are offered a revert.
        extra_context = {
            **(extra_context or {}),
            "revert_disabled": not self.can_publish(request),
        }
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A version is shown read-only: reverting goes through revert_view, which
        # brings the relations back too.
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        extra_context = {**(extra_context or {}), "revert_disabled": True}
        return super().history_form_view(request, object_id, version_id, extra_context)

    def can_publish(self, request):
        """Publishers publish, unpublish, archive and revert a record of a kind that has
        a publish permission; for the others (a role, a site), reverting is for those
        who may delete them."""
        codename = f"publish_{self.opts.model_name}"
        if any(name == codename for name, _label in self.opts.permissions):
            return request.user.has_perm(f"{self.opts.app_label}.{codename}")
        return self.has_delete_permission(request)

    def revert_view(self, request, object_id, version_id):
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not (self.has_change_permission(request, obj) and self.can_publish(request)):
            raise PermissionDenied
        version = (
            get_history_manager_for_model(self.model)
            .filter(**{self.opts.pk.attname: obj.pk}, history_id=version_id)
            .exclude(history_type="-")
            .first()
        )
        if version is None:
            raise Http404
        if request.method == "POST":
            try:
                history.revert(obj, version, user=request.user)
            except history.HistoryError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("“%(record)s” is back as it was on %(date)s.")
                    % {
                        "record": obj,
                        "date": date_format(localtime(version.history_date), "DATETIME_FORMAT"),
                    },
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(self.page_url("change", obj.pk))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Revert %(record)s") % {"record": obj},
            "opts": self.opts,
            "object": obj,
            "version": version,
            "plan": history.revert_plan(obj, version),
        }
        return TemplateResponse(request, "admin/history/revert.html", context)

    def deleted_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        records = list(history.deleted(self.model).select_related("history_user")[:200])
        for record in records:
            record.reason_label = history.reason_label(record.history_change_reason)
            record.record_pk = getattr(record, self.opts.pk.attname)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deleted %(records)s") % {"records": self.opts.verbose_name_plural},
            "opts": self.opts,
            "records": records,
            # An Editor sees what was deleted; only a Publisher is offered to restore it.
            "can_restore": self.can_publish(request),
        }
        return TemplateResponse(request, "admin/history/deleted.html", context)

    def restore_view(self, request, object_id):
        if not (self.has_add_permission(request) and self.can_publish(request)):
            raise PermissionDenied
        try:
            pk = self.opts.pk.to_python(object_id)
        except ValidationError as error:
            raise Http404 from error
        try:
            obj = history.restore(self.model, pk, user=request.user)
        except history.HistoryError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(self.page_url("deleted"))
        self.message_user(
            request, _("“%(record)s” is restored.") % {"record": obj}, messages.SUCCESS
        )
        return HttpResponseRedirect(self.page_url("change", obj.pk))


class FreshnessFilter(admin.SimpleListFilter):
    title = _("freshness")
    parameter_name = "freshness"

    def lookups(self, request, model_admin):
        return [
            (
                "stale",
                _("may be out of date (not checked for %(months)s months)")
                % {"months": settings.VERIFIED_RECENTLY_MONTHS},
            ),
            ("never", _("never verified")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "stale":
            return queryset.stale()
        if self.value() == "never":
            return queryset.filter(last_verified__isnull=True)
        return queryset


class FoldedSearch:
    """Search through the folded copies of the names (search_names: see
    ecosystem.core.search), the query folded the same way, so that "senegal" finds
    "Sénégal" and "cote divoire" finds "Côte d’Ivoire". `search_fields` name the folded
    columns with their lookup ("organization__search_names__contains")."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_key(search_term))


class PublishableForm(DirectoryForm):
    def clean(self):
        cleaned_data = super().clean()
        published = cleaned_data.get("publication_status") == PublicationStatus.PUBLISHED
        if published and "sources" in self.fields and not cleaned_data.get("sources"):
            self.add_error(
                "sources",
                _("A published record cites at least one source: add the document it comes from."),
            )
        return cleaned_data


class PublishableAdmin(DirectoryAdmin):
    """What staff need on every organization, programme and event: find by name in
    either language, filter by status, country and sector, publish in bulk."""

    form = PublishableForm

    list_display = ["__str__", "publication_status", "country_codes", "updated"]
    list_filter = ["publication_status", FreshnessFilter, "countries", "sectors"]
    search_fields = ["search_names", "slug"]  # see get_search_results
    autocomplete_fields = ["countries", "sectors", "sources"]
    prepopulated_fields = {"slug": ["name_en"]}
    readonly_fields = ["verified_by", "created", "updated"]
    actions = [publish, unpublish, archive, mark_verified]
    list_per_page = 50
    identity_fieldset = (
        None,
        {"fields": ["name_en", "name_fr", "acronym", "slug", "publication_status"]},
    )
    text_fieldset = (
        _("Text"),
        {"fields": ["summary_en", "summary_fr", "description_en", "description_fr", "website"]},
    )
    where_fieldset = (_("Where and what"), {"fields": ["countries", "sectors"]})
    provenance_fieldset = (
        _("Provenance"),
        {"fields": ["sources", ("last_verified", "verified_by"), "created", "updated"]},
    )

    def get_search_results(self, request, queryset, search_term):
        """Records whose names or acronym hold every word of the query, as the public
        search folds them ("senegal" finds "Sénégal"), or whose slug is the query. The
        names are also the start of search_text, whose trigram index (PostgreSQL)
        finds the candidates; search_names then keeps to the names, as staff expect of
        the list (a country or a summary's word would bury the record sought). An
        icontains on each name column, served by no index, read every row instead."""
        terms = words(search_term)
        if not terms:
            return queryset, False
        names = Q()
        for term in terms:
            names &= Q(search_text__contains=term, search_names__contains=term)
        # A slug pasted from an address, found whole by its unique index.
        return queryset.filter(names | Q(slug=search_term.strip())), False

    def get_queryset(self, request):
        # The changelist shows the country codes: one query for all rows, not one per row.
        return super().get_queryset(request).prefetch_related("countries")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.can_publish(request):
            for name in ("publish", "unpublish", "archive"):
                actions.pop(name, None)
        return actions

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if self.can_publish(request) or "publication_status" not in form.base_fields:
            return form
        # Editors write drafts and submit them for review; a published or archived
        # record's status is the Publishers' to change. The list offers what an Editor
        # may choose, and any other value sent is refused with a message (a disabled
        # field would drop it silently, and the save would say "changed successfully").
        field = form.base_fields["publication_status"]
        editable = [PublicationStatus.DRAFT, PublicationStatus.REVIEW]
        if obj is not None and obj.publication_status not in editable:
            allowed = [obj.publication_status]
            field.help_text = _(
                "Only a Publisher changes the status of a published or archived record."
            )
        else:
            allowed = editable
        field.choices = [c for c in PublicationStatus.choices if c[0] in allowed]
        field.error_messages = {
            **field.error_messages,
            "invalid_choice": _(
                "Only a Publisher publishes, unpublishes or archives a record. "
                "Status you may choose here: %(allowed)s."
            )
            % {"allowed": ", ".join(str(label) for value, label in field.choices)},
        }
        return form

    @admin.display(description=_("countries"))
    def country_codes(self, obj):
        return ", ".join(country.code for country in obj.countries.all())
