"""sitemap.xml: every published page in both languages, with hreflang alternates."""

import copy
import datetime
import functools
from html import escape

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone

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

    def get_urls(self, *args, **kwargs):
        self.locations = {}
        try:
            return super().get_urls(*args, **kwargs)
        finally:
            del self.locations

    def get_languages_for_item(self, item):
        # Asked for each URL: read from the settings once a process (the sitemaps are
        # made once, with the URLs).
        return self.item_languages

    @functools.cached_property
    def item_languages(self):
        return self._languages()

    def _location(self, item, force_lang_code=None):
        # A page's address in each language is asked four times a file (its entry in each
        # language, each with the alternates): reversed once a file.
        key = (item[0], force_lang_code or item[1])
        if key not in self.locations:
            self.locations[key] = super()._location(item, force_lang_code)
        return self.locations[key]


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


# A slug no record has, to find a type's address in a language once: slugs are letters,
# digits and hyphens, and an address holds its slug as it is.
SLUG_MARK = "slug-mark-0"


class RecordSitemap(DirectorySitemap):
    def __init__(self, record_type):
        super().__init__()
        self.record_type = record_type

    def get_urls(self, *args, **kwargs):
        self.patterns = {}
        try:
            return super().get_urls(*args, **kwargs)
        finally:
            del self.patterns

    def _location(self, item, force_lang_code=None):
        """A record's address in a language is its type's, with its slug: reversed once
        a file for each language and kind of record (an SME's page is an
        organization's), the slug then put in its place."""
        record, language = item[0], force_lang_code or item[1]
        key = (type(record), getattr(record, "kind", None), language)
        if key not in self.patterns:
            marked = copy.copy(record)
            marked.slug = SLUG_MARK
            self.patterns[key] = super()._location((marked, language))
        return self.patterns[key].replace(SLUG_MARK, record.slug, 1)

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


class Urlset:
    """Django's sitemap.xml template written out directly, as a template the sitemap view
    renders: the template engine spent about half of a file's second on its 10,000 URLs."""

    def render(self, context=None, request=None):
        return "".join(
            [
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n',
                *map(url_element, context["urlset"]),
                "\n</urlset>\n",
            ]
        )


def url_element(url):
    """One URL as the template writes it: Python's escape() is Django's without its lazy
    wrapper, and the day is the template's `date:"Y-m-d"`, each ten thousand times a file."""
    parts = [f"<url><loc>{escape(url['location'])}</loc>"]
    if url["lastmod"]:
        lastmod = url["lastmod"]
        if isinstance(lastmod, datetime.datetime):
            if timezone.is_aware(lastmod):
                lastmod = timezone.localtime(lastmod)
            lastmod = lastmod.date()
        parts.append(f"<lastmod>{lastmod.isoformat()}</lastmod>")
    if url["changefreq"]:
        parts.append(f"<changefreq>{escape(url['changefreq'])}</changefreq>")
    if url["priority"]:
        parts.append(f"<priority>{escape(url['priority'])}</priority>")
    parts += [
        f'<xhtml:link rel="alternate" hreflang="{escape(alternate["lang_code"])}" '
        f'href="{escape(alternate["location"])}"/>'
        for alternate in url["alternates"]
    ]
    parts.append("</url>")
    return "".join(parts)
