from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from alerts import views
from alerts.feeds import FollowedFeed

app_name = "alerts"
urlpatterns = [
    path(_("alerts/follow/"), views.follow, name="follow"),
    # The same lists, followed without an address: ?list= and the filters, as above.
    path(format_lazy("{}feed.atom", _("alerts/")), FollowedFeed(), name="feed"),
    path(format_lazy("{}<str:token>/", _("alerts/confirm/")), views.confirm, name="confirm"),
    path(
        format_lazy("{}<str:token>/", _("alerts/unsubscribe/")),
        views.unsubscribe,
        name="unsubscribe",
    ),
]
