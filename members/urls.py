from django.urls import path

from members import views

app_name = "members"
urlpatterns = [
    path("organizations/", views.organization_list, name="organization-list"),
    path("organizations/export.csv", views.organization_export, name="organization-export"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization-detail"),
    path("smes/", views.sme_list, name="sme-list"),
    path("smes/export.csv", views.sme_export, name="sme-export"),
]
