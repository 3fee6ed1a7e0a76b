"""Import records from a spreadsheet with the columns of the list's own CSV export, in
French or English, as CSV or XLSX: export → edit → import is a round trip.

`read_table` reads the file; `plan` checks every row and says what it would do (create,
update, unchanged) without writing; `apply` writes the plan, all of it or nothing. The
admin (ecosystem/opendata/admin_import.py) and `manage.py import_records` share them.

A row names its record by the "Page" column's address (its slug), else by its name and
country, accents and case aside. An existing record changes only in the columns the file
has and the cells it fills: an empty cell never blanks what staff wrote. Countries and
sectors are found by code, slug or name in either language. New records arrive as
drafts unless published on purpose, and every imported record cites the file (or a
source staff chose) as its source.
"""

import contextlib
import copy
import operator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import CheckConstraint, F, Q
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ecosystem.core import counts, exports, history
from ecosystem.core.cells import LANGUAGES, labelled
from ecosystem.core.exports import Column
from ecosystem.core.lookups import Lookups
from ecosystem.core.models import Language, PublicationStatus, Source
from ecosystem.core.paths import same_page_in_words_of
from ecosystem.core.registry import registry
from ecosystem.core.search import fold
from ecosystem.core.text import parts
from ecosystem.opendata.tables import ImportFileError

# The export's last column: a row names its record by it. Read only.
PAGE = Column(exports.PAGE_LABEL, lambda record: record.get_absolute_url())


@dataclass
class Row:
    number: int  # as a spreadsheet numbers it: the header is row 1
    record: object
    action: str = "create"  # create, update, unchanged
    changes: list = field(default_factory=list)
    many: dict = field(default_factory=dict)  # m2m field -> records
    language: str = "en"
    errors: list = field(default_factory=list)
    # What the preview shows: each cell the row changes as the list's CSV export labels
    # and writes it, (label, old, new); old is None for a new record.
    cells: list = field(default_factory=list)

    def error(self, column, message):
        error = _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": self.number,
            "column": column,
            "message": message,
        }
        if error not in self.errors:  # a cell that sets a field in both languages
            self.errors.append(error)


# Planning --------------------------------------------------------------------------------


def columns_of(record_type):
    """{folded header label, in either language: its Column} for the type's CSV columns
    and the record's page. Each column's Cell says what it does; a column without one is
    read-only (a date of update, the status a programme's dates decide)."""
    return {
        fold(labelled(column.label, language)): column
        for column in [*record_type.csv_columns, PAGE]
        for language in LANGUAGES
    }


def header_language(header, record_type):
    scores = {
        language: sum(
            fold(cell)
            in {fold(labelled(column.label, language)) for column in record_type.csv_columns}
            for cell in header
        )
        for language in LANGUAGES
    }
    return max(LANGUAGES, key=lambda language: (scores[language], language == "en"))


def refuse_cut_short(body):
    """An export a fault cut short ends with a line saying so (exports.INTERRUPTED): such
    a file is refused whole, never imported as if its last line were a record."""
    interrupted = {fold(labelled(exports.INTERRUPTED, language)) for language in LANGUAGES}
    for number, cells in enumerate(body, 2):
        if cells and fold(cells[0]) in interrupted:
            raise ImportFileError(
                _(
                    "Row %(row)s says the export was cut short: the file is incomplete. "
                    "Download the export again."
                )
                % {"row": number}
            )


