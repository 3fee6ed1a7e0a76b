from django.urls import path

from events import views

app_name = "events"
urlpatterns = [
    path("<slug:slug>/", views.event_detail, name="event-detail"),
]
