"""Load the seed data file (ecosystem/opendata/seed/ecosystem.yaml) into the database.

The file is first data, not the master. A load creates what is missing and leaves every
existing record exactly as it is: its values, its relations, its publication status and
its "updated" time. With ``update=True`` it changes the fields and relations the file
states whose values differ, and nothing else: it never blanks a field the file does not
state, never removes a relation staff added, never changes whether a record is
published. A record staff deleted is not brought back. Every record is validated like
an admin form would validate it, an error names the record and the field, and every
change is kept in the records' history with the reason "seed".
"""

from collections import Counter
from decimal import Decimal
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from ecosystem.core import counts, history
from ecosystem.core.dates import parse_partial
from ecosystem.core.models import Country, PublicationStatus, Publishable, Sector, Source
from ecosystem.core.registry import SeedSection, registry

SEED_FILE = Path(__file__).resolve().parent / "seed" / "ecosystem.yaml"

CREATED, UNCHANGED, UPDATED, SKIPPED = OUTCOMES = ("created", "unchanged", "updated", "skipped")


def decimal(value):
    """YAML reads 12.6392 as a float; the database wants the decimal that was written."""
    return None if value is None else Decimal(str(value))


def stated(value):
    """Whether the file states a value: an absent or empty one never blanks a field."""
    return value is not None and value != "" and value != []


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


def sections():
    """The core's sections (sources, countries, sectors), then each app's, in the order
    the apps are installed: a record is loaded after those it points at."""
    return [
        SeedSection("sources", lambda loader, item: loader.load_source(item), key="key"),
        SeedSection("countries", lambda loader, item: loader.load_country(item), key="code"),
        SeedSection(
            "sectors",
            lambda loader, item: loader.load_sector(item),
            finish=lambda loader, item: loader.link_parent(Sector, item),
        ),
        *registry.seed_sections,
    ]


def items(data, section):
    """A section's items; SeedError when it is not a list of records."""
    found = data.get(section.name) or []
    if not isinstance(found, list) or not all(isinstance(item, dict) for item in found):
        raise SeedError(
            f"{section.name}: expected a list of records, each with its {section.key!r}"
        )
    return found


def count_records(data):
    """How many steps a load takes, for its progress bar."""
    return sum(
        len(items(data, section))
        + sum(
            len(item.get(child) or [])
            for item in items(data, section)
            for child in section.children
            if isinstance(item.get(child) or [], list)
        )
        for section in sections()
    )


