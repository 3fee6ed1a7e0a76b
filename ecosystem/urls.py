from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from ecosystem import api, views
from ecosystem.feeds import UpdatesFeed
from ecosystem.sitemaps import SITEMAPS
from events import views as event_views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("events.ics", event_views.calendar_feed, name="events-calendar"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api.urls(), "api"))),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("search/", views.search_page, name="search"),
    path("feed.atom", UpdatesFeed(), name="feed"),
    path("countries/", views.country_list, name="country-list"),
    path("countries/<str:code>/", views.country_detail, name="country-detail"),
    path("sectors/", views.sector_list, name="sector-list"),
    path("sectors/<slug:slug>/", views.sector_detail, name="sector-detail"),
    path("", include("members.urls")),
    path("", include("programmes.urls")),
    path("", include("events.urls")),
    prefix_default_language=True,
)
