"""sitemap.xml: every published page in both languages, with hreflang alternates."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from ecosystem.core.models import Country, Sector
from events.models import Event
from members.models import Organization
from programmes.models import Programme


class DirectorySitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class PageSitemap(DirectorySitemap):
    changefreq = "daily"

    def items(self):
        return [
            "home",
            "programmes:programme-list",
            "members:organization-list",
            "members:sme-list",
            "events:event-list",
            "country-list",
            "sector-list",
        ]

    def location(self, item):
        return reverse(item)


class RecordSitemap(DirectorySitemap):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def items(self):
        return self.model.objects.published().order_by("pk")

    def lastmod(self, item):
        return item.updated


class HubSitemap(DirectorySitemap):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def items(self):
        return self.model.objects.with_record_counts().filter(record_count__gt=0).order_by("pk")


SITEMAPS = {
    "pages": PageSitemap(),
    "organizations": RecordSitemap(Organization),
    "programmes": RecordSitemap(Programme),
    "events": RecordSitemap(Event),
    "countries": HubSitemap(Country),
    "sectors": HubSitemap(Sector),
}
