from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from ecosystem.exports import csv_response
from ecosystem.views import directory_list
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
    )


def event_export(request):
    return csv_response(
        request, EventFilter, Event.objects.published().for_api(), COLUMNS, "events.csv"
    )


def event_detail(request, slug):
    event = get_object_or_404(Event.objects.published().for_detail(), slug=slug)
    return render(request, "events/event_detail.html", {"event": event})
