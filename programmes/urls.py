from django.urls import path

from programmes import views

app_name = "programmes"
urlpatterns = [
    path("programmes/", views.programme_list, name="programme-list"),
    path("programmes/export.csv", views.programme_export, name="programme-export"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme-detail"),
]