def plan(record_type, table, *, tick=lambda: None):
    """Every row's Row: what it would do, or its errors. Writes nothing. A few queries
    for the whole file, and one per row only to check a database rule on what the row
    changes (an end before its start)."""
    header, *body = table
    refuse_cut_short(body)
    columns = columns_of(record_type)
    language = header_language(header, record_type)
    unknown = [cell for cell in header if fold(cell) not in columns]
    if unknown:
        raise ImportFileError(
            _("Unknown columns: %(columns)s. Use the columns of the list's CSV export.")
            % {"columns": ", ".join(f"“{cell}”" for cell in unknown)}
        )
    in_file = [columns[fold(cell)] for cell in header]
    if exports.NAME not in in_file and PAGE not in in_file:
        raise ImportFileError(_("The file needs a “Name” column (or “Page”) to name its records."))
    heading = dict(zip(in_file, header, strict=True))  # as the file writes it
    by_field = {}  # the column that sets each field, to name it in an error
    for header_cell, column in zip(header, in_file, strict=True):
        for name in column.cell.fields if column.cell else ():
            by_field.setdefault(name, header_cell)
    lookups = Lookups()
    table = [
        dict(zip(in_file, cells + [""] * (len(header) - len(cells)), strict=False))
        for cells in body
    ]
    pages = []
    for by_column in table:
        try:
            pages.append(page_slug(record_type, by_column[PAGE]) if by_column.get(PAGE) else "")
        except ValueError as error:
            pages.append(error)
    existing = Existing(record_type, table, pages, language)
    named = {}  # what names a record: the first row that names it
    rows = []
    for number, (cells, by_column, page) in enumerate(zip(body, table, pages, strict=True), 2):
        tick()
        values = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=False))
        row = Row(number, None, language=language)
        row.lookups = lookups
        rows.append(row)
        naming = heading[PAGE] if page else heading.get(exports.NAME, str(exports.NAME.label))
        if isinstance(page, ValueError):
            row.error(heading[PAGE], str(page))
            continue
        try:
            row.record = existing.find(page, by_column, lookups)
        except ValueError as error:
            row.error(naming, str(error))
            continue
        keys = existing.keys(row.record, page, by_column, lookups)
        first = next((named[key] for key in keys if key in named), None)
        if first:
            row.error(
                naming,
                _("row %(first)s names the same record: give each record one row.")
                % {"first": first},
            )
            continue
        named.update(dict.fromkeys(keys, number))
        if row.record is None:
            row.record = new_record(record_type)
            before = None
        else:
            row.action = "update"
            before = copy.copy(row.record)  # its own field cache: the row changes a copy
        for header_cell, text in values.items():
            cell = columns[fold(header_cell)].cell
            if cell is None or not text:
                continue
            try:
                cell.put(row, text)
            except ValueError as error:
                row.error(header_cell, str(error))
        if not belongs(record_type, row.record):  # its kind changed to another list's
            fields = scope_fields(record_type)
            column = next((by_field[name] for name in fields if name in by_field), fields[0])
            row.error(
                column,
                _(
                    "“%(value)s” would move the record out of this list (%(list)s): "
                    "import it with the list it goes to."
                )
                % {"value": values.get(column, ""), "list": record_type.title},
            )
            continue
        if row.action == "create":
            row.record.slug = existing.new_slug(row.record, page)
        validate(row, by_field)
        if row.action == "update" and not (row.changes or changed_links(row)):
            row.action = "unchanged"
        elif not row.errors:
            row.cells = changed_cells(row, before, values, columns)
    return rows


class Linked:
    """A record as a row would leave it, for the export's columns: its countries and
    sectors as the row sets them."""

    def __init__(self, record, many):
        self.record, self.many = record, many

    def __getattr__(self, name):
        if name in self.many:
            return SimpleNamespace(all=lambda: self.many[name])
        if name == "_prefetched_objects_cache":  # the lists exports.listed() reads
            return {**getattr(self.record, name, {}), **self.many}
        return getattr(self.record, name)


def changed_cells(row, before, values, columns):
    """(label, old, new) for each of the file's columns that the row changes, written as
    the list's CSV export writes the column, in the file's language: old and new of an
    existing record, the file's cell for a new one."""
    changed = {*row.changes, *row.many}
    cells = []
    for header_cell, text in values.items():
        column = columns[fold(header_cell)]
        if column.cell is None or not text or not changed.intersection(column.cell.fields):
            continue
        label = labelled(column.label, row.language)
        if before is None:
            cells.append((label, None, text))
            continue
        with translation.override(row.language):
            old, new = column.value(before), column.value(Linked(row.record, row.many))
        if old != new:
            cells.append((label, old, new))
    return cells


PORTS = {"http": 80, "https": 443}


def own_port(address):
    """The port an address names, unless it is its scheme's own (either will do: this
    site answers both, at the same host)."""
    return None if address.port == PORTS.get(address.scheme) else address.port


