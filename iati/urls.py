from django.urls import path

from iati import views

app_name = "iati"
urlpatterns = []
# Outside the language prefix and before the API's own addresses, whose programme
# detail would take "iati.xml" for a slug and a format (ecosystem/project/urls.py).
root_urlpatterns = [
    path("api/v1/programmes/iati.xml", views.ProgrammeListXml.as_view(), name="iati-programmes"),
    path(
        "api/v1/programmes/<slug:slug>/iati.xml",
        views.ProgrammeXml.as_view(),
        name="iati-programme",
    ),
]
