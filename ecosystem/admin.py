"""The admins of the core's models: countries, sectors and sources."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ecosystem.core.admin import jobs  # noqa: F401  (the jobs page, and failed jobs on the dashboard)
from ecosystem.core.admin.base import DirectoryAdmin
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
