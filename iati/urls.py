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
# Outside the language prefix and before the API's own addresses, whose programme
# detail would take "iati.xml" for a slug and a format (ecosystem/project/urls.py).
root_urlpatterns = [
    path("api/v1/programmes/iati.xml", views.ProgrammeListXml.as_view(), name="iati-programmes"),
    path(
        "api/v1/programmes/<slug:slug>/iati.xml",
        views.ProgrammeXml.as_view(),
        name="iati-programme",
    ),
    path(
        "api/v1/who-does-what-where/",
        views.WhoDoesWhatWhere.as_view(),
        name="who-does-what-where-api",
    ),
]