class Loader:
    """One load of the file. ``counts`` has (kind, outcome) -> number and ``changes`` a
    line per record that was updated or skipped, naming the fields."""

    def __init__(self, data, tick=lambda: None, *, update=False, name=""):
        self.data = data
        self.tick = tick
        self.update = update
        self.name = name
        self.counts = Counter()
        self.changes = []
        self.where = ""
        self.created = set()

    def run(self):
        known = [section.name for section in sections()]
        unknown = [name for name in self.data if name not in known]
        if unknown:
            raise SeedError(
                f"unknown section {', '.join(map(repr, unknown))}: expected {', '.join(known)}"
            )
        # The counts are made after the transaction, committed or rolled back: never in
        # one a database error has aborted, which would hide that error.
        with counts.deferred(), transaction.atomic(), history.reason("seed", self.name):
            for section in sections():
                for item in items(self.data, section):
                    self.where = f"{section.name} {item.get(section.key)!r}"
                    if not item.get(section.key):
                        self.fail(section.key, "is required")
                    try:
                        section.load(self, item)
                    except KeyError as error:
                        self.fail(error.args[0], "is required")
                    except (AttributeError, TypeError) as error:
                        self.fail("?", f"a value of the wrong kind ({error})")
                    self.tick()
            # Parents and memberships may point at records that come later in the file.
            for section in sections():
                if section.finish is None:
                    continue
                for item in items(self.data, section):
                    self.where = f"{section.name} {item.get(section.key)!r}"
                    section.finish(self, item)
        return self.counts

    # Helpers -----------------------------------------------------------------------

    def fail(self, field, message):
        raise SeedError(f"{self.where}, field {field!r}: {message}")

    def lookup(self, model, field, value, key="slug"):
        found = self.current(model, **{key: value})
        if found is None:
            self.fail(field, f"no {model._meta.verbose_name} {value!r} in the database")
        return found

    def current(self, model, **lookup):
        """The record the file means: the one matching `lookup`, or the one that matched
        it before staff changed it (a renamed slug, a changed role)."""
        return model.objects.filter(**lookup).first() or history.former_record(model, **lookup)

    def optional(self, model, item, field, key="slug"):
        """The record `item[field]` names, or None when the field is absent."""
        return self.lookup(model, field, item[field], key) if item.get(field) else None

    def lookups(self, model, field, values, key="slug"):
        values = list(values or [])
        found = {getattr(obj, key): obj for obj in model.objects.filter(**{f"{key}__in": values})}
        for value in values:
            if value not in found and (former := history.former_record(model, **{key: value})):
                found[value] = former
        missing = [value for value in values if value not in found]
        if missing:
            self.fail(field, f"no {model._meta.verbose_name} {', '.join(map(repr, missing))}")
        return [found[value] for value in values]

    def dates(self, item, field, *, end=False):
        """{field: date, field_precision: precision} from a "2021-07" style string."""
        if item.get(field) in (None, ""):
            return {}
        try:
            value, precision = parse_partial(item[field], end=end)
        except ValueError as error:
            self.fail(field, str(error))
        return {field: value, f"{field}_precision": precision}

    def text(self, item, *fields):
        return {field: item.get(field) for field in fields}

    def report(self, model, outcome, label, detail=""):
        self.counts[(str(model._meta.verbose_name_plural), outcome)] += 1
        if detail:
            self.changes.append(f"{outcome} {model._meta.verbose_name} {label}: {detail}")

    def validate(self, obj):
        try:
            obj.full_clean()
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            self.fail(field, " ".join(messages))

    def save(self, model, lookup, values, many=None, *, children=None, may_create=True):
        """Create the record `lookup` names, or (with update) bring the fields and
        relations the file states up to date. `children(obj, created)` loads the rows
        the record owns, inside the same version of its history, and says whether it
        changed any. Returns the record (None when left out) and the outcome."""
        keys = list(lookup.values())
        label = repr(keys[0] if len(keys) == 1 else " / ".join(map(str, keys)))
        fields = {
            model._meta.get_field(name).attname: getattr(value, "pk", value)
            for name, value in values.items()
            if stated(value)
        }
        many = {name: related for name, related in (many or {}).items() if related}
        obj = self.current(model, **lookup)
        created = obj is None
        if created:
            if not may_create:
                self.report(model, SKIPPED, label, "not created: its record exists (--update)")
                return None, SKIPPED
            if history.deleted_before(model, **lookup):
                self.report(model, SKIPPED, label, "deleted by staff, not brought back")
                return None, SKIPPED
            obj = model(**lookup, **fields)
            if isinstance(obj, Publishable):
                obj.publication_status = PublicationStatus.PUBLISHED
            differing, missing = list(fields), many
        else:
            differing = [name for name, value in fields.items() if getattr(obj, name) != value]
            missing = {
                name: [record for record in related if record.pk not in self.related_pks(obj, name)]
                for name, related in many.items()
            }
            missing = {name: related for name, related in missing.items() if related}
        changed = [name.removesuffix("_id") for name in differing] + list(missing)
        if not created and not self.update:
            outcome = SKIPPED if changed else UNCHANGED
            self.report(
                model, outcome, label, changed and f"kept; the file differs in {', '.join(changed)}"
            )
            if children:
                children(obj, False)
            return obj, outcome
        for name in differing:
            setattr(obj, name, fields[name])
        if differing:
            self.validate(obj)
        with history.one_version(obj, "+" if created else "~") as version:
            if differing or created:
                obj.save()
            for name, related in missing.items():
                getattr(obj, name).add(*related)
            changed_children = children(obj, created) if children else False
            version.changed = bool(created or changed or changed_children)
        if created:
            self.created.add((model, obj.pk))
            outcome = CREATED
        else:
            outcome = UPDATED if changed else UNCHANGED
        self.report(model, outcome, label, outcome == UPDATED and ", ".join(changed))
        return obj, outcome

    def related_pks(self, obj, name):
        return set(getattr(obj, name).values_list("pk", flat=True))

    def child(self, owner_created, model, lookup, values):
        """A row a record owns (a role, a site, a figure, a membership): created with its
        record, or with --update. Says whether it was created or changed."""
        _obj, outcome = self.save(model, lookup, values, may_create=owner_created or self.update)
        self.tick()
        return outcome in (CREATED, UPDATED)

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
        many = {
            "countries": self.lookups(Country, "countries", item.get("countries"), key="code"),
            "sectors": self.lookups(Sector, "sectors", item.get("sectors")),
            "sources": self.lookups(Source, "sources", item.get("sources")),
        }
        if not many["sources"]:
            self.fail("sources", "every seeded record cites at least one source")
        return values, many

    def fact_source(self, item, field="source", *, required=True):
        """The source a seeded fact cites (a role, a site, a figure, a membership, a
        record's dates or budget): every relation row states one."""
        if required and not item.get(field):
            self.fail(field, "every seeded fact cites the source it comes from")
        return self.optional(Source, item, field)

    def roles(self, model, record, created, item, section, values=lambda role: {}):
        """Load the roles `item` lists for `record` (a members.Role subclass `model`):
        each names its organization and role and cites its source; `values(role)`
        gives the fields a kind of role adds. Says whether any was created or changed."""
        organizations = model._meta.get_field("organization").related_model
        changed = False
        for role in item.get("roles") or []:
            self.where = f"{section} {item['slug']!r} roles"
            lookup = {
                model.record_field: record,
                "organization": self.lookup(
                    organizations, "organization", role.get("organization")
                ),
                "role": role.get("role"),
            }
            fields = {"source": self.fact_source(role), **values(role)}
            changed |= self.child(created, model, lookup, fields)
        return changed

    decimal = staticmethod(decimal)

    def link_parent(self, model, item):
        """A parent named later in the file than its child is linked once both exist."""
        if not item.get("parent"):
            return
        obj = self.current(model, slug=item["slug"])
        if (
            obj is None
            or obj.parent_id
            or ((model, obj.pk) not in self.created and not self.update)
        ):
            return
        obj.parent = self.optional(model, item, "parent")
        self.validate(obj)
        obj.save()

    def parent_if_loaded(self, model, item):
        """The parent when it is already in the database, else None (linked later)."""
        return self.current(model, slug=item["parent"]) if item.get("parent") else None

    # The core's sections ------------------------------------------------------------

    def load_source(self, item):
        values = self.text(item, "title", "publisher", "author", "language", "url", "document")
        values.update(self.dates(item, "published"))
        values["outside"] = bool(item.get("outside"))
        self.save(Source, {"slug": item["key"]}, values)

    def load_country(self, item):
        self.save(Country, {"code": item["code"]}, {"region": item["region"]})

    def load_sector(self, item):
        values = self.text(item, "name_en", "name_fr")
        values["parent"] = self.parent_if_loaded(Sector, item)
        self.save(Sector, {"slug": item["slug"]}, values)
