"""The pages that span every kind of record (home, search, countries and sectors),
robots.txt, the health check and the error pages. They loop over the registry of record
types (ecosystem.core.registry) and name none."""

import difflib
import logging
import re
import sys

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import static
from django.views.decorators.cache import never_cache

from ecosystem.core import listing
from ecosystem.core.cache import cached
from ecosystem.core.counts import ALL, counts
from ecosystem.core.models import Country, Region, Sector, Source
from ecosystem.core.registry import SearchHit, registry
from ecosystem.core.search import (
    MAX_QUERY_LENGTH,
    WORD,
    fold,
    search,
    search_key,
    words,
)
from ecosystem.pictures.map import africa_map
from ecosystem.pictures.timeline import timeline

SEARCH_RESULTS_PER_TYPE = 10
# A country's or a sector's page shows this many records of each type, and links to the
# full, filtered list: a page does not grow with the directory.
HUB_SAMPLE = 20
# A country's page lists and maps this many of its programmes' sites at most, the first
# opened first (demo countries have hundreds): each programme's page lists all of its own.
HUB_SITES = 50
TIMELINE_ROWS = 40


def by_name(hubs):
    """Countries or sectors in the alphabetical order of the page's language, accents
    folded ("Éthiopie" between "Côte d’Ivoire" and "Ghana")."""
    return sorted(hubs, key=lambda hub: fold(hub.name))


def map_sites():
    """The places the record types dot on the map (programme sites such as Hub-IITs)."""
    return [site for t in registry if t.map_sites for site in t.map_sites()]


def home_timeline():
    """The most recent programmes (TIMELINE_ROWS) as bars, with their events as dots and
    as many recent events of no programme shown."""
    bars = [
        record
        for t in registry
        if t.timeline == "bar"
        for record in t.published().order_by("-start")[:TIMELINE_ROWS]
    ]
    shown = [record.pk for record in bars]
    dots = [
        record
        for t in registry
        if t.timeline == "dot"
        for records in (
            t.published().filter(**{f"{t.timeline_on}__in": shown}),
            t.published()
            .exclude(**{f"{t.timeline_on}__in": shown})
            .order_by("-start")[:TIMELINE_ROWS],
        )
        for record in records
    ]
    return timeline(bars, dots)


def with_counts(hubs):
    """Each country or sector with its counts per record type, in the registry's order,
    and its count of the main type (the first) for short lists."""
    types = list(registry)
    for hub in hubs:
        hub.counts = [getattr(hub, t.count_name) for t in types]
        # The type beside each count labels its cell once a phone stacks the table.
        hub.type_counts = list(zip(types, hub.counts, strict=True))
        hub.main_count = types[0].count_text(hub.counts[0])
    return hubs


def home(request):
    """What exists first: the counts that are not zero, programmes by country and by
    sector (each count a link to the filtered list), the map, the latest records; then
    what is running or coming, the sections with nothing in them last, each saying what a
    visitor can do."""
    types = list(registry)
    main = types[0]
    kept = counts()
    countries = with_counts(by_name(Country.objects.with_record_counts()))
    sections = [(t, section) for t in types if t.home_sections for section in t.home_sections()]
    return render(
        request,
        "ecosystem/home.html",
        {
            "counts": [(t, t.count_text(kept[t.key][ALL])) for t in types if kept[t.key][ALL]],
            "main_type": main,
            "countries": with_list_links(
                [country for country in countries if country.counts[0]], main, "country"
            ),
            "sectors": with_list_links(
                [
                    sector
                    for sector in with_counts(
                        by_name(Sector.objects.filter(parent=None).with_record_counts())
                    )
                    if sector.counts[0]
                ],
                main,
                "sector",
            ),
            "map": africa_map(countries, map_sites(), types),
            "latest": latest_records(),
            "timeline": home_timeline(),
            # Evaluated here (a slice each): those with records first.
            "sections": sorted(sections, key=lambda pair: not pair[1].records),
        },
    )


def with_list_links(hubs, record_type, parameter):
    """Each country or sector with the address of `record_type`'s list filtered on it
    (`main_url`), which shows as many records as its count says."""
    base = reverse(record_type.list_url)
    for hub in hubs:
        query = QueryDict(mutable=True)
        query[parameter] = hub.code if parameter == "country" else hub.slug
        hub.main_url = f"{base}?{query.urlencode()}"
    return hubs


# The home page's latest records, across every type.
LATEST_RECORDS = 6


