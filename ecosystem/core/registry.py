"""The registry of record types: what each kind of record the directory lists brings
(its model, FilterSet, URLs, templates, labels, serializer, API viewset, CSV columns,
JSON-LD), filled by each app in its ``AppConfig.ready()``.

Everything that spans every kind of record (home counts, search, country and sector
pages, navigation, feed, sitemap, API router, dataset, seed) loops over ``registry``
instead of naming the types, so a new type is one app that registers itself. The core
imports no feature app: the apps import the core and register here.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.db import models


@dataclass(frozen=True, eq=False)
class HomeSection:
    """A list of records on the home page ("Active programmes")."""

    title: str
    records: object
    empty: str
    link: str = ""  # a URL name for "see all"
    link_label: str = ""
    # Beside `empty`, before the links to suggest a record (and subscribe, for a type with
    # a calendar): "Know of one?"
    invite: str = ""


@dataclass(frozen=True)
class SearchHit:
    """Something search finds that is not a record of its own (a site, a source): its
    name, the page it is on, and a line saying what it is."""

    name: str
    url: str
    detail: str = ""


@dataclass(frozen=True, eq=False)
class RecordType:
    """One kind of record. Labels are lazy translations (French and English)."""

    key: str  # "programmes": the API path, the dataset's file, the count's name
    position: int  # where it comes in the navigation and in lists of types
    model: type[models.Model]
    published: Callable  # () -> the published records of this type (a queryset)
    filterset: type
    # URL names of its list and its CSV export (a record's page: get_absolute_url())
    list_url: str
    export_url: str
    # Labels
    title: str  # "Programmes": the list's title, a search group, a hub's section
    nav_label: str  # "SMEs" in the navigation
    count_label: object  # ngettext_lazy(..., "counter"): "%(counter)s programmes"
    empty_here: str  # "No programme here yet." on a country or sector page
    description: str  # the list page's description
    # Templates: one row in any list of records, and the record's page
    row_template: str
    detail_template: str
    # Open data
    serializer: type
    viewset: type
    csv_columns: list  # [exports.Column]: exports.shared_columns(own=...)
    json_ld: Callable  # (record, absolute_url) -> dict
    dataset_description: str
    # Its own model fields (ecosystem.core.own_fields), listed on its page under the
    # facts every record has; the defaults filter, export and serve them.
    fields: tuple = ()
    # Where else it appears
    has_pages: bool = True  # False when its records' pages belong to another type
    in_feed: bool = True
    in_sitemap: bool = True
    on_map: bool = False  # its counts shade the map's countries
    timeline: str = ""  # "bar" (programmes) or "dot" (events) on timelines
    timeline_on: str = ""  # a dot's foreign key to the bar whose row it sits on
    filter_link: str = ""  # "Filter these programmes" under a hub's section
    subscribe_url: str = ""  # a calendar to subscribe to, beside the list
    # Hooks for what only some types have
    pages: Callable | None = None  # () -> the records its pages show, if not published()
    # () -> the records its list, CSV export, API and dataset filter, if not published():
    # its FilterSet then narrows them by default (programmes that exist, not hoped-for).
    listed: Callable | None = None
    list_pictures: Callable | None = None  # (listing) -> extra context for its list
    detail_context: Callable | None = None  # (record) -> extra context for its page
    home_sections: Callable | None = None  # () -> [HomeSection]
    # (record) -> [HomeSection] of its records on another type's page: "Open calls" on a
    # programme's page. An empty list for the pages it has nothing to add to.
    page_sections: Callable | None = None
    map_sites: Callable | None = None  # () -> places to dot on the map
    # (country, limit) -> at most `limit` of its places in that country, the first opened
    # first, listed on the country's page and drawn on its map: rows with `name`,
    # `phases` (programmes), `get_status_display()`...
    country_sites: Callable | None = None
    # (terms) -> [SearchHit] of what else it holds that search finds (a programme's sites)
    search_extra: Callable | None = None
    # () -> rows (tuples of texts) of the other names search finds, that "did you mean"
    # may offer: a programme's sites' names and cities ("Hub-IIT Sikasso", "Thiès")
    vocabulary: Callable | None = None
    # Import (ecosystem.opendata.imports) reads `csv_columns` back, each column with its
    # Cell; these are the fields a new imported record starts with (an SME's kind).
    import_defaults: dict | None = None
    # (record) -> whether a record of its model is of this type, when the model holds
    # several types (an organization or an SME): edits invalidate the type's pages only.
    holds: Callable | None = None
    # Other types' pages show its records by name only (an SME among a programme's
    # beneficiaries): they are kept under each shown record's version, not the type's
    # (ecosystem.core.cache), so that editing one leaves the others warm.
    by_record: bool = False
    # Other formats an app serves its list and pages in (registry.attach_download):
    # programmes as IATI XML, linked beside the CSV export and on each page.
    downloads: list = field(default_factory=list)

    @property
    def context_name(self):
        """The record's name in its page's template: "programme"."""
        return self.model._meta.model_name

    def listed_records(self):
        return (self.listed or self.published)()

    @property
    def count_name(self):
        """The annotation a country or sector carries for it: "programmes_count"."""
        return f"{self.key}_count"

    def count_text(self, count):
        return self.count_label % {"counter": count}


@dataclass(frozen=True, eq=False)
class SeedSection:
    """A section of the seed file an app loads: `load(loader, item)` for each item, in
    registration order, then `finish(loader, item)` once every section is loaded (for
    links to records later in the file). `children` name the lists inside an item that
    count as records for the progress bar."""

    name: str
    load: Callable
    finish: Callable | None = None
    children: list = field(default_factory=list)
    key: str = "slug"  # the field that names an item of the section


@dataclass(frozen=True, eq=False)
class DemoSection:
    """Synthetic records an app makes for benchmarks (generate_demo_data): the command's
    option (`--smes N`), its help, and `make(count, demo)` that creates `count` records
    in bulk with the shared helpers of `demo` (ecosystem.opendata.demo). Sections run in
    registration order, so programmes find organizations to give roles to."""

    option: str
    help: str
    make: Callable
    default: int = 0


@dataclass(frozen=True)
class Download:
    """A format an app serves a type's list in (its filters applied) and each of its
    records in: URL names, the record's by its slug."""

    list_label: str
    list_url: str
    detail_label: str
    detail_url: str
    # (record) -> whether its page offers it; every record's does by default.
    offered: Callable | None = None


