from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ecosystem.core.admin import OtherWork, register_work
from ecosystem.core.registry import registry
from suggestions.models import PROPOSED, SUBMITTER, Suggestion, SuggestionStatus
from suggestions.moderation import accept

SUBMITTED = ["kind", "record_type", "record_slug", *PROPOSED, *SUBMITTER, "created"]


@admin.action(description=_("Accept the selected suggestions (new records arrive as drafts)"))
def accept_suggestions(modeladmin, request, queryset):
    accepted = 0
    for suggestion in queryset.filter(status=SuggestionStatus.PENDING):
        try:
            accept(suggestion, request.user)
        except (ValidationError, ValueError) as error:
            messages.error(request, f"{suggestion}: {error}")
        else:
            accepted += 1
    messages.success(
        request,
        ngettext("%(count)d suggestion accepted.", "%(count)d suggestions accepted.", accepted)
        % {"count": accepted},
    )


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
    actions = [accept_suggestions]
    readonly_fields = [*SUBMITTED, "current_record", "reviewed_by", "result_slug"]
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
        if obj.status != SuggestionStatus.PENDING:
            obj.reviewed_by = request.user
        super().save_model(request, obj, form, change)


def registry_keys():
    return {record_type.key for record_type in registry}
