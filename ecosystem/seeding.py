"""Load the seed data file (ecosystem/seed/ecosystem.yaml) into the database.

The file is the truth for the fields it states: running the load again updates those
fields and adds what is missing, and never deletes anything staff added. Every record is
validated like an admin form would validate it, and an error names the record and the
field. Seeded records are published.
"""

from collections import Counter
from decimal import Decimal
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from ecosystem.dates import parse_partial
from ecosystem.models import Country, PublicationStatus, Sector, Source
from events.models import Event, EventRole, EventSeries
from members.models import Membership, Organization
from programmes.models import Indicator, Programme, ProgrammeRole, Site

SEED_FILE = Path(__file__).resolve().parent / "seed" / "ecosystem.yaml"

# Sections in load order, and the children each record of a section carries.
SECTIONS = [
    "sources",
    "countries",
    "sectors",
    "organizations",
    "programmes",
    "event_series",
    "events",
]
CHILDREN = {
    "organizations": ["memberships"],
    "programmes": ["roles", "sites", "indicators"],
    "events": ["roles"],
}


def decimal(value):
    """YAML reads 12.6392 as a float; the database wants the decimal that was written."""
    return None if value is None else Decimal(str(value))


class SeedError(Exception):
    """A record of the seed file that cannot be loaded; the message names it."""


def read(path=SEED_FILE):
    """The seed file's sections; ValueError when it is not a seed file."""
    with open(path, encoding="utf-8") as handle:
        try:
            data = yaml.safe_load(handle)
        except yaml.YAMLError as error:
            raise ValueError(str(error)) from error
    if not isinstance(data, dict):
        raise ValueError("expected a mapping of sections (sources, countries, organizations...)")
    return data


def count_records(data):
    """How many steps a load takes, for its progress bar."""
    return sum(
        len(data.get(section) or [])
        + sum(
            len(item.get(child) or [])
            for item in data.get(section) or []
            for child in CHILDREN.get(section, [])
        )
        for section in SECTIONS
    )


