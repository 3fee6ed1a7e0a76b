"""sitemap.xml: every published page in both languages, with hreflang alternates."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from ecosystem.core.models import Country, Sector
from ecosystem.core.registry import registry


class DirectorySitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    # Items per file; each is listed once per language (2 URLs).
    limit = 10_000


class PageSitemap(DirectorySitemap):
    changefreq = "daily"

    def items(self):
        return [
            "home",
            *(record_type.list_url for record_type in registry),
            "country-list",
            "sector-list",
        ]

    def location(self, item):
        return reverse(item)


class RecordSitemap(DirectorySitemap):
    def __init__(self, record_type):
        super().__init__()
        self.record_type = record_type

    def items(self):
        return self.record_type.published().order_by("pk")

    def lastmod(self, item):
        return item.updated


class HubSitemap(DirectorySitemap):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def items(self):
        return [
            hub
            for hub in self.model.objects.order_by("pk").with_record_counts()
            if hub.record_count
        ]


def sitemaps():
    return {
        "pages": PageSitemap(),
        **{t.key: RecordSitemap(t) for t in registry if t.in_sitemap},
        "countries": HubSitemap(Country),
        "sectors": HubSitemap(Sector),
    }
