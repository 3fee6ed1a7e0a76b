from django.urls import path

from events import views

app_name = "events"
urlpatterns = [
    path("events/", views.event_list, name="event-list"),
    path("events/export.csv", views.event_export, name="event-export"),
    path("events/<slug:slug>/", views.event_detail, name="event-detail"),
    path("events/<slug:slug>.ics", views.event_calendar, name="event-calendar"),
]