class Loader:
    def __init__(self, data, tick=lambda: None):
        self.data = data
        self.tick = tick
        self.counts = Counter()
        self.where = ""

    def run(self):
        with transaction.atomic():
            for section in SECTIONS:
                for item in self.data.get(section) or []:
                    key = item.get("slug") or item.get("key") or item.get("code")
                    self.where = f"{section} {key!r}"
                    try:
                        getattr(self, f"load_{section}")(item)
                    except KeyError as error:
                        self.fail(error.args[0], "is required")
                    self.tick()
            # Parents and memberships point at records that may come later in the file.
            for item in self.data.get("sectors") or []:
                self.where = f"sectors {item['slug']!r}"
                self.link_parent(Sector, item)
            for item in self.data.get("programmes") or []:
                self.where = f"programmes {item['slug']!r}"
                self.link_parent(Programme, item)
            for item in self.data.get("organizations") or []:
                for membership in item.get("memberships") or []:
                    self.where = f"organizations {item['slug']!r} memberships"
                    self.load_membership(item["slug"], membership)
                    self.tick()
        return self.counts

    # Helpers -----------------------------------------------------------------------

    def fail(self, field, message):
        raise SeedError(f"{self.where}, field {field!r}: {message}")

    def lookup(self, model, field, value, key="slug"):
        try:
            return model.objects.get(**{key: value})
        except model.DoesNotExist:
            self.fail(field, f"no {model._meta.verbose_name} {value!r} in the seed file")

    def optional(self, model, item, field, key="slug"):
        """The record `item[field]` names, or None when the field is absent."""
        return self.lookup(model, field, item[field], key) if item.get(field) else None

    def lookups(self, model, field, values, key="slug"):
        values = list(values or [])
        found = {getattr(obj, key): obj for obj in model.objects.filter(**{f"{key}__in": values})}
        missing = [value for value in values if value not in found]
        if missing:
            self.fail(field, f"no {model._meta.verbose_name} {', '.join(map(repr, missing))}")
        return [found[value] for value in values]

    def dates(self, item, field, *, end=False):
        """{field: date, field_precision: precision} from a "2021-07" style string."""
        if item.get(field) in (None, ""):
            return {field: None}
        try:
            value, precision = parse_partial(item[field], end=end)
        except ValueError as error:
            self.fail(field, str(error))
        return {field: value, f"{field}_precision": precision}

    def text(self, item, *fields):
        return {field: item.get(field) or "" for field in fields}

    def save(self, model, lookup, values, many=None):
        """Create or update one record, validated as an admin form would."""
        obj = model.objects.filter(**lookup).first()
        created = obj is None
        obj = obj or model(**lookup)
        for name, value in values.items():
            setattr(obj, name, value)
        try:
            obj.full_clean()
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            self.fail(field, " ".join(messages))
        obj.save()
        for name, related in (many or {}).items():
            getattr(obj, name).set(related)
        self.counts[(model._meta.verbose_name_plural, "created" if created else "updated")] += 1
        return obj

    def publishable(self, item):
        """The fields every organization, programme and event shares."""
        values = self.text(
            item,
            "name_en",
            "name_fr",
            "acronym",
            "summary_en",
            "summary_fr",
            "description_en",
            "description_fr",
            "website",
        )
        values["publication_status"] = PublicationStatus.PUBLISHED
        many = {
            "countries": self.lookups(Country, "countries", item.get("countries"), key="code"),
            "sectors": self.lookups(Sector, "sectors", item.get("sectors")),
            "sources": self.lookups(Source, "sources", item.get("sources")),
        }
        if not many["sources"]:
            self.fail("sources", "every seeded record cites at least one source")
        return values, many

    def link_parent(self, model, item):
        parent = self.optional(model, item, "parent")
        model.objects.filter(slug=item["slug"]).update(parent=parent)

    # Sections ----------------------------------------------------------------------

    def load_sources(self, item):
        values = self.text(item, "title", "publisher", "author", "language", "url", "document")
        values.update(self.dates(item, "published"))
        self.save(Source, {"slug": item["key"]}, values)

    def load_countries(self, item):
        self.save(Country, {"code": item["code"]}, {"region": item["region"]})

    def load_sectors(self, item):
        self.save(Sector, {"slug": item["slug"]}, self.text(item, "name_en", "name_fr"))

    def load_organizations(self, item):
        values, many = self.publishable(item)
        values.update(
            kind=item.get("kind", ""),
            hq_city=item.get("hq_city") or "",
            founded=item.get("founded"),
        )
        values["hq_country"] = self.optional(Country, item, "hq_country", key="code")
        self.save(Organization, {"slug": item["slug"]}, values, many)

    def load_membership(self, member_slug, item):
        member = self.lookup(Organization, "memberships", member_slug)
        organization = self.lookup(Organization, "memberships.of", item.get("of"))
        values = {
            **self.dates({"start": item.get("since")}, "start"),
            **self.dates({"end": item.get("until")}, "end", end=True),
        }
        self.save(Membership, {"member": member, "organization": organization}, values)

    def load_programmes(self, item):
        values, many = self.publishable(item)
        values.update(self.text(item, "objectives_en", "objectives_fr"))
        values.update(self.dates(item, "start"))
        values.update(self.dates(item, "end", end=True))
        budget = item.get("budget") or {}
        values.update(
            budget_amount=budget.get("amount"),
            budget_currency=budget.get("currency", ""),
            budget_qualifier=budget.get("qualifier", "exact"),
        )
        programme = self.save(Programme, {"slug": item["slug"]}, values, many)
        for role in item.get("roles") or []:
            self.where = f"programmes {item['slug']!r} roles"
            organization = self.lookup(Organization, "organization", role.get("organization"))
            self.save(
                ProgrammeRole,
                {"programme": programme, "organization": organization, "role": role.get("role")},
                {},
            )
            self.tick()
        for site in item.get("sites") or []:
            self.where = f"programmes {item['slug']!r} sites {site.get('name')!r}"
            values = self.text(site, "city", "note_en", "note_fr")
            values.update(self.dates(site, "opened"))
            values.update(
                latitude=decimal(site.get("latitude")),
                longitude=decimal(site.get("longitude")),
                status=site.get("status", "open"),
            )
            values["host"] = self.optional(Organization, site, "host")
            values["country"] = self.lookup(Country, "country", site.get("country"), key="code")
            self.save(Site, {"programme": programme, "name": site["name"]}, values)
            self.tick()
        for indicator in item.get("indicators") or []:
            self.where = f"programmes {item['slug']!r} indicators {indicator.get('label_en')!r}"
            values = self.text(indicator, "label_fr", "unit_en", "unit_fr")
            values.update(self.dates(indicator, "as_of"))
            values.update(
                value=decimal(indicator.get("value")), qualifier=indicator.get("qualifier", "exact")
            )
            values["source"] = self.optional(Source, indicator, "source")
            self.save(
                Indicator, {"programme": programme, "label_en": indicator["label_en"]}, values
            )
            self.tick()

    def load_event_series(self, item):
        values = self.text(
            item, "name_en", "name_fr", "acronym", "summary_en", "summary_fr", "website"
        )
        many = {
            "countries": self.lookups(Country, "countries", item.get("countries"), key="code"),
            "sources": self.lookups(Source, "sources", item.get("sources")),
        }
        self.save(EventSeries, {"slug": item["slug"]}, values, many)

    def load_events(self, item):
        values, many = self.publishable(item)
        values.update(self.dates(item, "start"))
        values.update(self.dates(item, "end", end=True))
        values.update(
            kind=item.get("kind", ""),
            city=item.get("city") or "",
            venue=item.get("venue") or "",
            online=bool(item.get("online")),
            status=item.get("status", "announced"),
        )
        values["series"] = self.optional(EventSeries, item, "series")
        values["programme"] = self.optional(Programme, item, "programme")
        values["country"] = self.optional(Country, item, "country", key="code")
        event = self.save(Event, {"slug": item["slug"]}, values, many)
        for role in item.get("roles") or []:
            self.where = f"events {item['slug']!r} roles"
            organization = self.lookup(Organization, "organization", role.get("organization"))
            self.save(
                EventRole,
                {"event": event, "organization": organization, "role": role.get("role")},
                {},
            )
            self.tick()
