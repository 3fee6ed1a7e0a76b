from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ecosystem.core.listing import build_listing
from ecosystem.core.models import Country, PublicationStatus, Sector
from ecosystem.core.search import MAX_QUERY_LENGTH, fold, search, words
from ecosystem.pictures import africa_map, timeline
from events.filters import EventFilter
from events.models import Event
from members.filters import OrganizationFilter, SMEFilter
from members.models import Organization
from programmes.filters import ProgrammeFilter
from programmes.models import Programme, ProgrammeStatus, Site

SEARCH_RESULTS_PER_TYPE = 10


def directory_list(
    request,
    filterset_class,
    queryset,
    *,
    title,
    description,
    row_template,
    export_url,
    subscribe_url=None,
    pictures=None,
):
    """Every list page: filters, facets, chips, results and pagination, one template."""
    shareable = shareable_query(request.GET, filterset_class.default_sort)
    if shareable != request.GET.urlencode():
        # The filter form sends every field, empty or not: answer with the short URL
        # worth sharing (?country=ML rather than ?q=&country=ML&year=&...).
        return redirect(request.path + (f"?{shareable}" if shareable else ""))
    listing = build_listing(request, filterset_class, queryset)
    return render(
        request,
        "ecosystem/list.html",
        {
            "listing": listing,
            **(pictures(listing) if pictures else {}),
            "title": title,
            "description": description,
            "row_template": row_template,
            "export_url": export_url,
            "subscribe_url": subscribe_url,
        },
    )


def shareable_query(data, default_sort):
    """The query string without empty values or the default sort."""
    query = QueryDict(mutable=True)
    for key, values in data.lists():
        kept = [
            value for value in values if value and not (key == "sort" and value == default_sort)
        ]
        if kept:
            query.setlist(key, kept)
    return query.urlencode()


def by_name(hubs):
    """Countries or sectors in the alphabetical order of the page's language, accents
    folded ("Éthiopie" between "Côte d’Ivoire" and "Ghana")."""
    return sorted(hubs, key=lambda hub: fold(hub.name))


def published_sites():
    """Programme sites that can go on a map."""
    return Site.objects.filter(
        programme__publication_status=PublicationStatus.PUBLISHED, latitude__isnull=False
    ).select_related("country")


def home(request):
    organizations = Organization.objects.published()
    events = Event.objects.published().for_list()
    countries = by_name(Country.objects.with_record_counts())
    return render(
        request,
        "ecosystem/home.html",
        {
            "counts": {
                "organizations": organizations.support_organizations().count(),
                "smes": organizations.smes().count(),
                "programmes": Programme.objects.published().count(),
                "events": Event.objects.published().count(),
            },
            "active_programmes": Programme.objects.published()
            .with_status(ProgrammeStatus.ACTIVE)
            .for_list(),
            "upcoming_events": events.upcoming().order_by("start")[:5],
            "recent_events": events.past()[:5],
            "countries": [country for country in countries if country.programme_count],
            "map": africa_map(countries, published_sites()),
            "timeline": timeline(Programme.objects.published(), Event.objects.published()),
            "sectors": by_name(Sector.objects.with_record_counts().filter(parent=None)),
        },
    )


def search_page(request):
    query = request.GET.get("q", "")
    ignored = len(query) > MAX_QUERY_LENGTH
    groups = []
    if words(query) and not ignored:
        organizations = Organization.objects.published()
        kinds = [
            (
                _("Organizations"),
                organizations.support_organizations(),
                "members:organization-list",
            ),
            (_("SMEs and start-ups"), organizations.smes(), "members:sme-list"),
            (_("Programmes"), Programme.objects.published(), "programmes:programme-list"),
            (_("Events"), Event.objects.published(), "events:event-list"),
        ]
        for title, queryset, list_url in kinds:
            found = search(queryset, query)
            count = found.count()
            if count:
                records = found.for_list()[:SEARCH_RESULTS_PER_TYPE]
                groups.append(
                    {"title": title, "count": count, "records": records, "list_url": list_url}
                )
    return render(
        request,
        "ecosystem/search.html",
        {"query": "" if ignored else query, "ignored": ignored, "groups": groups},
    )


def country_list(request):
    countries = sorted(by_name(Country.objects.with_record_counts()), key=lambda c: c.region)
    return render(
        request,
        "ecosystem/hub_list.html",
        {
            "title": _("Countries"),
            "hubs": [country for country in countries if country.record_count],
            "by_region": True,
            "map": africa_map(countries, published_sites()),
        },
    )


def sector_list(request):
    return render(
        request,
        "ecosystem/hub_list.html",
        # Each main sector followed by its sub-sectors.
        {
            "title": _("Sectors"),
            "hubs": sorted(
                Sector.objects.with_record_counts().select_related("parent"),
                key=lambda s: (fold((s.parent or s).name), s.parent is not None, fold(s.name)),
            ),
        },
    )


def country_detail(request, code):
    country = get_object_or_404(Country, code=code)
    context = hub_context(country, "country")
    context["timeline"] = timeline(context["programmes"], context["events"])
    return render(request, "ecosystem/hub_detail.html", context)


def sector_detail(request, slug):
    sector = get_object_or_404(Sector.objects.select_related("parent"), slug=slug)
    return render(request, "ecosystem/hub_detail.html", hub_context(sector, "sector"))


def hub_context(hub, parameter):
    """A country or a sector page lists what the lists filtered on it show; the same
    FilterSets, so a sector includes its sub-sectors here too."""
    key = hub.code if parameter == "country" else hub.slug
    query = QueryDict(mutable=True)
    query[parameter] = key
    organizations = Organization.objects.published().for_list()
    return {
        "hub": hub,
        "query": "?" + query.urlencode(),
        "programmes": ProgrammeFilter(query, Programme.objects.published().for_list()).qs,
        "organizations": OrganizationFilter(query, organizations.support_organizations()).qs,
        "smes": SMEFilter(query, organizations.smes()).qs,
        "events": EventFilter(query, Event.objects.published().for_list()).qs,
    }


def robots(request):
    lines = ["User-agent: *"]
    # The admin is named only at its well-known default address: a custom ADMIN_URL is
    # not advertised here (the admin's pages ask robots not to index them anyway).
    if settings.ADMIN_URL == "admin/":
        lines.append("Disallow: /admin/")
    lines += [
        "Disallow: /*/search/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@never_cache
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
