from django.contrib import admin, messages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ecosystem.models import Country, PublicationStatus, Sector, Source


class DirectoryAdmin(admin.ModelAdmin):
    # Staff type "intracen.org": that means https, as Django 6 will assume.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_fr", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name_en", "name_fr"]
    readonly_fields = ["name_en", "name_fr"]
    fields = ["code", "name_en", "name_fr", "region"]

    def get_readonly_fields(self, request, obj=None):
        # The code is the key: fixed once created.
        return [*self.readonly_fields, "code"] if obj else self.readonly_fields


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
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


def set_publication_status(modeladmin, request, queryset, status):
    # update() skips save(): set "updated" too, so feeds and sitemaps see the change.
    count = queryset.update(publication_status=status, updated=timezone.now())
    # One sentence per action: French agrees the participle with "fiches".
    message = {
        PublicationStatus.PUBLISHED: ngettext(
            "%(count)d record published.", "%(count)d records published.", count
        ),
        PublicationStatus.DRAFT: ngettext(
            "%(count)d record set back to draft.", "%(count)d records set back to draft.", count
        ),
        PublicationStatus.ARCHIVED: ngettext(
            "%(count)d record archived.", "%(count)d records archived.", count
        ),
    }[status]
    modeladmin.message_user(request, message % {"count": count}, messages.SUCCESS)


@admin.action(description=_("Publish the selected records"))
def publish(modeladmin, request, queryset):
    set_publication_status(modeladmin, request, queryset, PublicationStatus.PUBLISHED)


@admin.action(description=_("Unpublish the selected records (back to draft)"))
def unpublish(modeladmin, request, queryset):
    set_publication_status(modeladmin, request, queryset, PublicationStatus.DRAFT)


@admin.action(description=_("Archive the selected records"))
def archive(modeladmin, request, queryset):
    set_publication_status(modeladmin, request, queryset, PublicationStatus.ARCHIVED)


class PublishableAdmin(DirectoryAdmin):
    """What staff need on every organization, programme and event: find by name in
    either language, filter by status, country and sector, publish in bulk."""

    list_display = ["__str__", "publication_status", "country_codes", "updated"]
    list_filter = ["publication_status", "countries", "sectors"]
    search_fields = ["slug", "name_en", "name_fr", "acronym"]
    autocomplete_fields = ["countries", "sectors", "sources"]
    prepopulated_fields = {"slug": ["name_en"]}
    readonly_fields = ["created", "updated"]
    actions = [publish, unpublish, archive]
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
    provenance_fieldset = (_("Provenance"), {"fields": ["sources", "created", "updated"]})

    def get_queryset(self, request):
        # The changelist shows the country codes: one query for all rows, not one per row.
        return super().get_queryset(request).prefetch_related("countries")

    @admin.display(description=_("countries"))
    def country_codes(self, obj):
        return ", ".join(country.code for country in obj.countries.all())
