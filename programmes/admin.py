from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ecosystem.core.admin.base import DirectoryAdmin, PublishableAdmin
from ecosystem.core.role_admin import RoleAdmin, RoleInline
from programmes.models import Contact, Indicator, Programme, ProgrammeRole, Site

PERIOD_FIELDS = [("start", "start_precision"), ("end", "end_precision")]


class ProgrammeRoleInline(RoleInline):
    model = ProgrammeRole


class SiteInline(admin.StackedInline):
    model = Site
    extra = 0
    autocomplete_fields = ["host", "country", "source", "location_source"]
    fields = [
        ("name", "status"),
        ("host", "city", "country"),
        ("latitude", "longitude", "location_source"),
        ("opened", "opened_precision"),
        ("note_en", "note_fr"),
        "source",
    ]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    autocomplete_fields = ["source"]
    fields = [
        "label_en",
        "label_fr",
        "qualifier",
        "value",
        "value_text_en",
        "value_text_fr",
        "unit_en",
        "unit_fr",
        "as_of",
        "as_of_precision",
        "source",
    ]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    autocomplete_fields = ["source"]
    fields = [
        "organisation",
        "person",
        "job_title",
        "email",
        "telephone",
        "website",
        "address",
        "source",
    ]


@admin.register(Programme)
class ProgrammeAdmin(PublishableAdmin):
    list_display = [
        "__str__",
        "parent",
        "period",
        "status_display",
        "publication_status",
        "country_codes",
    ]
    # The status reads the dates' source.
    list_select_related = ["parent", "dates_source"]
    list_filter = [
        *PublishableAdmin.list_filter,
        "existence",
        "reported_status",
        ("parent", admin.RelatedOnlyFieldListFilter),
    ]
    autocomplete_fields = [
        *PublishableAdmin.autocomplete_fields,
        "parent",
        "dates_source",
        "budget_source",
    ]
    date_hierarchy = "start"
    fieldsets = [
        PublishableAdmin.identity_fieldset,
        (
            _("Programme"),
            {
                "fields": [
                    "parent",
                    "existence",
                    *PERIOD_FIELDS,
                    "reported_status",
                    "dates_source",
                    ("budget_amount", "budget_currency", "budget_qualifier"),
                    "budget_source",
                    "objectives_en",
                    "objectives_fr",
                ]
            },
        ),
        PublishableAdmin.text_fieldset,
        PublishableAdmin.where_fieldset,
        PublishableAdmin.provenance_fieldset,
    ]
    inlines = [ProgrammeRoleInline, SiteInline, ContactInline, IndicatorInline]

    @admin.display(description=_("dates"), ordering="start")
    def period(self, obj):
        return obj.period

    def get_queryset(self, request):
        # The status says as of when, from the sources.
        return super().get_queryset(request).prefetch_related("sources")

    @admin.display(description=_("status"))
    def status_display(self, obj):
        return obj.get_status_display()


admin.site.register(ProgrammeRole, RoleAdmin)


@admin.register(Site)
class SiteAdmin(DirectoryAdmin):
    list_display = ["name", "programme", "host", "city", "country", "status", "opened_display"]
    list_select_related = ["programme", "host", "country"]
    list_filter = ["status", "country", ("programme", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "city", "host__name_en", "host__name_fr", "host__acronym"]
    autocomplete_fields = ["programme", "host", "country", "source", "location_source"]
    date_hierarchy = "opened"

    @admin.display(description=_("opened"), ordering="opened")
    def opened_display(self, obj):
        return obj.opened_display


@admin.register(Indicator)
class IndicatorAdmin(DirectoryAdmin):
    list_display = ["label_en", "qualifier", "value", "unit_en", "programme", "as_of_display"]
    list_select_related = ["programme"]
    list_filter = ["qualifier", ("programme", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["label_en", "label_fr", "programme__name_en", "programme__acronym"]
    autocomplete_fields = ["programme", "source"]

    @admin.display(description=_("as of"), ordering="as_of")
    def as_of_display(self, obj):
        return obj.as_of_display
