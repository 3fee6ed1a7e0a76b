from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from ecosystem.core.listing import lenient_filterset
from events import calendar
from events.filters import EventFilter
from events.models import Event

# A calendar application fetches the whole feed on every refresh: the latest events
# matching the filters, not the whole history of the directory.
CALENDAR_EVENTS = 500


def calendar_feed(request):
    """The latest events matching the list's filters (CALENDAR_EVENTS, the furthest
    ahead first), for a calendar application to subscribe."""
    # Each entry shows its country and nothing else related: for_api()'s four lists,
    # prefetched for 500 events, took most of a calendar's time.
    filterset, _ignored = lenient_filterset(
        EventFilter, request.GET, Event.objects.published().select_related("country")
    )
    events = filterset.qs.order_by("-start", "pk")[:CALENDAR_EVENTS]
    body = calendar.calendar(
        events, request.build_absolute_uri, str(_("Tech-support ecosystem events"))
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
