"""Programmes in the registry of record types (ecosystem.core.registry)."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ecosystem.core.models import PublicationStatus
from ecosystem.core.records import record_type
from ecosystem.core.registry import DemoSection, HomeSection, SearchHit, SeedSection, registry
from programmes import api, demo, exports, filters, seeding, structured_data, views
from programmes.models import Existence, Programme, ProgrammeStatus, Site

HOME_SAMPLE = 10
SEARCH_HITS = 20


def published():
    """The programmes that exist, as lists, counts, pictures and search show them; one
    only proposed or hoped for (NTF VI) has its page (`pages`) but is not among them.
    Their status reads the dates' source."""
    return Programme.objects.published().existing().select_related("dates_source")


def pages():
    """Every published programme: its page, its list and its API entry answer, a
    hoped-for one included (the lists show it when asked for, ?existence=hoped_for)."""
    return Programme.objects.published().select_related("dates_source")


def existing_sites():
    return Site.objects.filter(
        programme__publication_status=PublicationStatus.PUBLISHED,
        programme__existence=Existence.CONFIRMED,
    )


def home_sections():
    return [
        HomeSection(
            title=_("Active programmes"),
            # The latest started first, a sample: the list has them all.
            records=published()
            .with_status(ProgrammeStatus.ACTIVE)
            .for_list()
            .order_by("-start", "sort_en")[:HOME_SAMPLE],
            empty=_(
                "No programme in the directory is known to be running today: those with "
                "no known end are listed as last reported active."
            ),
            link="programmes:programme-list",
            link_label=_("See all programmes"),
            invite=_("Know of a programme running today?"),
        )
    ]


def search_sites(terms):
    """The sites (Hub-IITs...) of published programmes whose name, city or country holds
    every word, on their programme's page."""
    sites = existing_sites()
    for term in terms:
        sites = sites.filter(search_text__contains=term)
    return [
        SearchHit(
            f"{site.name} ({site.city + ', ' if site.city else ''}{site.country.name})",
            site.programme.get_absolute_url(),
            _("Site of %(programme)s") % {"programme": site.programme},
        )
        for site in sites.select_related("programme", "country").order_by("name")[:SEARCH_HITS]
    ]


def site_names():
    """The names and cities of published programmes' sites, for "did you mean"."""
    return Site.objects.filter(
        programme__publication_status=PublicationStatus.PUBLISHED
    ).values_list("name", "city")


def map_sites():
    """Programme sites that can go on a map."""
    return existing_sites().filter(latitude__isnull=False).select_related("country")


def country_sites(country, limit):
    """The first `limit` sites in a country, each once however many phases it served
    (Hub-IIT Bamako), with its programmes and its status as a programme's page shows
    them."""
    sites = (
        Site.objects.filter(
            country=country, programme__publication_status=PublicationStatus.PUBLISHED
        )
        .select_related("programme__dates_source", "country", "host", "source", "location_source")
        .prefetch_related("programme__sources")
        .order_by(F("opened").asc(nulls_last=True), "name", "pk")
    )
    # A place served by several phases is a row for each: read a few more rows.
    return views.merged_sites(sites[: limit * 2])[:limit]


PROGRAMMES = record_type(
    key="programmes",
    position=10,
    model=Programme,
    published=published,
    pages=pages,
    listed=pages,
    filterset=filters.ProgrammeFilter,
    title=_("Programmes"),
    count_label=ngettext_lazy("%(counter)s programme", "%(counter)s programmes", "counter"),
    empty_here=_("No programme here yet."),
    description=_(
        "Programmes supporting tech and agri-food SMEs in West Africa: who funds them, "
        "who runs them, where and when."
    ),
    row_template="programmes/_programme_row.html",
    detail_template="programmes/programme_detail.html",
    serializer=api.ProgrammeSerializer,
    viewset=api.ProgrammeViewSet,
    csv_columns=exports.COLUMNS,
    json_ld=structured_data.for_programme,
    dataset_description="Programmes and their phases, with roles, sites and figures.",
    on_map=True,
    timeline="bar",
    filter_link=_("Filter these programmes"),
    list_pictures=views.list_pictures,
    detail_context=views.detail_context,
    home_sections=home_sections,
    map_sites=map_sites,
    country_sites=country_sites,
    search_extra=search_sites,
    vocabulary=site_names,
)


def register():
    registry.register(PROGRAMMES)
    # ?programme=hub-iit on the lists of organizations and SMEs (members know nothing of
    # programmes).
    for key in ("organizations", "smes"):
        registry.attach_filter(
            key, "programme", filters.programme_filter("programme_roles__programme")
        )
    registry.register_seed(
        SeedSection(
            "programmes",
            seeding.load_programme,
            finish=seeding.link_parent,
            children=["roles", "sites", "indicators"],
        )
    )
    registry.register_demo(
        DemoSection(
            "programmes", "programmes with roles, sites, figures", demo.make_programmes, 100
        )
    )
