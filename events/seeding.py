"""The seed file's event series and events sections (ecosystem.opendata.seeding runs
them)."""

from ecosystem.core.models import Country
from events.models import Event, EventRole, EventSeries, EventSeriesRole
from programmes.models import Programme


def load_series(loader, item):
    values, many = loader.publishable(item)
    loader.save(
        EventSeries,
        {"slug": item["slug"]},
        values,
        many,
        children=lambda series, created: loader.roles(
            EventSeriesRole,
            series,
            created,
            item,
            "event_series",
            lambda role: {"programme": loader.optional(Programme, role, "through")},
        ),
    )


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
        children=lambda event, created: loader.roles(EventRole, event, created, item, "events"),
    )
