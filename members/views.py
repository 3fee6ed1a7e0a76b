from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from ecosystem.views import directory_list
from members.filters import OrganizationFilter, SMEFilter
from members.models import Organization


def organization_list(request):
    return directory_list(
        request,
        OrganizationFilter,
        Organization.objects.published().support_organizations().for_list(),
        title=_("Organizations"),
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
        description=_("The SMEs and start-ups the ecosystem's programmes support."),
        row_template="members/_organization_row.html",
    )


def organization_detail(request, slug):
    organization = get_object_or_404(Organization.objects.published().for_detail(), slug=slug)
    return render(request, "members/organization_detail.html", {"organization": organization})
