"""Load the seed data file (ecosystem/opendata/seed/ecosystem.yaml) into the database.

The file is first data, not the master. A load creates what is missing and leaves every
existing record exactly as it is: its values, its relations, its publication status and
its "updated" time. With ``update=True`` it applies the file's values where they differ,
but only to the fields and relations the seed wrote last: one that staff (or anyone
other than the seed) changed since is kept and listed, as the record's history says
(``staff_changes``). It never blanks a field the file does not state, never removes a
relation, never changes whether a record is published.

Staff work never makes a load fail. A record is found by the key the seed wrote it
with, even if staff renamed it since (``current``); a record staff deleted is not brought
back, and what names it is skipped (a role of a deleted organization) or loaded without
that link (an event whose programme was deleted), each listed with why (``Gone``).

A broken file still stops the load: every record is validated like an admin form would
validate it, an error names the record and the field, and nothing is half-loaded. Every
change is kept in the records' history with the reason "seed".
"""

from collections import Counter
from decimal import Decimal
from pathlib import Path

import yaml
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Q
from simple_history.utils import get_history_manager_for_model

from ecosystem.core import counts, history
from ecosystem.core.dates import parse_partial
from ecosystem.core.models import Country, PublicationStatus, Publishable, Sector, Source
from ecosystem.core.registry import SeedSection, registry

SEED_FILE = Path(__file__).resolve().parent / "seed" / "ecosystem.yaml"

CREATED, UNCHANGED, UPDATED, SKIPPED = OUTCOMES = ("created", "unchanged", "updated", "skipped")

# The versions the seed wrote ("seed ecosystem.yaml"): what it wrote last it may change.
BY_THE_SEED = Q(history_change_reason="seed") | Q(history_change_reason__startswith="seed ")

# Fields that only mean something together: staff's latitude with the file's longitude
# would be a point nobody gave. A date goes with its precision (see `together`).
TOGETHER = [
    {"latitude", "longitude"},
    {"budget_amount", "budget_currency", "budget_qualifier"},
]


def decimal(value):
    """YAML reads 12.6392 as a float; the database wants the decimal that was written."""
    return None if value is None else Decimal(str(value))


def stated(value):
    """Whether the file states a value: an absent or empty one never blanks a field."""
    return value is not None and value != "" and value != []


class SeedError(Exception):
    """A record of the seed file that cannot be loaded; the message names it."""


class Gone:
    """A record the file names that is not in the database because staff deleted it, or
    because the seed left it out for that reason: what names it is skipped (a role of
    it) or loaded without the link (an event of it), and the summary says why."""

    def __init__(self, model, key, why):
        self.model, self.key, self.why = model, key, why

    def __str__(self):
        return str(self.key)

    @property
    def reason(self):
        return f"{self.model._meta.verbose_name} {self.key!r} {self.why}"


def versions_of(model):
    return get_history_manager_for_model(model)


def key_of(value):
    """A record as the file names it (its slug, or a country's code)."""
    return getattr(value, "slug", getattr(value, "pk", value))


def by_the_seed(version):
    return (version.history_change_reason or "").partition(" ")[0] == "seed"


def together(name):
    """The fields that change with `name`, itself included."""
    for group in TOGETHER:
        if name in group:
            return group
    base = name.removesuffix("_precision")
    return {base, f"{base}_precision"}


