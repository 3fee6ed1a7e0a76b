"""The IATI export's and "who does what where"'s API addresses: outside the language
prefix, and before the API's own (ecosystem/project/urls.py), whose programme detail
would take "iati.xml" for a slug and a format."""

from django.urls import path

from iati import views

urlpatterns = [
    path("api/v1/programmes/iati.xml", views.ProgrammeListXml.as_view(), name="iati-programmes"),
    # Any segment, so that one that is no slug gets the view's 404, not a redirect to an
    # address with a slash added.
    path(
        "api/v1/programmes/<str:slug>/iati.xml",
        views.ProgrammeXml.as_view(),
        name="iati-programme",
    ),
    path(
        "api/v1/who-does-what-where/",
        views.WhoDoesWhatWhere.as_view(),
        name="who-does-what-where-api",
    ),
]
