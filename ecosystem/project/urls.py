from importlib import import_module

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.templatetags.static import static
from django.urls import include, path, register_converter
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from ecosystem.core.admin.dashboard import work_list
from ecosystem.core.registry import registry
from ecosystem.opendata import api
from ecosystem.opendata.admin_import import import_view
from ecosystem.site import views
from ecosystem.site.feeds import UpdatesFeed
from ecosystem.site.sitemaps import Urlset, sitemaps


class CountryCodeConverter:
    """Two letters, in either case (ISO 3166-1 alpha-2)."""

    regex = "[A-Za-z]{2}"

    def to_python(self, value):
        return value.upper()

    def to_url(self, value):
        return value.lower()


register_converter(CountryCodeConverter, "country")

# Each app that brings record types brings its URLs: urls.py, under the language prefix,
# and root_urlpatterns outside it (a calendar to subscribe to).
feature_urls = [import_module(f"{name}.urls") for name in registry.app_names()]

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots, name="robots"),
    # Browsers ask for /favicon.ico whatever a page links (a JSON answer, a feed): the
    # icon, served by WhiteNoise under its hashed name with a long cache.
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static, str)("favicon.ico")),
        name="favicon",
    ),
    # An index of sitemaps, each section in files of at most 20,000 URLs (the protocol
    # allows 50,000): a million SMEs make 100 files, not one that no robot reads.
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps(), "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps(), "template_name": Urlset()},
        name="sitemap-section",
    ),
    *(pattern for urls in feature_urls for pattern in getattr(urls, "root_urlpatterns", [])),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        f"{settings.ADMIN_URL}work/<slug:name>/",
        admin.site.admin_view(work_list),
        {},
        name="work-list",
    ),
    path(f"{settings.ADMIN_URL}import/", admin.site.admin_view(import_view), name="admin-import"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("iati.api_urls")),
    path("api/v1/", include((api.urls(), "api"))),
    path("dataset/", views.dataset_file, name="dataset"),
    path("dataset/<str:file>", views.dataset_file, name="dataset-file"),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path(_("search/"), views.search_page, name="search"),
    path("feed.atom", UpdatesFeed(), name="feed"),
    path(_("countries/"), views.country_list, name="country-list"),
    path(
        format_lazy("{}<country:code>/", _("countries/")),
        views.country_detail,
        name="country-detail",
    ),
    path(_("sectors/"), views.sector_list, name="sector-list"),
    path(format_lazy("{}<slug:slug>/", _("sectors/")), views.sector_detail, name="sector-detail"),
    *(path("", include(urls)) for urls in feature_urls),
    path("", include("suggestions.urls")),
    path("", include("iati.urls")),
    path("", include("alerts.urls")),
    prefix_default_language=True,
)
handler500 = "ecosystem.site.views.server_error"
