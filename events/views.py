from django.shortcuts import get_object_or_404, render

from events.models import Event


def event_detail(request, slug):
    event = get_object_or_404(Event.objects.published().for_detail(), slug=slug)
    return render(request, "events/event_detail.html", {"event": event})
