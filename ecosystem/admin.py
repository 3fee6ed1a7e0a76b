"""The admins of the core's models: countries, sectors and sources; and the link checks,
which staff read and the checker writes (ecosystem.core.links)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ecosystem.core.admin import jobs  # noqa: F401  (the jobs page, and failed jobs on the dashboard)
from ecosystem.core.admin.base import DirectoryAdmin
from ecosystem.core.links.models import MARKED_AFTER, LinkCheck
from ecosystem.core.models import Country, Sector, Source


@admin.register(Country)
class CountryAdmin(DirectoryAdmin):
    list_display = ["code", "name_en", "name_fr", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name_en", "name_fr"]
    readonly_fields = ["name_en", "name_fr"]
    fields = ["code", "name_en", "name_fr", "region"]

    def get_readonly_fields(self, request, obj=None):
        # The code is the key: fixed once created.
        return [*self.readonly_fields, "code"] if obj else self.readonly_fields


@admin.register(Sector)
class SectorAdmin(DirectoryAdmin):
    list_display = ["name_en", "name_fr", "slug", "parent"]
    list_select_related = ["parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["slug", "name_en", "name_fr"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Source)
class SourceAdmin(DirectoryAdmin):
    list_display = ["title", "publisher", "author", "language", "published_display"]
    list_filter = ["language", "publisher"]
    search_fields = ["title", "publisher", "author", "url", "document"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published"

    @admin.display(description=_("published"), ordering="published")
    def published_display(self, obj):
        return obj.published_display


class LinkStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("failing", _("failing (last check failed)")),
            ("marked", _("marked on public pages (failed twice or more in a row)")),
            ("answering", _("answering")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "failing":
            return queryset.filter(consecutive_failures__gt=0)
        if self.value() == "marked":
            return queryset.filter(consecutive_failures__gte=MARKED_AFTER)
        if self.value() == "answering":
            return queryset.filter(consecutive_failures=0)
        return queryset


@admin.register(LinkCheck)
class LinkCheckAdmin(admin.ModelAdmin):
    """Read-only: the checker (manage.py check_links) writes these rows; what to do with
    a broken link is staff's edit of the record or source that cites it."""

    list_display = [
        "address",
        "outcome",
        "status",
        "consecutive_failures",
        "first_failed",
        "checked",
        "final_address",
    ]
    list_filter = [LinkStateFilter, "outcome"]
    search_fields = ["address", "final_address"]
    # No second count of the whole table beside the matches (as DirectoryAdmin).
    show_full_result_count = False
    date_hierarchy = "checked"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
