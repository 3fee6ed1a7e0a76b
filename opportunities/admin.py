from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ecosystem.core.admin.base import PublishableAdmin
from ecosystem.core.role_admin import RoleAdmin, RoleInline
from opportunities.models import Opportunity, OpportunityRole


class OpportunityRoleInline(RoleInline):
    model = OpportunityRole


@admin.register(Opportunity)
class OpportunityAdmin(PublishableAdmin):
    list_display = ["__str__", "kind", "deadline", "rolling", "publication_status"]
    list_filter = ["kind", "rolling", *PublishableAdmin.list_filter]
    autocomplete_fields = [*PublishableAdmin.autocomplete_fields, "programme", "dates_source"]
    date_hierarchy = "deadline"
    fieldsets = [
        PublishableAdmin.identity_fieldset,
        (
            _("Opportunity"),
            {
                "fields": [
                    "kind",
                    "programme",
                    ("opens", "opens_precision"),
                    ("deadline", "deadline_precision"),
                    ("deadline_time", "time_zone"),
                    "rolling",
                    "dates_source",
                ]
            },
        ),
        (
            _("Who may apply"),
            {
                "fields": [
                    ("stage_from", "stage_to"),
                    ("for_smes", "for_startups", "for_associations", "women_led_only"),
                ]
            },
        ),
        (
            _("What it gives and how to apply"),
            {
                "fields": [
                    ("amount_min", "amount_max", "currency"),
                    "benefits_en",
                    "benefits_fr",
                    "apply_url",
                    "contact",
                ]
            },
        ),
        PublishableAdmin.text_fieldset,
        PublishableAdmin.where_fieldset,
        PublishableAdmin.provenance_fieldset,
    ]
    inlines = [OpportunityRoleInline]


admin.site.register(OpportunityRole, RoleAdmin)
