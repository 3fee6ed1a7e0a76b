"""The read-only JSON API's addresses under /api/v1/: one endpoint per record type of the
registry, then countries and sectors, the OpenAPI schema and its readable docs."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotFound
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
        # Past the endpoints (a detail's address that no slug can fill, say), the API's
        # JSON 404 rather than the site's HTML page. Only addresses ending with a slash:
        # without one, Django first redirects to the address with it.
        re_path(r"^[\s\S]*/$", not_found),
    ]


def not_found(request):
    return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