def page_slug(record_type, text):
    """The slug of the record a "Page" cell names: its address on this site, or its
    path, in either language, and the page of a record of the kind imported (a file
    exported before French addresses had French words says /fr/organizations/optic/: it
    still names OPTIC). Anything
    else is a ValueError: an address elsewhere names nothing here, and another kind's
    page (a programme's, in a file of organizations) names nothing to change."""
    address = urlsplit(text)
    site = urlsplit(settings.SITE_URL)
    try:
        elsewhere = (address.scheme or address.netloc) and (
            address.scheme not in PORTS
            or address.hostname != site.hostname
            or own_port(address) != own_port(site)
        )
    except ValueError:  # a port that is not a number
        elsewhere = True
    if elsewhere:
        raise ValueError(
            _("“%(value)s” is not an address on this site (%(site)s).")
            % {"value": text, "site": settings.SITE_URL}
        )
    path = address.path if address.path.endswith("/") else address.path + "/"
    path = same_page_in_words_of(path) or path
    for language in LANGUAGES:
        with translation.override(language):
            try:
                slug = resolve(path).kwargs.get("slug")
            except Resolver404:
                continue
            # The page is the one such a record has: not a programme's, not a calendar's.
            if slug and record_type.model(slug=slug).get_absolute_url() == path:
                return slug
    raise ValueError(
        _("“%(value)s” is not the page of a record of this list (%(list)s).")
        % {"value": text, "list": record_type.title}
    )


# Types that share a model (organizations and SMEs) split its records: each type with
# `import_defaults` owns the records they describe (an SME's kind), a type without owns
# the rest. An import touches only the records of its own type.


def siblings(record_type):
    return [
        other
        for other in registry
        if other.model is record_type.model and other.import_defaults and other is not record_type
    ]


def scope_fields(record_type):
    return sorted(
        {
            name
            for other in [record_type, *siblings(record_type)]
            for name in other.import_defaults or {}
        }
    )


def describes(defaults, record):
    return all(getattr(record, name) == value for name, value in defaults.items())


def belongs(record_type, record):
    if record_type.import_defaults:
        return describes(record_type.import_defaults, record)
    return not any(describes(other.import_defaults, record) for other in siblings(record_type))


def records_of(record_type):
    records = record_type.model.objects.all()
    if record_type.import_defaults:
        return records.filter(**record_type.import_defaults)
    for other in siblings(record_type):
        records = records.exclude(**other.import_defaults)
    return records


class Existing:
    """The records a file's rows may name, found in a few queries for the whole file
    (by page address and by folded name, with their countries and sectors), and the
    slugs already taken."""

    CHUNK = 500

    def __init__(self, record_type, table, pages, language):
        self.record_type, self.model, self.language = record_type, record_type.model, language
        slugs = {page for page in pages if isinstance(page, str)} - {""}
        names = {fold(row.get(exports.NAME, "")) for row in table} - {""}
        bases = {slugify(row.get(exports.NAME, ""))[:100] for row in table} - {""}
        # Any record of the model: a page of another list's record is an error, not a
        # new record beside it.
        self.by_slug = {r.slug: r for r in self.fetch(self.model.objects, "slug", slugs)}
        self.by_name = {}
        for record in self.fetch(records_of(record_type), f"sort_{language}", names):
            self.by_name.setdefault(getattr(record, f"sort_{language}"), []).append(record)
        self.taken = set(self.fetch(self.model.objects, "slug", slugs | bases, values=True))

    def fetch(self, records, field, keys, *, values=False):
        keys = sorted(keys)
        for start in range(0, len(keys), self.CHUNK):
            found = records.filter(**{f"{field}__in": keys[start : start + self.CHUNK]})
            if values:
                yield from found.values_list("slug", flat=True)
            else:
                yield from found.prefetch_related("countries", "sectors")

    def find(self, page, by_column, lookups):
        """The existing record a row means, or None for a new one."""
        if page in self.by_slug:
            record = self.by_slug[page]
            if not belongs(self.record_type, record):
                raise ValueError(
                    _("“%(value)s” is the page of a record that is not in this list (%(list)s).")
                    % {"value": by_column[PAGE], "list": self.record_type.title}
                )
            return record
        name = by_column.get(exports.NAME, "")
        if not name:
            if page:
                return None
            raise ValueError(_("each row needs a name."))
        candidates = self.by_name.get(fold(name), [])
        country = first_country(by_column, lookups)
        if country and candidates:
            candidates = [c for c in candidates if country in c.countries.all()]
        if len(candidates) > 1:
            raise ValueError(
                _("several records are named “%(name)s” here: add the “Page” column to say which.")
                % {"name": name}
            )
        return candidates[0] if candidates else None

    @staticmethod
    def keys(record, page, by_column, lookups):
        """What names the row's record: two rows that share one name the same record."""
        if record is not None:
            return [("record", record.pk)]
        keys = [("page", page)] if page else []
        if by_column.get(exports.NAME):
            country = first_country(by_column, lookups)
            keys.append(("name", fold(by_column[exports.NAME]), country.pk if country else ""))
        return keys

    def new_slug(self, record, page):
        base = (page or slugify(record.name_en or record.name_fr))[:100] or "record"
        slug, number = base, 1
        while slug in self.taken or (number > 1 and self.model.objects.filter(slug=slug).exists()):
            number += 1
            slug = f"{base}-{number}"
        self.taken.add(slug)
        return slug


