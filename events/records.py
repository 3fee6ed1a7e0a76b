"""Events in the registry of record types (ecosystem.core.registry)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from ecosystem.core.records import record_type
from ecosystem.core.registry import DemoSection, HomeSection, SeedSection, registry
from events import api, demo, exports, filters, seeding, structured_data
from events.models import SERIES_EDITIONS, Event, EventSeries

HOME_EVENTS = 5


def published():
    return Event.objects.published()


def home_sections():
    events = published().for_list()
    return [
        HomeSection(
            title=_("Upcoming events"),
            records=events.soonest()[:HOME_EVENTS],
            empty=_("No upcoming event is listed yet."),
            invite=_("Know of an upcoming event?"),
        ),
        HomeSection(
            title=_("Recent events"),
            records=events.recent()[:HOME_EVENTS],
            empty=_("No event yet."),
            invite=_("Know of an event?"),
            link="events:event-list",
            link_label=_("All events"),
        ),
    ]


EVENTS = record_type(
    key="events",
    position=40,
    model=Event,
    published=published,
    filterset=filters.EventFilter,
    title=_("Events"),
    count_label=ngettext_lazy("%(counter)s event", "%(counter)s events", "counter"),
    empty_here=_("No event here yet."),
    description=_(
        "Trade shows, conferences, sector consultations, study visits and trainings of "
        "the West African tech-support ecosystem."
    ),
    row_template="events/_event_row.html",
    detail_template="events/event_detail.html",
    serializer=api.EventSerializer,
    csv_columns=exports.COLUMNS,
    json_ld=structured_data.for_event,
    dataset_description="Events, with their roles.",
    timeline="dot",
    timeline_on="programme",
    subscribe_url="events-calendar",
    home_sections=home_sections,
)


SERIES = record_type(
    key="series",
    position=50,
    model=EventSeries,
    list_url="events:series-list",
    export_url="events:series-export",
    title=_("Event series"),
    nav_label=pgettext_lazy("navigation", "Series"),
    count_label=ngettext_lazy("%(counter)s event series", "%(counter)s event series", "counter"),
    empty_here=_("No event series here yet."),
    description=_(
        "The recurring trade shows, conferences and meetings of the ecosystem (SIPEN, "
        "VivaTech, GITEX...), with who takes part and their editions."
    ),
    row_template="events/_series_row.html",
    detail_template="events/series_detail.html",
    serializer=api.EventSeriesSerializer,
    json_ld=structured_data.for_series,
    dataset_description="Event series (recurring events), with their roles.",
    detail_context=lambda series: {"editions_shown": SERIES_EDITIONS},
    in_feed=False,
)


def register():
    registry.register(EVENTS)
    registry.register(SERIES)
    registry.register_seed(SeedSection("event_series", seeding.load_series, children=["roles"]))
    registry.register_seed(SeedSection("events", seeding.load_event, children=["roles"]))
    registry.register_demo(
        DemoSection("events", "events in series, with roles", demo.make_events, 1000)
    )
