from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from iati import views

app_name = "iati"
urlpatterns = [
    path(_("who-does-what-where/"), views.who_does_what_where, name="who-does-what-where"),
    path(
        format_lazy("{}export.csv", _("who-does-what-where/")),
        views.who_does_what_where_csv,
        name="who-does-what-where-export",
    ),
]
