from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from ecosystem.core.listing import lenient_filterset
from events import calendar
from events.filters import EventFilter
from events.models import Event


def calendar_feed(request):
    """All events matching the list's filters, for a calendar application to subscribe."""
    filterset, _ignored = lenient_filterset(
        EventFilter, request.GET, Event.objects.published().for_api()
    )
    body = calendar.calendar(
        filterset.qs, request.build_absolute_uri, str(_("Tech-support ecosystem events"))
    )
    return calendar_response(body, "events.ics")


def event_calendar(request, slug):
    event = get_object_or_404(Event.objects.published().for_api(), slug=slug)
    return calendar_response(
        calendar.calendar([event], request.build_absolute_uri, event.name), f"{slug}.ics"
    )


def calendar_response(body, filename):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
