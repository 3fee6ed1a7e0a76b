from django.shortcuts import get_object_or_404, render

from members.models import Organization


def organization_detail(request, slug):
    organization = get_object_or_404(Organization.objects.published().for_detail(), slug=slug)
    return render(request, "members/organization_detail.html", {"organization": organization})
