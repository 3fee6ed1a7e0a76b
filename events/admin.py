from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ecosystem.core.admin.base import PublishableAdmin, PublishableForm
from ecosystem.core.role_admin import RoleAdmin, RoleInline
from events.models import Event, EventRole, EventSeries, EventSeriesRole
from programmes.admin import PERIOD_FIELDS


class EventRoleInline(RoleInline):
    model = EventRole


class EventSeriesRoleInline(RoleInline):
    model = EventSeriesRole
    autocomplete_fields = [*RoleInline.autocomplete_fields, "programme"]


@admin.register(EventSeries)
class EventSeriesAdmin(PublishableAdmin):
    fieldsets = [
        PublishableAdmin.identity_fieldset,
        PublishableAdmin.text_fieldset,
        PublishableAdmin.where_fieldset,
        PublishableAdmin.provenance_fieldset,
    ]
    inlines = [EventSeriesRoleInline]


class EventForm(PublishableForm):
    def clean(self):
        cleaned_data = super().clean()
        country, countries = cleaned_data.get("country"), cleaned_data.get("countries")
        if country and countries is not None and country not in countries:
            # The form saves the countries after the event: keep where it was held.
            cleaned_data["countries"] = [*countries, country]
        return cleaned_data


@admin.register(Event)
class EventAdmin(PublishableAdmin):
    form = EventForm
    list_display = ["__str__", "kind", "period", "city", "country", "status", "publication_status"]
    list_select_related = ["country"]
    list_filter = [
        "kind",
        "status",
        *PublishableAdmin.list_filter,
        ("series", admin.RelatedOnlyFieldListFilter),
    ]
    autocomplete_fields = [
        *PublishableAdmin.autocomplete_fields,
        "series",
        "programme",
        "country",
        "dates_source",
    ]
    date_hierarchy = "start"
    fieldsets = [
        PublishableAdmin.identity_fieldset,
        (
            _("Event"),
            {
                "fields": [
                    "kind",
                    "status",
                    "series",
                    "programme",
                    *PERIOD_FIELDS,
                    "dates_source",
                    ("venue", "city", "country"),
                    "online",
                ]
            },
        ),
        PublishableAdmin.text_fieldset,
        PublishableAdmin.where_fieldset,
        PublishableAdmin.provenance_fieldset,
    ]
    inlines = [EventRoleInline]

    @admin.display(description=_("dates"), ordering="start")
    def period(self, obj):
        return obj.period


admin.site.register(EventRole, RoleAdmin)