def latest_records():
    """The records staff verified or added most recently, the latest first, whatever
    their type: LATEST_RECORDS of each type (one query each), merged. On the same day a
    verification leads an addition, then the types take turns, so that a seed loaded at
    once shows each kind of record."""
    found = [
        (
            (record.last_checked, record.last_verified is not None, -turn),
            record,
            capfirst(record._meta.verbose_name),
        )
        for t in registry
        for turn, record in enumerate(t.published().by_last_check().reverse()[:LATEST_RECORDS])
    ]
    found.sort(key=lambda row: row[0], reverse=True)
    return [(record, kind) for _rank, record, kind in found[:LATEST_RECORDS]]


def search_page(request):
    query = request.GET.get("q", "")
    ignored = len(query) > MAX_QUERY_LENGTH
    groups, hubs, hits, suggestion = [], [], [], ""
    terms = words(query)
    if terms and not ignored:
        hubs = matching_hubs(terms)
        for record_type in registry:
            if record_type.search_extra and (found := record_type.search_extra(terms)):
                hits.append({"title": _("Sites"), "hits": found})
            found = search(record_type.published(), query)
            cap = listing.MAX_RESULTS
            count = found.order_by()[: cap + 1].count()
            if count:
                groups.append(
                    {
                        "title": record_type.title,
                        "count": min(count, cap),
                        "capped": count > cap,
                        "records": found.for_list()[:SEARCH_RESULTS_PER_TYPE],
                        "list_url": record_type.list_url,
                    }
                )
        if sources := matching_sources(terms):
            hits.append({"title": _("Sources"), "hits": sources})
        if not (groups or hubs or hits):
            suggestion = did_you_mean(terms)
    return render(
        request,
        "ecosystem/search.html",
        {
            "query": "" if ignored else query,
            "ignored": ignored,
            "groups": groups,
            "hubs": hubs,
            "hits": hits,
            "suggestion": suggestion,
        },
    )


def matching_sources(terms):
    """The sources whose title, publisher or author holds every word: a short table,
    compared in Python as search compares records."""
    return [
        SearchHit(
            source.title,
            source.url,
            ", ".join(filter(None, [source.publisher, source.published_display])),
        )
        for source in Source.objects.order_by("title")
        if all(
            term in search_key(f"{source.title} {source.publisher} {source.author}")
            for term in terms
        )
    ][:SEARCH_RESULTS_PER_TYPE]


# "Did you mean": the names a misspelt query may have meant. Countries, sectors, each
# type's published records (names in both languages, acronyms) and what else search
# finds (a programme's sites and cities); of each type only the first VOCABULARY_RECORDS,
# so that SMEs' millions stay out. Drafts are never offered.
VOCABULARY_RECORDS = 5000
# How close a word must be ("bamko" is 0.91 of "bamako", "tiess" 0.8 of "thies").
CLOSE_ENOUGH = 0.75
# A query with more unknown words than this is not a misspelling: nothing is suggested,
# and each comparison (a pass over the vocabulary) stays bounded.
MAX_CORRECTED_WORDS = 3
# A word as a name writes it, with its apostrophes ("d’Ivoire"), as search folds it.
NAME_WORD = re.compile(r"\w+(?:['’]\w+)*")


def vocabulary():
    """{folded word: the word as a name writes it} ("thies": "Thiès"), the page's
    language's spelling winning ("senegal": "Sénégal" in French)."""

    def compute():
        here = "fr" if translation.get_language() == "fr" else "en"
        other = "en" if here == "fr" else "fr"
        names = (f"name_{other}", f"name_{here}")  # the page's language last: it wins
        rows = [*Country.objects.values_list(*names), *Sector.objects.values_list(*names)]
        for record_type in registry:
            records = record_type.published().order_by()
            rows += records.values_list(names[0], "acronym", names[1])[:VOCABULARY_RECORDS]
            if record_type.vocabulary:
                rows += record_type.vocabulary().order_by()[:VOCABULARY_RECORDS]
        # Each distinct text, then each distinct word, folded once, in the order of its
        # last appearance (the later spelling of a folded word wins).
        texts = last_first(text for row in rows for text in row if text)
        forms = {}
        for word in last_first(word for text in texts for word in NAME_WORD.findall(text)):
            key = search_key(word)
            if len(key) > 2 and WORD.fullmatch(key):
                forms[key] = word
        return forms

    return cached("search-vocabulary", compute, per_language=True)


def last_first(items):
    """The distinct items, each where it last appears."""
    seen = {}
    for item in items:
        seen.pop(item, None)
        seen[item] = None
    return list(seen)


