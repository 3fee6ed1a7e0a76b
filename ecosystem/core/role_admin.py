"""The admin of role models (ecosystem.core.roles): one inline for a record's page and
one list of every role of a kind, shared by programmes and events."""

from django.contrib import admin

from ecosystem.core.admin.base import DirectoryAdmin, FoldedSearch


class RoleInline(admin.TabularInline):
    """The organizations and their roles, on a programme's or an event's page."""

    extra = 0
    autocomplete_fields = ["organization", "source"]


class RoleAdmin(FoldedSearch, DirectoryAdmin):
    """Every role of one kind (programme roles, event roles), found by either end."""

    list_filter = ["role"]
    autocomplete_fields = ["organization"]

    def __init__(self, model, admin_site):
        record = model.record_field
        self.list_display = ["organization", "role", record]
        self.list_select_related = ["organization", record]
        self.list_filter = ["role", (record, admin.RelatedOnlyFieldListFilter)]
        # Either end's names and acronym, folded (search_names): "senegal" finds them.
        self.search_fields = [f"{end}__search_names__contains" for end in ("organization", record)]
        self.autocomplete_fields = ["organization", record, "source"]
        super().__init__(model, admin_site)
