from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ecosystem.core.views import record_paths
from events import views

app_name = "events"
urlpatterns = [
    *record_paths("events", _("events/"), "event"),
    *record_paths("series", _("series/"), "series"),
    path(
        format_lazy("{}<slug:slug>.ics", _("events/")),
        views.event_calendar,
        name="event-calendar",
    ),
]
# Outside the language prefix: a calendar application subscribes to one address.
root_urlpatterns = [path("events.ics", views.calendar_feed, name="events-calendar")]