def seed_wrote_last(versions, attname, now):
    """Whether the value `now` of a field was written by the seed: walking back the
    record's versions (newest first) to the one that brought the value in."""
    if not versions or getattr(versions[0], attname, object()) != now:
        return False  # changed without a version (a bulk update): not the seed's
    brought_in = versions[0]
    for version in versions[1:]:
        if getattr(version, attname) != now:
            break
        brought_in = version
    return by_the_seed(brought_in)


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
    """One load of the file. ``counts`` has (kind, outcome) -> number, ``changes`` a
    line per record that was updated or skipped, naming the fields (for ``-v 2``), and
    ``notes`` a line per record skipped, left out or kept because of staff's work (for
    the summary)."""

    def __init__(self, data, tick=lambda: None, *, update=False, name=""):
        self.data = data
        self.tick = tick
        self.update = update
        self.name = name
        self.counts = Counter()
        self.changes = []
        self.notes = []
        self.kept_differences = 0  # existing records where the file differs (no update)
        self.where = ""
        self.created = set()
        # (model, key) of the file's records the seed did not load (deleted by staff,
        # or naming only what was): what names them is skipped in turn.
        self.left_out = {}
        # (model, key field, value) -> record, of the records named as references: the
        # same country or source is named by most records.
        self.found = {}

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
        """The record `value` names; Gone when staff deleted it; SeedError when the
        file names a record that never was (a broken file)."""
        found = self.find(model, key, value) or self.gone(model, key, value)
        if found is None:
            self.fail(field, f"no {model._meta.verbose_name} {value!r} in the database")
        return found

    def find(self, model, key, value):
        found = self.found.get((model, key, value))
        if found is None:
            found = self.current(model, **{key: value})
            if found is not None:
                self.found[(model, key, value)] = found
        return found

    def gone(self, model, key, value):
        """Gone when the record `value` names was in the database and is not any more
        (staff deleted it), or is a record of the file the seed left out; else None."""
        why = self.left_out.get((model, value))
        if why is None and versions_of(model).filter(**{key: value}).exists():
            why = "was deleted by staff"
        return Gone(model, value, why) if why else None

    def current(self, model, **lookup):
        """The record the file means by `lookup`: the one the seed wrote with that key,
        even if staff renamed it since; else the one that has it now (staff made it, or
        it is older than the history); else one that had it once (renamed after an
        import made it). Reads the history: a query or three."""
        pk = model._meta.pk.attname
        written = versions_of(model).filter(BY_THE_SEED, **lookup).values(pk)
        return (
            model._default_manager.filter(pk__in=written).first()
            or model._default_manager.filter(**lookup).first()
            or history.former_record(model, **lookup)
        )

    def optional(self, model, item, field, key="slug"):
        """The record `item[field]` names, or None when the field is absent."""
        return self.lookup(model, field, item[field], key) if item.get(field) else None

    def lookups(self, model, field, values, key="slug"):
        values = list(values or [])
        found = [self.find(model, key, value) or self.gone(model, key, value) for value in values]
        missing = [value for value, record in zip(values, found, strict=True) if record is None]
        if missing:
            self.fail(field, f"no {model._meta.verbose_name} {', '.join(map(repr, missing))}")
        return found

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

    def note(self, model, label, text):
        line = f"{model._meta.verbose_name} {label}: {text}"
        if line not in self.notes:  # a parent left out at load and at link time
            self.notes.append(line)

    def skip(self, model, label, why):
        """Leave a record of the file as it is (or out) because of staff's work."""
        self.counts[(str(model._meta.verbose_name_plural), SKIPPED)] += 1
        self.note(model, label, why)
        return None, SKIPPED

    def validate(self, obj):
        problem = self.problem(obj)
        if problem:
            self.fail(*problem)

    @staticmethod
    def problem(obj, **options):
        """(field, message) of the first rule `obj` breaks, or None."""
        try:
            obj.full_clean(**options)
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            return field, " ".join(messages)
        return None

    def fits_alone(self, model, lookup, fields):
        """Whether the file's record breaks no rule on its own, as if it were created
        (its key, which the existing record holds, left aside)."""
        alone = self.build(model, lookup, fields)
        return self.problem(alone, exclude=list(lookup), validate_unique=False) is None

    def build(self, model, lookup, fields):
        obj = model(**lookup, **fields)
        if isinstance(obj, Publishable):
            obj.publication_status = PublicationStatus.PUBLISHED
        return obj

    def save(self, model, lookup, values, many=None, *, children=None, may_create=True):
        """Create the record `lookup` names, or (with update) bring the fields and
        relations the file states up to date where the seed wrote them last.
        `children(obj, created)` loads the rows the record owns, inside the same
        version of its history, and says whether it changed any. Returns the record
        (None when left out) and the outcome."""
        keys = list(lookup.values())
        # Named as the file names it: a role is "fisong / afd / funding".
        names = [str(key_of(key)) for key in keys]
        label = repr(keys[0] if len(keys) == 1 else " / ".join(names))
        needed, left_out = self.links_to_gone(model, lookup, values, many or {})
        fields = {
            model._meta.get_field(name).attname: getattr(value, "pk", value)
            for name, value in values.items()
            if stated(value) and not isinstance(value, Gone)
        }
        cited = {name for name, related in (many or {}).items() if related}
        many = {
            name: [record for record in related if not isinstance(record, Gone)]
            for name, related in (many or {}).items()
        }
        many = {name: related for name, related in many.items() if related}
        obj = None if needed else self.current(model, **lookup)
        created = obj is None
        if created:
            if needed:
                self.left_out[(model, keys[0])] = "was not loaded"
                return self.skip(model, label, f"skipped, its {needed.reason}")
            if versions_of(model).filter(**lookup).exists():
                self.left_out[(model, keys[0])] = "was deleted by staff"
                return self.skip(model, label, "deleted by staff, not brought back")
            if not may_create:
                self.report(model, SKIPPED, label, "not created: its record exists (--update)")
                return None, SKIPPED
            if "sources" in cited and "sources" not in many:
                # Every seeded record cites a source (see publishable()).
                self.left_out[(model, keys[0])] = "was not created"
                return self.skip(
                    model, label, "not created: every source it cites was deleted by staff"
                )
            obj = self.build(model, lookup, fields)
            differing, missing = list(fields), many
        else:
            differing = [name for name, value in fields.items() if getattr(obj, name) != value]
            missing = {
                name: [record for record in related if record.pk not in self.related_pks(obj, name)]
                for name, related in many.items()
            }
            missing = {name: related for name, related in missing.items() if related}
        for line in left_out:
            self.note(model, label, line)
        changed = [name.removesuffix("_id") for name in differing] + list(missing)
        if not created and not self.update:
            outcome = SKIPPED if changed else UNCHANGED
            self.kept_differences += bool(changed)
            self.report(
                model, outcome, label, changed and f"kept; the file differs in {', '.join(changed)}"
            )
            if children:
                children(obj, False)
            return obj, outcome
        kept = False
        if not created and changed:
            differing, missing, kept = self.keep_staff_changes(
                model, obj, label, differing, missing
            )
        before = {} if created else {name: getattr(obj, name) for name in differing}
        for name in differing:
            setattr(obj, name, fields[name])
        if differing:
            differing, conflict = self.fit(obj, created, lookup, fields, differing, before, label)
            kept = kept or conflict
        changed = [name.removesuffix("_id") for name in differing] + list(missing)
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
        elif changed or changed_children:
            outcome = UPDATED
        else:
            outcome = SKIPPED if kept else UNCHANGED
        self.report(model, outcome, label, outcome == UPDATED and ", ".join(changed))
        return obj, outcome

    def fit(self, obj, created, lookup, fields, differing, before, label):
        """Check `obj` with the file's values like an admin form would. What breaks a
        rule only with staff's work is not written, and noted: a link to a record staff
        changed (a sector they made a sub-sector) is left out; values that do not fit
        staff's own (their end before the file's new start) leave the record as it is.
        Anything else is a broken file: SeedError. Returns the fields still to write
        and whether any was kept."""
        model = type(obj)
        problem = self.problem(obj)
        if problem is None:
            return differing, False
        link = self.link_named(model, problem[0])
        target = link and fields.get(link.attname)
        if link and link.null and target and (link.related_model, target) not in self.created:
            setattr(obj, link.attname, before.get(link.attname))
            differing = [name for name in differing if name != link.attname]
            record = link.related_model._default_manager.get(pk=target)
            self.note(
                model,
                label,
                f"{link.name} left out: it does not fit {link.related_model._meta.verbose_name} "
                f"{key_of(record)!r} as staff left it ({problem[1]})",
            )
            differing, _kept = self.fit(obj, created, lookup, fields, differing, before, label)
            return differing, True
        if not created and self.fits_alone(model, lookup, fields):
            self.note(
                model,
                label,
                "kept as it is: the file's values do not fit staff's changes "
                f"({problem[0]}: {problem[1]})",
            )
            obj.refresh_from_db()
            return [], True
        self.fail(*problem)

    @staticmethod
    def link_named(model, name):
        """The foreign key a validation error names, if it names one."""
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        return field if field.many_to_one else None

    def links_to_gone(self, model, lookup, values, many):
        """What a record names that staff deleted: the first Gone it cannot be without
        (its key, a required link), and lines for the links it is loaded without."""
        needed = [
            value
            for name, value in [*lookup.items(), *values.items()]
            if isinstance(value, Gone) and (name in lookup or not model._meta.get_field(name).null)
        ]
        left_out = [
            f"{name} left out: {value.reason}"
            for name, value in values.items()
            if isinstance(value, Gone)
        ]
        for name, related in many.items():
            reasons = [record.reason for record in related if isinstance(record, Gone)]
            if reasons:
                left_out.append(f"{name} left out: {'; '.join(reasons)}")
        return (needed[0] if needed else None), left_out

    def keep_staff_changes(self, model, obj, label, differing, missing):
        """The fields and links of `differing` and `missing` the seed may change; the
        others are staff's, kept and noted. Returns them and whether any was kept."""
        kept_fields, kept_links = self.staff_changes(model, obj, differing, missing)
        kept = [name.removesuffix("_id") for name in kept_fields] + [
            f"{name} ({', '.join(str(key_of(record)) for record in related)})"
            for name, related in kept_links.items()
        ]
        if kept:
            self.note(model, label, f"kept staff's changes to {', '.join(kept)}")
        differing = [name for name in differing if name not in kept_fields]
        missing = {
            name: [record for record in related if record not in kept_links.get(name, [])]
            for name, related in missing.items()
        }
        return differing, {name: r for name, r in missing.items() if r}, bool(kept)

    def staff_changes(self, model, obj, fields, links):
        """Of the fields (attnames) and links ({name: [records]}) where the file differs
        from `obj`, those the seed did not write last: staff's (or an import's...), to
        keep. A record the seed never wrote is all someone else's. Reads the history."""
        pk = model._meta.pk.attname
        versions = list(
            versions_of(model).filter(**{pk: obj.pk}).order_by("-history_date", "-history_id")
        )
        if not any(by_the_seed(version) for version in versions):
            return list(fields), dict(links)
        # A field goes with its companions: staff's latitude keeps the file's longitude.
        examined = {other for name in fields for other in together(name) if hasattr(obj, other)}
        theirs = {
            name for name in examined if not seed_wrote_last(versions, name, getattr(obj, name))
        }
        kept = [name for name in fields if together(name) & theirs]
        # Named too: the companion staff changed, that made the file's value kept.
        kept += sorted(
            name for name in theirs - set(kept) if any(name in together(k) for k in kept)
        )
        tracked = {field.name: field for field in history.tracked_many(model)}
        kept_links = {}
        for name, related in links.items():
            if name not in tracked:
                continue
            # The seed never removes a link: one a version had and the record lacks now,
            # someone else removed.
            target = f"{tracked[name].m2m_reverse_field_name()}_id"
            rows = getattr(versions[0], name).model.objects.filter(history__in=versions)
            ever = set(rows.values_list(target, flat=True))
            removed = [record for record in related if record.pk in ever]
            if removed:
                kept_links[name] = removed
        return kept, kept_links

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
        """Load the roles `item` lists for `record` (an ecosystem.core.roles.Role subclass `model`):
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
        """A parent named later in the file than its child is linked once both exist;
        with update, a parent the file adds is linked, unless staff removed it."""
        if not item.get("parent"):
            return
        obj = self.current(model, slug=item["slug"])
        if obj is None or obj.parent_id:
            return
        created = (model, obj.pk) in self.created
        label = repr(item["slug"])
        parent = self.optional(model, item, "parent")
        if isinstance(parent, Gone):
            self.note(model, label, f"parent left out: {parent.reason}")
            return
        if not created and not self.update:
            return
        if not created and self.staff_changes(model, obj, ["parent_id"], {})[0]:
            self.note(model, label, "kept staff's changes to parent")
            return
        obj.parent = parent
        problem = self.problem(obj)
        if problem and created and (model, parent.pk) in self.created:
            self.fail(*problem)  # both new: the file itself is wrong
        if problem:
            self.note(
                model,
                label,
                f"parent left out: it does not fit {model._meta.verbose_name} "
                f"{key_of(parent)!r} as staff left it ({problem[1]})",
            )
            return
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
