from ecosystem.core.dates import iso_partial
from ecosystem.core.structured_data import common, organization_reference
from events.models import EventStatus

EVENT_STATUS = {
    EventStatus.ANNOUNCED: "https://schema.org/EventScheduled",
    EventStatus.HELD: "https://schema.org/EventScheduled",
    EventStatus.CANCELLED: "https://schema.org/EventCancelled",
}


def for_series(series, absolute_url):
    return common(series, absolute_url, "EventSeries")


def for_event(event, absolute_url):
    data = common(event, absolute_url, "Event")
    data["startDate"] = iso_partial(event.start, event.start_precision)
    data["endDate"] = iso_partial(event.end or event.start, event.end_precision)
    data["eventStatus"] = EVENT_STATUS[event.status]
    data["eventAttendanceMode"] = (
        "https://schema.org/OnlineEventAttendanceMode"
        if event.online
        else "https://schema.org/OfflineEventAttendanceMode"
    )
    if event.city or event.country:
        data["location"] = {
            "@type": "Place",
            "name": event.venue or event.city or event.country.name,
            "address": {
                "@type": "PostalAddress",
                "addressLocality": event.city,
                "addressCountry": event.country_id or "",
            },
        }
    organizers = [
        r.organization for r in event.roles.all() if r.role in {"organizer", "co_organizer"}
    ]
    if organizers:
        data["organizer"] = [organization_reference(o, absolute_url) for o in organizers]
    return data
