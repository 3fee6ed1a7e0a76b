from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ecosystem.core.admin.base import DirectoryAdmin, FoldedSearch, PublishableAdmin
from members.models import Membership, Organization


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "member"
    extra = 0
    autocomplete_fields = ["organization", "source"]
    verbose_name = _("relation with another organization")
    verbose_name_plural = _("relations with other organizations")


class MembersInline(MembershipInline):
    fk_name = "organization"
    autocomplete_fields = ["member", "source"]
    verbose_name = _("relation from another organization")
    verbose_name_plural = _("relations from other organizations")


@admin.register(Organization)
class OrganizationAdmin(PublishableAdmin):
    list_display = ["__str__", "kind", "hq_country", "publication_status", "country_codes"]
    list_select_related = ["hq_country"]
    list_filter = ["kind", *PublishableAdmin.list_filter, "hq_country"]
    autocomplete_fields = [*PublishableAdmin.autocomplete_fields, "hq_country"]
    readonly_fields = [*PublishableAdmin.readonly_fields, "logo_shown"]
    fieldsets = [
        PublishableAdmin.identity_fieldset,
        (_("Organization"), {"fields": ["kind", "hq_country", "hq_city", "founded"]}),
        (
            _("Contact"),
            {"fields": [("email", "phone"), "address", ("linkedin", "x", "facebook")]},
        ),
        (_("Logo"), {"fields": ["logo", "logo_shown"]}),
        PublishableAdmin.text_fieldset,
        PublishableAdmin.where_fieldset,
        PublishableAdmin.provenance_fieldset,
    ]
    inlines = [MembershipInline, MembersInline]

    @admin.display(description=_("as the site shows it"))
    def logo_shown(self, obj):
        if not obj.logo:
            return "—"
        return format_html(
            '<img src="{}" width="64" height="64" alt=""> <img src="{}" width="160" height="160"'
            ' alt="">',
            obj.logo_small,
            obj.logo_large,
        )


@admin.register(Membership)
class MembershipAdmin(FoldedSearch, DirectoryAdmin):
    list_display = ["member", "kind", "organization", "period"]
    list_select_related = ["member", "organization"]
    list_filter = [("organization", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["member__search_names__contains", "organization__search_names__contains"]
    autocomplete_fields = ["member", "organization", "source"]
