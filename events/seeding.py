"""The seed file's event series and events sections (ecosystem.opendata.seeding runs
them)."""

from ecosystem.core.models import Country, Source
from events.models import Event, EventRole, EventSeries
from members.models import Organization
from programmes.models import Programme


def load_series(loader, item):
    values = loader.text(
        item, "name_en", "name_fr", "acronym", "summary_en", "summary_fr", "website"
    )
    many = {
        "countries": loader.lookups(Country, "countries", item.get("countries"), key="code"),
        "sources": loader.lookups(Source, "sources", item.get("sources")),
    }
    loader.save(EventSeries, {"slug": item["slug"]}, values, many)


def load_event(loader, item):
    if item.get("country") and item["country"] not in (item.get("countries") or []):
        item = {**item, "countries": [*(item.get("countries") or []), item["country"]]}
    values, many = loader.publishable(item)
    values.update(loader.dates(item, "start"))
    values.update(loader.dates(item, "end", end=True))
    values.update(loader.text(item, "kind", "city", "venue", "status"))
    if "online" in item:
        values["online"] = bool(item["online"])
    values["series"] = loader.optional(EventSeries, item, "series")
    values["programme"] = loader.optional(Programme, item, "programme")
    values["country"] = loader.optional(Country, item, "country", key="code")
    values["dates_source"] = loader.fact_source(item, "dates_source", required=False)
    loader.save(
        Event,
        {"slug": item["slug"]},
        values,
        many,
        children=lambda event, created: load_roles(loader, event, created, item),
    )


def load_roles(loader, event, created, item):
    changed = False
    for role in item.get("roles") or []:
        loader.where = f"events {item['slug']!r} roles"
        organization = loader.lookup(Organization, "organization", role.get("organization"))
        lookup = {"event": event, "organization": organization, "role": role.get("role")}
        changed |= loader.child(created, EventRole, lookup, {"source": loader.fact_source(role)})
    return changed