def did_you_mean(terms):
    """A query close to `terms` made of names in the directory, as they are written
    ("Thiès" for "tiess"), or "" when none is close enough."""
    forms = vocabulary()
    unknown = [term for term in terms if term not in forms]
    if not unknown or len(unknown) > MAX_CORRECTED_WORDS:
        return ""
    closest = {
        term: next(iter(difflib.get_close_matches(term, forms, n=1, cutoff=CLOSE_ENOUGH)), term)
        for term in unknown
    }
    suggestion = [forms.get(closest.get(term, term), term) for term in terms]
    if words(" ".join(suggestion)) == terms:
        return ""
    return " ".join(suggestion)


def matching_hubs(terms):
    """The countries and sectors whose names, in either language, or code hold every
    word: a few dozen rows, compared in Python as search compares records."""
    found = []
    for title, hubs in (
        (_("Countries"), Country.objects.all()),
        (_("Sectors"), Sector.objects.all()),
    ):
        matches = [
            hub
            for hub in by_name(hubs)
            if all(term in search_key(f"{hub.name_en} {hub.name_fr} {hub.pk}") for term in terms)
        ]
        if matches:
            found.append({"title": title, "hubs": matches})
    return found


def country_list(request):
    # Grouped by region, West Africa first (the order of Region), then by name in the
    # page's language.
    regions = list(Region.values)
    countries = sorted(
        by_name(Country.objects.with_record_counts()), key=lambda c: regions.index(c.region)
    )
    return render(
        request,
        "ecosystem/hub_list.html",
        {
            "title": _("Countries"),
            "record_types": list(registry),
            "hubs": with_counts([country for country in countries if country.record_count]),
            "by_region": True,
            "map": africa_map(countries, map_sites(), list(registry)),
        },
    )


def sector_list(request):
    return render(
        request,
        "ecosystem/hub_list.html",
        # Each main sector followed by its sub-sectors.
        {
            "title": _("Sectors"),
            "record_types": list(registry),
            "hubs": with_counts(
                sorted(
                    Sector.objects.select_related("parent").with_record_counts(),
                    key=lambda s: (fold((s.parent or s).name), s.parent is not None, fold(s.name)),
                )
            ),
        },
    )


def country_detail(request, code):
    country = get_object_or_404(Country, code=code)
    context = hub_context(country, "country")
    sections = context["sections"]
    context["timeline"] = timeline(
        *(
            [r for s in sections if s["type"].timeline == kind for r in s["records"]]
            for kind in ("bar", "dot")
        )
    )
    context.update(country_sites(country))
    return render(request, "ecosystem/hub_detail.html", context)


def country_sites(country):
    """The hubs and other sites in the country (the first HUB_SITES of each type), listed
    and drawn on the country's map (the home page's map, the country shaded)."""
    sites, more = [], False
    for record_type in registry:
        if record_type.country_sites:
            found = record_type.country_sites(country, HUB_SITES + 1)
            sites += found[:HUB_SITES]
            more = more or len(found) > HUB_SITES
    located = [site for site in sites if site.latitude is not None]
    if not located:
        return {"sites": sites, "more_sites": more, "map": None}
    shaded = Country.objects.filter(pk=country.pk).with_record_counts()
    return {"sites": sites, "more_sites": more, "map": africa_map(shaded, located, list(registry))}


def sector_detail(request, slug):
    sector = get_object_or_404(Sector.objects.select_related("parent"), slug=slug)
    return render(request, "ecosystem/hub_detail.html", hub_context(sector, "sector"))


def hub_context(hub, parameter):
    """A country or a sector page lists what the lists filtered on it show: the same
    FilterSets, so a sector includes its sub-sectors here too."""
    query = QueryDict(mutable=True)
    query[parameter] = hub.code if parameter == "country" else hub.slug
    kept = counts()
    return {
        "hub": hub,
        "query": "?" + query.urlencode(),
        "sections": [
            {
                "type": t,
                "records": listing.first_rows(
                    t.filterset(query, t.published().for_list()).qs, HUB_SAMPLE
                ),
                # As many as the list filtered on it shows: the counts kept per hub.
                "count": kept[t.key][parameter].get(hub.pk, 0),
            }
            for t in registry
        ],
    }


def robots(request):
    lines = ["User-agent: *"]
    # The admin is named only at its well-known default address: a custom ADMIN_URL is
    # not advertised here (the admin's pages ask robots not to index them anyway).
    if settings.ADMIN_URL == "admin/":
        lines.append("Disallow: /admin/")
    # Search, in each language's words (/en/search/, /fr/recherche/).
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            lines.append(f"Disallow: {reverse('search')}")
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


