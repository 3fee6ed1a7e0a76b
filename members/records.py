"""Organizations and SMEs in the registry of record types (ecosystem.core.registry)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ecosystem.core.records import record_type
from ecosystem.core.registry import DemoSection, SeedSection, registry
from members import api, demo, exports, filters, seeding, structured_data, views
from members.models import Organization, OrganizationKind

COMMON = {
    "model": Organization,
    "row_template": "members/_organization_row.html",
    "detail_template": "members/organization_detail.html",
    "serializer": api.OrganizationSerializer,
    "csv_columns": exports.COLUMNS,
    "json_ld": structured_data.for_organization,
    "detail_context": views.detail_context,
    "on_map": True,
}

ORGANIZATIONS = record_type(
    key="organizations",
    position=20,
    published=lambda: Organization.objects.published().support_organizations(),
    pages=lambda: Organization.objects.published(),  # SMEs' pages too
    holds=lambda record: record.kind != OrganizationKind.SME,
    filterset=filters.OrganizationFilter,
    viewset=api.OrganizationViewSet,
    title=_("Organizations"),
    count_label=ngettext_lazy("%(counter)s organization", "%(counter)s organizations", "counter"),
    empty_here=_("No organization here yet."),
    description=_(
        "Associations, agencies, funders and support centres for tech and agri-food "
        "SMEs in Senegal and West Africa."
    ),
    dataset_description="Support organizations: associations, agencies, funders, NGOs...",
    **COMMON,
)

SMES = record_type(
    key="smes",
    position=30,
    published=lambda: Organization.objects.published().smes(),
    filterset=filters.SMEFilter,
    viewset=api.SMEViewSet,
    list_url="members:sme-list",
    export_url="members:sme-export",
    title=_("SMEs and start-ups"),
    nav_label=_("SMEs"),
    count_label=ngettext_lazy("%(counter)s SME", "%(counter)s SMEs", "counter"),
    empty_here=_("No SME here yet."),
    description=_("The SMEs and start-ups the ecosystem's programmes support."),
    dataset_description="SMEs and start-ups.",
    has_pages=False,  # an SME's page is an organization's page
    holds=lambda record: record.kind == OrganizationKind.SME,
    by_record=True,
    import_defaults={"kind": OrganizationKind.SME},
    **COMMON,
)


def register():
    registry.register(ORGANIZATIONS)
    registry.register(SMES)
    registry.register_seed(
        SeedSection(
            "organizations",
            seeding.load_organization,
            finish=seeding.load_memberships,
            children=["memberships"],
        )
    )
    registry.register_demo(
        DemoSection("organizations", "support organizations", demo.make_organizations, 200)
    )
    registry.register_demo(DemoSection("smes", "SMEs and start-ups", demo.make_smes, 10000))
