from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ecosystem.core.admin.dashboard import OtherWork, register_work
from ecosystem.core.registry import registry
from ecosystem.core.text import CleanTextMixin
from suggestions.models import PROPOSED, SUBMITTER, Suggestion, SuggestionStatus
from suggestions.moderation import accept

SUBMITTED = ["kind", "record_type", "record_slug", *PROPOSED, *SUBMITTER, "created"]


def accept_one(request, suggestion):
    """Accept a suggestion, or say why it cannot be; returns the record or None."""
    try:
        return accept(suggestion, request.user)
    except (ValidationError, ValueError) as error:
        reason = "; ".join(error.messages) if isinstance(error, ValidationError) else error
        messages.error(request, f"{suggestion}: {reason}")
        return None


@admin.action(description=_("Accept the selected suggestions (new records arrive as drafts)"))
def accept_suggestions(modeladmin, request, queryset):
    accepted = sum(
        accept_one(request, suggestion) is not None
        for suggestion in queryset.filter(status=SuggestionStatus.PENDING)
    )
    messages.success(
        request,
        ngettext("%(count)d suggestion accepted.", "%(count)d suggestions accepted.", accepted)
        % {"count": accepted},
    )
    decided = queryset.exclude(status=SuggestionStatus.PENDING).count()
    if decided:
        messages.warning(
            request,
            ngettext(
                "%(count)d suggestion was left alone: it is already accepted or rejected.",
                "%(count)d suggestions were left alone: they are already accepted or rejected.",
                decided,
            )
            % {"count": decided},
        )


class SuggestionAdminForm(CleanTextMixin, forms.ModelForm):
    """The reason is required when the suggestion is rejected (the form's "Reject"
    button, `_reject`)."""

    def clean(self):
        data = super().clean()
        if "_reject" in self.data and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why the suggestion is rejected."))
        return data


# On the admin's dashboard: how many suggestions wait, linking to them.
register_work(
    OtherWork(
        _("Suggestions to moderate"),
        lambda: Suggestion.objects.filter(status=SuggestionStatus.PENDING).count(),
        lambda: (
            reverse("admin:suggestions_suggestion_changelist")
            + f"?status__exact={SuggestionStatus.PENDING}"
        ),
        "suggestions.view_suggestion",
    )
)


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    """The moderation queue: the oldest first; each suggestion beside its record."""

    list_display = ["created", "kind", "record_type", "__str__", "submitter_name", "status"]
    list_filter = ["status", "kind", "record_type"]
    ordering = ["created"]
    # No second count of the whole table beside the matches (as DirectoryAdmin).
    show_full_result_count = False
    actions = [accept_suggestions]
    form = SuggestionAdminForm
    change_form_template = "admin/suggestions/suggestion/change_form.html"
    # The status changes only by the work that goes with it: accepting creates or
    # updates the record, rejecting keeps the reason (the form's two buttons, and the
    # list's action). A status set by hand would lose the suggestion's content.
    readonly_fields = [*SUBMITTED, "current_record", "status", "reviewed_by", "result_slug"]
    fields = [*SUBMITTED, "current_record", "status", "reason", "reviewed_by", "result_slug"]

    def has_add_permission(self, request):
        return False  # suggestions come from the public form

    @admin.display(description=_("the record today"))
    def current_record(self, obj):
        if not obj.record_slug or obj.record_type not in registry_keys():
            return "—"
        record = registry[obj.record_type].model.objects.filter(slug=obj.record_slug).first()
        if record is None:
            return "—"
        rows = [
            (_("name"), record.name),
            (_("summary"), record.summary),
            (_("website"), record.website),
            (_("countries"), ", ".join(c.name for c in record.countries.all())),
            (_("sectors"), ", ".join(s.name for s in record.sectors.all())),
        ]
        if hasattr(record, "email"):  # an organization's contact details
            rows += [(_("public email"), record.email), (_("phone"), record.phone)]
        return format_html_join("", "<p><strong>{}</strong>: {}</p>", rows)

    def save_model(self, request, obj, form, change):
        obj.rejected_now = "_reject" in request.POST and obj.status == SuggestionStatus.PENDING
        if obj.rejected_now:
            obj.status, obj.reviewed_by = SuggestionStatus.REJECTED, request.user
        super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        if not {"_accept", "_reject"} & set(request.POST):
            return super().response_change(request, obj)
        if getattr(obj, "rejected_now", False):
            self.message_user(request, _("The suggestion is rejected."), messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:suggestions_suggestion_changelist"))
        here = reverse("admin:suggestions_suggestion_change", args=[obj.pk])
        if obj.status != SuggestionStatus.PENDING:
            self.message_user(
                request, _("This suggestion is already accepted or rejected."), messages.WARNING
            )
            return HttpResponseRedirect(here)
        record = accept_one(request, obj)
        if record is None:
            return HttpResponseRedirect(here)
        opts = record._meta
        self.message_user(
            request,
            format_html(
                _('The suggestion is accepted: <a href="{url}">{record}</a>.'),
                url=reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]),
                record=record,
            ),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:suggestions_suggestion_changelist"))


def registry_keys():
    return {record_type.key for record_type in registry}
