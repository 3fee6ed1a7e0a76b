from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from ecosystem.models import Country, Sector
from events.models import Event
from members.models import Organization
from programmes.models import Programme, ProgrammeStatus


def home(request):
    programmes = Programme.objects.published()
    return render(
        request,
        "ecosystem/home.html",
        {
            "counts": {
                "organizations": Organization.objects.published().support_organizations().count(),
                "smes": Organization.objects.published().smes().count(),
                "programmes": programmes.count(),
                "events": Event.objects.published().count(),
            },
            "active_programmes": programmes.with_status(ProgrammeStatus.ACTIVE).for_list(),
            "recent_events": Event.objects.published().for_list()[:5],
        },
    )


def country_detail(request, code):
    country = get_object_or_404(Country, code=code.upper()[:2])
    return render(request, "ecosystem/hub_detail.html", hub_context(country))


def sector_detail(request, slug):
    sector = get_object_or_404(Sector, slug=slug)
    return render(request, "ecosystem/hub_detail.html", hub_context(sector))


def hub_context(hub):
    """What a country or a sector page lists: the published records tied to it."""
    return {
        "hub": hub,
        "programmes": hub.programmes.published().for_list(),
        "organizations": hub.organizations.published().for_list(),
        "events": hub.events.published().for_list(),
    }


@never_cache
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
