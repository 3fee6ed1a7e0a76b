from django.urls import path

from members import views

app_name = "members"
urlpatterns = [
    path("organizations/", views.organization_list, name="organization-list"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization-detail"),
    path("smes/", views.sme_list, name="sme-list"),
]