def first_country(by_column, lookups):
    """The row's first country, if it names one that exists (its column reports one
    that does not)."""
    named = parts(by_column.get(exports.COUNTRY_CODES, "") or by_column.get(exports.COUNTRIES, ""))
    with contextlib.suppress(ValueError):
        return lookups.country(named[0]) if named else None
    return None


def new_record(record_type):
    record = record_type.model()
    for name, value in (record_type.import_defaults or {}).items():
        setattr(record, name, value)
    return record


def validate(row, by_field):
    record, model = row.record, type(row.record)
    # The slug is unique by construction (Existing.new_slug), and a related record the
    # row names was found in the database (or is the one the record has): no query per
    # row for either.
    related = [
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation and getattr(record, f.attname) is not None
    ]
    try:
        record.full_clean(
            exclude=["publication_status", "slug", *related],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            row.error(by_field.get(name, name), " ".join(messages))
    # The database's own rules (an end before its start): those on what the row changes
    # (the record met the others when it was saved), in Python where they are plain
    # comparisons, else by a query (5 ms each: 20 s for 1,000 programmes).
    changed = {*row.changes, *row.many}
    for constraint in model._meta.constraints:
        if not isinstance(constraint, CheckConstraint):
            continue
        fields = sorted(constraint.condition.referenced_base_fields)
        if not changed.intersection(fields):
            continue
        try:
            met = meets(constraint, record)
        except NotPlain:
            unread = {f.name for f in model._meta.local_concrete_fields} | {"pk"}
            try:  # only the fields the rule reads go into its query
                constraint.validate(model, record, exclude=unread - set(fields))
            except ValidationError:
                met = False
            else:
                met = True
        if not met:
            column = next((by_field[f] for f in fields if f in by_field), fields[0])
            row.error(column, str(constraint.get_violation_error_message()))


class NotPlain(Exception):
    """A rule that is more than comparisons of a record's fields, for the database."""


COMPARISONS = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


def meets(constraint, record):
    """Whether `record` meets a check constraint, decided as the database decides it: a
    comparison with NULL is unknown, and a rule that is unknown is met."""
    return truth(Q(constraint.condition), record) is not False


def truth(condition, record):
    """True, False or None (unknown) for a Q of comparisons, in SQL's three-valued logic."""
    if isinstance(condition, Q):
        results = [truth(child, record) for child in condition.children]
        if condition.connector == Q.AND:
            result = False if False in results else None if None in results else True
        elif condition.connector == Q.OR:
            result = True if True in results else None if None in results else False
        else:
            raise NotPlain
        return (None if result is None else not result) if condition.negated else result
    if not isinstance(condition, tuple):  # an expression
        raise NotPlain
    lookup, right = condition
    name, _sep, comparison = lookup.partition("__")
    left = value_of(record, name)
    if comparison == "isnull" and isinstance(right, bool):
        return (left is None) == right
    if isinstance(right, F):
        right = value_of(record, right.name)
    elif hasattr(right, "resolve_expression"):
        raise NotPlain
    if comparison not in ("", *COMPARISONS):
        raise NotPlain
    if left is None or right is None:
        return None
    try:
        return COMPARISONS[comparison or "exact"](left, right)
    except TypeError as error:  # values of kinds Python does not compare
        raise NotPlain from error


def value_of(record, name):
    if name == "pk":
        return record.pk
    try:
        field = record._meta.get_field(name)
    except FieldDoesNotExist as error:
        raise NotPlain from error
    if not field.concrete:
        raise NotPlain
    return getattr(record, field.attname)


def changed_links(row):
    if row.record.pk is None:
        return bool(row.many)
    return any(
        {r.pk for r in getattr(row.record, name).all()} != {r.pk for r in records}
        for name, records in row.many.items()
    )


def errors_of(rows):
    return [message for row in rows for message in row.errors]


# Writing ---------------------------------------------------------------------------------


def links_after(record, many):
    """(countries, sectors) the record will have once the row's links are set."""
    return tuple(
        many[name] if name in many else (list(getattr(record, name).all()) if record.pk else [])
        for name in ("countries", "sectors")
    )


def file_source(file_name, language):
    """The source an import cites when staff choose none: the file itself, today."""
    today = timezone.localdate()
    slug = f"import-{today:%Y%m%d}-{slugify(Path(file_name).stem)}"[:80]
    source, _created = Source.objects.get_or_create(
        slug=slug,
        defaults={
            "title": f"{Path(file_name).name} ({today.isoformat()})",
            "language": language if language in Language.values else Language.ENGLISH,
            "published": today,
            "published_precision": "day",
            "document": Path(file_name).name[:200],
        },
    )
    return source


BATCH = 500


def apply(rows, *, file_name, publish=False, source=None, user=None, tick=lambda: None):
    """Write a plan without errors, every row or none; returns {action: count}. New
    records are written in batches (with their links, first versions and counts); an
    existing one is saved with its links in one version of its history."""
    if errors_of(rows):
        raise ValueError("A plan with errors is never written.")
    done = {
        action: sum(row.action == action for row in rows)
        for action in ("create", "update", "unchanged")
    }
    if not (done["create"] or done["update"]):
        for _row in rows:
            tick()
        return done
    with transaction.atomic(), counts.deferred(), history.reason("import", Path(file_name).name):
        source = source or file_source(file_name, rows[0].language)
        status = PublicationStatus.PUBLISHED if publish else PublicationStatus.DRAFT
        creates = [row for row in rows if row.action == "create"]
        for start in range(0, len(creates), BATCH):
            create_batch(creates[start : start + BATCH], source, status, user)
            for _row in creates[start : start + BATCH]:
                tick()
        for row in rows:
            if row.action == "update":
                update(row, source, user)
            if row.action != "create":
                tick()
    return done


def create_batch(batch, source, status, user):
    model = type(batch[0].record)
    records = []
    for row in batch:
        record = row.record
        record.publication_status = status
        links = links_after(record, row.many)
        for name, value in record.derived_values(*links).items():
            setattr(record, name, value)
        records.append(record)
    model.objects.bulk_create(records)
    countries, sectors = set(), set()
    for name in ("countries", "sectors", "sources"):
        field = model._meta.get_field(name)
        through = field.remote_field.through
        pairs = [
            (row.record.pk, other.pk)
            for row in batch
            for other in ([source] if name == "sources" else row.many.get(name, []))
        ]
        through.objects.bulk_create(
            through(
                **{
                    f"{field.m2m_field_name()}_id": record_pk,
                    f"{field.m2m_reverse_field_name()}_id": other_pk,
                }
            )
            for record_pk, other_pk in pairs
        )
        if name == "countries":
            countries = {other_pk for _record, other_pk in pairs}
        elif name == "sectors":
            sectors = {other_pk for _record, other_pk in pairs}
    history.bulk_first_versions(model, records, user)
    counts.recount(model, countries, sectors)


def update(row, source, user):
    record = row.record
    record._history_user = user
    with history.one_version(record, "~"):
        record.links_to_come = links_after(record, row.many)
        try:
            record.save()
            for name, related in row.many.items():
                getattr(record, name).set(related)
        finally:
            del record.links_to_come
        record.sources.add(source)
