from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from ecosystem.core.exports import csv_response
from ecosystem.pictures import relationship_graph
from ecosystem.site.views import directory_list
from members.exports import COLUMNS
from members.filters import OrganizationFilter, SMEFilter
from members.models import Organization


def organization_list(request):
    return directory_list(
        request,
        OrganizationFilter,
        Organization.objects.published().support_organizations().for_list(),
        title=_("Organizations"),
        export_url="members:organization-export",
        description=_(
            "Associations, agencies, funders and support centres for tech and agri-food "
            "SMEs in Senegal and West Africa."
        ),
        row_template="members/_organization_row.html",
    )


def sme_list(request):
    return directory_list(
        request,
        SMEFilter,
        Organization.objects.published().smes().for_list(),
        title=_("SMEs and start-ups"),
        export_url="members:sme-export",
        description=_("The SMEs and start-ups the ecosystem's programmes support."),
        row_template="members/_organization_row.html",
    )


def organization_export(request):
    queryset = Organization.objects.published().support_organizations().for_api()
    return csv_response(request, OrganizationFilter, queryset, COLUMNS, "organizations.csv")


def sme_export(request):
    queryset = Organization.objects.published().smes().for_api()
    return csv_response(request, SMEFilter, queryset, COLUMNS, "smes.csv")


def organization_detail(request, slug):
    organization = get_object_or_404(Organization.objects.published().for_detail(), slug=slug)
    graph = relationship_graph(organization, links(organization))
    return render(
        request,
        "members/organization_detail.html",
        {"organization": organization, "graph": graph},
    )


def links(organization):
    """The organization's neighbours for its relationship graph."""
    return [
        *((r.programme, r.role, r.get_role_display()) for r in organization.programme_roles.all()),
        *((r.event, r.role, r.get_role_display()) for r in organization.event_roles.all()),
        *((m.organization, "member", _("member of")) for m in organization.memberships.all()),
        *((m.member, "member", _("member")) for m in organization.members.all()),
    ]
