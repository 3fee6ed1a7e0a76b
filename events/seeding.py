"""The seed file's event series and events sections (ecosystem.opendata.seeding runs
them)."""

from ecosystem.core.models import Country
from events.models import Event, EventRole, EventSeries, EventSeriesRole
from members.models import Organization
from programmes.models import Programme


def load_series(loader, item):
    values, many = loader.publishable(item)
    loader.save(
        EventSeries,
        {"slug": item["slug"]},
        values,
        many,
        children=lambda series, created: load_series_roles(loader, series, created, item),
    )


def load_series_roles(loader, series, created, item):
    changed = False
    for role in item.get("roles") or []:
        loader.where = f"event_series {item['slug']!r} roles"
        organization = loader.lookup(Organization, "organization", role.get("organization"))
        lookup = {"series": series, "organization": organization, "role": role.get("role")}
        values = {
            "programme": loader.optional(Programme, role, "through"),
            "source": loader.fact_source(role),
        }
        changed |= loader.child(created, EventSeriesRole, lookup, values)
    return changed


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
