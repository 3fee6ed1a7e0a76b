from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from ecosystem.core.exports import csv_response
from ecosystem.core.listing import lenient_filterset
from ecosystem.site.views import directory_list
from events import calendar
from events.exports import COLUMNS
from events.filters import EventFilter
from events.models import Event


def event_list(request):
    return directory_list(
        request,
        EventFilter,
        Event.objects.published().for_list(),
        title=_("Events"),
        description=_(
            "Trade shows, conferences, sector consultations, study visits and trainings of "
            "the West African tech-support ecosystem."
        ),
        row_template="events/_event_row.html",
        export_url="events:event-export",
        subscribe_url="events-calendar",
    )


def event_export(request):
    return csv_response(
        request, EventFilter, Event.objects.published().for_api(), COLUMNS, "events.csv"
    )


def event_detail(request, slug):
    event = get_object_or_404(Event.objects.published().for_detail(), slug=slug)
    return render(request, "events/event_detail.html", {"event": event})


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
