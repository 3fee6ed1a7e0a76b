"""sitemap.xml: every published page in both languages, with hreflang alternates."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.urls import reverse

from ecosystem.core.models import Country, Sector
from ecosystem.core.registry import registry


class LanguagePairs:
    """The (record, language) pairs a multilingual sitemap pages through, read from the
    database a file at a time: Django's own list holds every pair in memory first (two
    million for a million SMEs)."""

    def __init__(self, records, languages):
        self.records = records
        self.languages = languages

    def count(self):
        return self.records.count() * len(self.languages)

    def __len__(self):
        return self.count()

    def __getitem__(self, pairs):
        per_record = len(self.languages)
        first, last = pairs.start // per_record, -(-pairs.stop // per_record)
        found = [
            (record, language) for record in self.records[first:last] for language in self.languages
        ]
        skip = pairs.start - first * per_record
        return found[skip : skip + pairs.stop - pairs.start]


class DirectorySitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    # (Page, language) pairs per file: 10,000 URLs with their alternates, well under the
    # protocol's 50,000, and a file that renders in about a second.
    limit = 5_000

    def _items(self):
        items = self.items()
        if isinstance(items, QuerySet):
            return LanguagePairs(items, self._languages())
        return super()._items()


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

    def get_latest_lastmod(self):
        # Django's default reads every record for the latest date.
        return self.items().aggregate(latest=Max("updated"))["latest"]


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