# What a request cannot help: the database down, frozen or locked. (The cache is never
# one: ecosystem/project/redis_cache.py.) Anything else is a bug, answered 500.
UNAVAILABLE = (OperationalError, InterfaceError)
# How long a client is asked to wait before it tries again, with a 503.
RETRY_AFTER = "30"
logger = logging.getLogger(__name__)


def check(probe):
    try:
        probe()
    except Exception as error:  # a health check reports what it finds, whatever it is
        logger.warning("health check failed: %r", error)
        return f"down: {type(error).__name__}"
    return "ok"


def read_database():
    # A real read of a table, not "SELECT 1": SQLite answers that even while a writer
    # holds the file locked and every page fails.
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_migrations")
        cursor.fetchone()


def cache_state():
    """ "ok", or "degraded" while the cache fails: the site then serves everything from
    the database, and the log says why (ecosystem/project/redis_cache.py)."""
    cache.set("healthz", "ok", 10)
    return "ok" if cache.get("healthz") == "ok" else "degraded"


def not_found(request, reason):
    """The site's 404 page, saying why."""
    return render(request, "404.html", {"reason": reason}, status=404)


# The files the nightly rebuild writes (ecosystem/opendata/housekeeping.py): a set's CSV and
# JSON, the XML an app adds (registry.dataset_files), and the README that describes them.
DATASET_FILE = re.compile(r"[a-z0-9_-]+\.(csv|json|xml)|README\.md")


def dataset_file(request, file="README.md"):
    """The open dataset as the nightly job last built it, a file at a time (the README at
    /dataset/), with Last-Modified for conditional requests. Before its first build: 404
    saying so, and where the same data is meanwhile."""
    if not DATASET_FILE.fullmatch(file):
        return not_found(request, _("The open dataset has no file of that name."))
    try:
        response = static.serve(request, file, document_root=settings.DATASET_DIR)
    except Http404:
        reason = _("The open dataset has not been built yet; the API serves the same data.")
        return not_found(request, reason)
    if file.endswith(".md"):
        response["Content-Type"] = "text/plain; charset=utf-8"  # a browser shows it
    elif file.endswith(".csv"):
        response["Content-Type"] = "text/csv; charset=utf-8"
    elif file.endswith(".xml"):
        response["Content-Type"] = "application/xml; charset=utf-8"
    return response


@never_cache
def healthz(request):
    """For load balancers and monitoring: 200 while the database works ("degraded" when
    the cache does not: the site serves without it), else 503 naming what is down."""
    database = check(read_database)
    checks = {"database": database, "cache": cache_state()}
    if database != "ok":
        response = JsonResponse({"status": "unavailable", **checks}, status=503)
        response["Retry-After"] = RETRY_AFTER
        return response
    status = "ok" if checks["cache"] == "ok" else "degraded"
    return JsonResponse({"status": status, **checks})


def server_error(request):
    """handler500, called while the uncaught exception is being handled: a database that
    is down, frozen or locked answers 503 (the site heals by itself when it returns),
    anything else 500. Pages get a page in both languages that needs neither the database
    nor a session; the API gets JSON. Rendering it must not fail in turn, so it falls back
    to plain text."""
    error = sys.exc_info()[1]
    status = 503 if isinstance(error, UNAVAILABLE) else 500
    language = translation.get_language_from_path(request.path_info) or translation.get_language()
    with translation.override(language):
        title, message = error_texts(status)
        if request.path.startswith(("/api/", "/healthz")):
            response = JsonResponse({"detail": f"{title}. {message}"}, status=status)
        else:
            response = error_page(status, language)
    if status == 503:
        response["Retry-After"] = RETRY_AFTER
    response["Cache-Control"] = "no-store"
    return response


def error_texts(status):
    if status == 503:
        return (
            _("The directory is unavailable for a moment"),
            _("Its database is not answering. Please try again in a minute."),
        )
    return (
        _("Something went wrong"),
        _("The error has been recorded. Please try again later."),
    )


def error_page(status, language):
    others = [code for code, _name in settings.LANGUAGES if code != language]
    versions = []
    for code in [language, *others]:
        with translation.override(code):
            versions.append(
                {
                    "language": code,
                    "texts": error_texts(status),
                    "home": _("Back to the home page"),
                    "home_url": reverse("home"),
                }
            )
    try:
        body = render_to_string("error.html", {"status": status, "versions": versions})
    except Exception:  # the page about an error must not fail in turn
        logger.exception("the error page could not be rendered")
        body = "\n\n".join(". ".join(version["texts"]) for version in versions)
        return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")
    return HttpResponse(body, status=status)
