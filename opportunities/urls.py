from django.urls import path
from django.utils.translation import gettext_lazy as _

from ecosystem.core.views import record_paths
from opportunities import views

app_name = "opportunities"
urlpatterns = [
    *record_paths("opportunities", _("opportunities/"), "opportunity"),
    path(_("find-support/"), views.find_support_page, name="find-support"),
]
# Outside the language prefix: a calendar application subscribes to one address, and
# the API lives under /api/v1/.
root_urlpatterns = [
    path("deadlines.ics", views.calendar_feed, name="deadlines-calendar"),
    path("api/v1/find-support/", views.find_support_api, name="find-support-api"),
]