@dataclass(frozen=True, eq=False)
class DatasetFile:
    """A file an app adds to the open dataset beside the record types' CSV and JSON
    (the programmes as IATI XML): `write(path, base_url)` writes it and returns how many
    records it holds."""

    name: str
    description: str
    write: Callable


class Registry:
    def __init__(self):
        self._types = {}
        self.seed_sections = []
        self.demo_sections = []
        self.dataset_files = []

    def register(self, record_type):
        if record_type.key in self._types:
            raise ImproperlyConfigured(f"Record type {record_type.key!r} is registered twice.")
        self._types[record_type.key] = record_type

    def register_seed(self, section):
        self.seed_sections.append(section)

    def register_demo(self, section):
        self.demo_sections.append(section)

    def register_dataset_file(self, dataset_file):
        self.dataset_files.append(dataset_file)

    def attach_download(self, key, download):
        """Another app's format for a type's list and pages (IATI XML for programmes),
        so that the type's app need not know it."""
        self[key].downloads.append(download)

    def attach_filter(self, key, name, filter):
        """Another app's filter on a type's list, its CSV export and its API: programmes
        give the lists of organizations and SMEs ?programme=, so members need not import
        programmes. The app attaching comes after the type's app in INSTALLED_APPS (it
        depends on it); the filter takes its place before the sort."""
        filterset = self[key].filterset
        filters = dict(filterset.base_filters)
        if name in filters:
            raise ImproperlyConfigured(f"{filterset.__name__} already has a filter {name!r}.")
        sort = filters.pop("sort", None)
        filters[name] = filter
        if sort is not None:
            filters["sort"] = sort
        filterset.base_filters = filters

    def __iter__(self):
        return iter(sorted(self._types.values(), key=lambda record_type: record_type.position))

    def __getitem__(self, key):
        return self._types[key]

    def app_names(self):
        """The apps that bring record types, in the order they are installed."""
        return list(dict.fromkeys(t.model._meta.app_config.name for t in self._types.values()))

    def types_of(self, record):
        """The types a record is of, whatever its publication."""
        return [t for t in self if t.model is type(record) and (t.holds is None or t.holds(record))]

    def for_record(self, record):
        """The type whose pages show `record` (an SME's page is an organization's)."""
        return next(t for t in self if t.model is type(record) and t.has_pages)


registry = Registry()
