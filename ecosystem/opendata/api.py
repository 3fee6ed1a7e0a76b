"""The read-only JSON API's addresses under /api/v1/: one endpoint per record type of the
registry, then countries and sectors, the OpenAPI schema and its readable docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from ecosystem.core.api import CountryViewSet, SectorViewSet
from ecosystem.core.registry import registry


def urls():
    router = DefaultRouter(trailing_slash=True)
    for record_type in registry:
        router.register(record_type.key, record_type.viewset, basename=record_type.key)
    router.register("countries", CountryViewSet, basename="country")
    router.register("sectors", SectorViewSet, basename="sector")
    return [
        path("schema/", SpectacularAPIView.as_view(), name="schema"),
        path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
        path("", include(router.urls)),
    ]
