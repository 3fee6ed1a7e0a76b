from django.urls import path

from ecosystem.core.views import record_paths
from events import views

app_name = "events"
urlpatterns = [
    *record_paths("events", "events", "event"),
    *record_paths("series", "series", "series"),
    path("events/<slug:slug>.ics", views.event_calendar, name="event-calendar"),
]
# Outside the language prefix: a calendar application subscribes to one address.
root_urlpatterns = [path("events.ics", views.calendar_feed, name="events-calendar")]
