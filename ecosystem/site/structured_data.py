"""schema.org JSON-LD for detail pages, so that search engines and link previews read
what a page is about."""

from ecosystem.core.dates import iso_partial
from events.models import EventStatus

EVENT_STATUS = {
    EventStatus.ANNOUNCED: "https://schema.org/EventScheduled",
    EventStatus.HELD: "https://schema.org/EventScheduled",
    EventStatus.CANCELLED: "https://schema.org/EventCancelled",
}


def organization_reference(organization, absolute_url):
    return {
        "@type": "Organization",
        "name": organization.name,
        "url": absolute_url(organization.get_absolute_url()),
    }


def common(record, absolute_url, schema_type):
    data = {
        "@context": "https://schema.org",
        "@type": schema_type,
        "name": record.name,
        "url": absolute_url(record.get_absolute_url()),
    }
    if record.acronym:
        data["alternateName"] = record.acronym
    if record.summary:
        data["description"] = record.summary
    if record.website:
        data["sameAs"] = record.website
    return data


def area_served(record):
    """Organizations and projects serve areas (events do not, in schema.org)."""
    countries = [country.name for country in record.countries.all()]
    return {"areaServed": [{"@type": "Country", "name": n} for n in countries]} if countries else {}


def for_organization(organization, absolute_url):
    data = {**common(organization, absolute_url, "Organization"), **area_served(organization)}
    if organization.founded:
        data["foundingDate"] = str(organization.founded)
    if organization.hq_city or organization.hq_country:
        data["address"] = {
            "@type": "PostalAddress",
            "addressLocality": organization.hq_city,
            "addressCountry": organization.hq_country_id or "",
        }
    return data


def for_programme(programme, absolute_url):
    # schema.org has no programme type; a Project is an organization's planned endeavour.
    data = {**common(programme, absolute_url, "Project"), **area_served(programme)}
    roles = list(programme.roles.all())
    for prop, kinds in (("funder", {"funding"}), ("member", {"implementing", "partner"})):
        organizations = list(
            {r.organization.pk: r.organization for r in roles if r.role in kinds}.values()
        )
        if organizations:
            data[prop] = [organization_reference(o, absolute_url) for o in organizations]
    if programme.start:
        data["foundingDate"] = iso_partial(programme.start, programme.start_precision)
    if programme.end:
        data["dissolutionDate"] = iso_partial(programme.end, programme.end_precision)
    return data


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


BUILDERS = {"organization": for_organization, "programme": for_programme, "event": for_event}


def structured_data(record, absolute_url):
    return BUILDERS[record._meta.model_name](record, absolute_url)
