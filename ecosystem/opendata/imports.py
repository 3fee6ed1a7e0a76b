"""Import records from a spreadsheet with the columns of the list's own CSV export, in
French or English, as CSV or XLSX: export → edit → import is a round trip.

`read_table` reads the file; `plan` checks every row and says what it would do (create,
update, unchanged) without writing; `apply` writes the plan, all of it or nothing. The
admin (ecosystem.core.admin) and `manage.py import_records` share them.

A row names its record by the "Page" column's address (its slug), else by its name and
country, accents and case aside. An existing record changes only in the columns the file
has and the cells it fills: an empty cell never blanks what staff wrote. Countries and
sectors are found by code, slug or name in either language. New records arrive as
drafts unless published on purpose, and every imported record cites the file (or a
source staff chose) as its source.
"""

import contextlib
import csv
import datetime
import io
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ecosystem.core import counts, exports, history
from ecosystem.core.dates import parse_partial
from ecosystem.core.models import Country, Language, PublicationStatus, Sector, Source
from ecosystem.core.search import fold

LANGUAGES = ("en", "fr")
MAX_ROWS = 50_000


class ImportFileError(ValueError):
    """The file cannot be read as a table (its format, its header)."""


@dataclass
class Cell:
    """What a column does on import: `put(row, text)` sets the record's fields from a
    cell; `fields` are the model fields it sets, to tie a validation error to its column."""

    put: object
    fields: tuple = ()


@dataclass
class Row:
    number: int  # as a spreadsheet numbers it: the header is row 1
    record: object
    action: str = "create"  # create, update, unchanged
    changes: list = field(default_factory=list)
    many: dict = field(default_factory=dict)  # m2m field -> records
    language: str = "en"
    errors: list = field(default_factory=list)

    def error(self, column, message):
        self.errors.append(
            _("Row %(row)s, column “%(column)s”: %(message)s")
            % {"row": self.number, "column": column, "message": message}
        )


# Reading ---------------------------------------------------------------------------------


def read_table(path_or_file, name=""):
    """[header, *rows] of a CSV (any usual dialect, UTF-8 with or without a byte-order
    mark) or an XLSX file (its first sheet), as text."""
    name = name or str(getattr(path_or_file, "name", path_or_file))
    data = path_or_file.read() if hasattr(path_or_file, "read") else Path(path_or_file).read_bytes()
    rows = read_xlsx(data) if name.lower().endswith(".xlsx") else read_csv(data)
    rows = [
        [exports.unsafe(cell.strip()) for cell in row]
        for row in rows
        if any(c.strip() for c in row)
    ]
    if not rows:
        raise ImportFileError(_("The file is empty."))
    if len(rows) - 1 > MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(max)s rows: split it.") % {"max": MAX_ROWS}
        )
    return rows


def read_csv(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(_("A CSV file must be saved as UTF-8.")) from error
    try:
        dialect = csv.Sniffer().sniff(text[:10_000], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def read_xlsx(data):
    from openpyxl import load_workbook  # only XLSX imports need it

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file it cannot read
        raise ImportFileError(_("This is not an XLSX file that can be read.")) from error
    sheet = book.worksheets[0]
    return [[text_of(value) for value in row] for row in sheet.iter_rows(values_only=True)]


def text_of(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# Finding related records by what a person would type -----------------------------------


class Lookups:
    """Countries, sectors and records of a kind found by code, slug or name in either
    language, accents and case aside; loaded once per import."""

    def __init__(self):
        self.countries = {}
        for country in Country.objects.all():
            for key in (country.code, country.name_en, country.name_fr):
                self.countries[fold(key)] = country
        self.sectors = {}
        for sector in Sector.objects.all():
            for key in (sector.slug, sector.name_en, sector.name_fr):
                self.sectors[fold(key)] = sector

    def country(self, text):
        found = self.countries.get(fold(text))
        if found is None:
            raise ValueError(
                _("no country “%(value)s”: give its ISO code (SN) or its name.") % {"value": text}
            )
        return found

    def sector(self, text):
        found = self.sectors.get(fold(text))
        if found is None:
            raise ValueError(
                _("no sector “%(value)s”: give its name or its key.") % {"value": text}
            )
        return found

    @staticmethod
    def named(model, text):
        """A record of `model` by slug or name in either language (or acronym)."""
        key = fold(text)
        for record in model.objects.filter(sort_en=key) | model.objects.filter(sort_fr=key):
            return record
        found = (
            model.objects.filter(slug=text).first()
            or model.objects.filter(acronym__iexact=text).first()
        )
        if found is None:
            raise ValueError(
                _("no %(kind)s “%(value)s” in the directory.")
                % {"kind": model._meta.verbose_name, "value": text}
            )
        return found


def parts(text):
    return [part.strip() for part in text.split(";") if part.strip()]


# Cells every kind of record shares -----------------------------------------------------


def put_text(name, translated=False):
    """A text field; a translated one in the file's language, and in the other too for
    a new record (until staff translate it)."""

    def put(row, text):
        if not translated:
            set_value(row, name, text)
            return
        set_value(row, f"{name}_{row.language}", text)
        other = f"{name}_{'fr' if row.language == 'en' else 'en'}"
        if row.action == "create" and not getattr(row.record, other):
            set_value(row, other, text)

    names = tuple(f"{name}_{language}" for language in LANGUAGES) if translated else (name,)
    return Cell(put, names)


def put_countries(row, text):
    row.many["countries"] = [row.lookups.country(part) for part in parts(text)]


def put_sectors(row, text):
    row.many["sectors"] = [row.lookups.sector(part) for part in parts(text)]


def put_choice(name, choices):
    def put(row, text):
        key = fold(text)
        for value, label in choices:
            if key in {fold(value), *(fold(labelled(label, lang)) for lang in LANGUAGES)}:
                set_value(row, name, value)
                return
        raise ValueError(
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": text, "choices": ", ".join(str(label) for _v, label in choices)}
        )

    return Cell(put, (name,))


def labelled(label, language):
    with translation.override(language):
        return str(label)


def put_partial_date(name, *, end=False):
    def put(row, text):
        value, precision = parse_partial(text, end=end)
        set_value(row, name, value)
        set_value(row, f"{name}_precision", precision)

    return Cell(put, (name, f"{name}_precision"))


def put_related(name, model):
    def put(row, text):
        set_value(row, name, row.lookups.named(model, text))

    return Cell(put, (name,))


def put_country(name):
    def put(row, text):
        set_value(row, name, row.lookups.country(text))

    return Cell(put, (name,))


def put_integer(name):
    def put(row, text):
        try:
            set_value(row, name, int(text))
        except ValueError as error:
            raise ValueError(_("a whole number was expected.")) from error

    return Cell(put, (name,))


def put_yes_no(name):
    def put(row, text):
        value = fold(text)
        if value in {"yes", "oui", "true", "1"}:
            set_value(row, name, True)
        elif value in {"no", "non", "false", "0"}:
            set_value(row, name, False)
        else:
            raise ValueError(_("yes or no was expected."))

    return Cell(put, (name,))


def set_value(row, name, value):
    if getattr(row.record, name) != value:
        setattr(row.record, name, value)
        row.changes.append(name)


COMMON = {
    "Name": put_text("name", translated=True),
    "Acronym": put_text("acronym"),
    "Countries": Cell(put_countries, ("countries",)),
    "Country codes": Cell(put_countries, ("countries",)),
    "Sectors": Cell(put_sectors, ("sectors",)),
    "Summary": put_text("summary", translated=True),
    "Website": put_text("website"),
}


# Planning --------------------------------------------------------------------------------


def columns_of(record_type):
    """{folded header label, in either language: (English label, Cell or None)} for the
    type's CSV columns: a column whose Cell is None is read-only (a count, a date of
    update, the status a programme's dates decide)."""
    cells = {**COMMON, **(record_type.import_cells or {})}
    found = {}
    for label, _value in record_type.csv_columns:
        english = labelled(label, "en")
        for language in LANGUAGES:
            found[fold(labelled(label, language))] = (english, cells.get(english))
    for language in LANGUAGES:  # the export's last column, the record's page
        with translation.override(language):
            found[fold(_("Page"))] = ("Page", None)
    return found


def header_language(header, record_type):
    scores = {
        language: sum(
            fold(cell) in {fold(labelled(label, language)) for label, _v in record_type.csv_columns}
            for cell in header
        )
        for language in LANGUAGES
    }
    return max(LANGUAGES, key=lambda language: (scores[language], language == "en"))


def plan(record_type, table):
    """Every row's Row: what it would do, or its errors. Writes nothing."""
    header, *body = table
    columns = columns_of(record_type)
    language = header_language(header, record_type)
    unknown = [cell for cell in header if fold(cell) not in columns]
    if unknown:
        raise ImportFileError(
            _("Unknown columns: %(columns)s. Use the columns of the list's CSV export.")
            % {"columns": ", ".join(f"“{cell}”" for cell in unknown)}
        )
    if not any(columns[fold(cell)][0] == "Name" for cell in header) and not any(
        columns[fold(cell)][0] == "Page" for cell in header
    ):
        raise ImportFileError(_("The file needs a “Name” column (or “Page”) to name its records."))
    lookups = Lookups()
    labels = [columns[fold(cell)][0] for cell in header]
    table = [
        dict(zip(labels, cells + [""] * (len(header) - len(cells)), strict=False)) for cells in body
    ]
    existing = Existing(record_type.model, table, language)
    rows = []
    for number, (cells, by_label) in enumerate(zip(body, table, strict=True), start=2):
        values = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=False))
        row = Row(number, None, language=language)
        row.lookups = lookups
        try:
            row.record = existing.find(by_label, lookups)
        except ValueError as error:
            row.error(_("Name"), str(error))
            rows.append(row)
            continue
        if row.record is None:
            row.record = new_record(record_type)
        else:
            row.action = "update"
        for header_cell, text in values.items():
            _english, cell = columns[fold(header_cell)]
            if cell is None or not text:
                continue
            try:
                cell.put(row, text)
            except ValueError as error:
                row.error(header_cell, str(error))
        if row.action == "create":
            row.record.slug = existing.new_slug(row.record, by_label)
        validate(row, header, columns)
        if row.action == "update" and not (row.changes or changed_links(row)):
            row.action = "unchanged"
        rows.append(row)
    return rows


def page_slug(by_label):
    """The slug at the end of the row's "Page" address, if it has one."""
    path = urlsplit(by_label.get("Page", "")).path
    found = [part for part in path.split("/") if part][-1:]
    return found[0] if found else ""


class Existing:
    """The records a file's rows may name, found in a few queries for the whole file
    (by page address and by folded name), and the slugs already taken."""

    CHUNK = 500

    def __init__(self, model, table, language):
        self.model, self.language = model, language
        slugs = {page_slug(row) for row in table} - {""}
        names = {fold(row.get("Name", "")) for row in table} - {""}
        bases = {slugify(row.get("Name", ""))[:100] for row in table} - {""}
        self.by_slug = {r.slug: r for r in self.fetch("slug", slugs)}
        self.by_name = {}
        for record in self.fetch(f"sort_{language}", names, prefetch=True):
            self.by_name.setdefault(getattr(record, f"sort_{language}"), []).append(record)
        self.taken = set(self.fetch("slug", slugs | bases, values=True))

    def fetch(self, field, keys, *, prefetch=False, values=False):
        keys = sorted(keys)
        for start in range(0, len(keys), self.CHUNK):
            found = self.model.objects.filter(**{f"{field}__in": keys[start : start + self.CHUNK]})
            if values:
                yield from found.values_list("slug", flat=True)
            else:
                yield from found.prefetch_related("countries") if prefetch else found

    def find(self, by_label, lookups):
        """The existing record a row means, or None for a new one."""
        slug = page_slug(by_label)
        if slug in self.by_slug:
            return self.by_slug[slug]
        name = by_label.get("Name", "")
        if not name:
            if slug:
                return None
            raise ValueError(_("each row needs a name."))
        candidates = self.by_name.get(fold(name), [])
        country_text = parts(by_label.get("Country codes", "") or by_label.get("Countries", ""))
        if country_text and candidates:
            with contextlib.suppress(ValueError):  # its own column reports it
                country = lookups.country(country_text[0])
                candidates = [c for c in candidates if country in c.countries.all()]
        if len(candidates) > 1:
            raise ValueError(
                _("several records are named “%(name)s” here: add the “Page” column to say which.")
                % {"name": name}
            )
        return candidates[0] if candidates else None

    def new_slug(self, record, by_label):
        base = (page_slug(by_label) or slugify(record.name_en or record.name_fr))[:100] or "record"
        slug, number = base, 1
        while slug in self.taken or (number > 1 and self.model.objects.filter(slug=slug).exists()):
            number += 1
            slug = f"{base}-{number}"
        self.taken.add(slug)
        return slug


def new_record(record_type):
    record = record_type.model()
    for name, value in (record_type.import_defaults or {}).items():
        setattr(record, name, value)
    return record


def validate(row, header, columns):
    by_field = {}
    for header_cell in header:
        _english, cell = columns[fold(header_cell)]
        for name in cell.fields if cell else ():
            by_field.setdefault(name, header_cell)
    try:
        # The slug is unique by construction (Existing.new_slug): no query per row for it.
        row.record.full_clean(exclude=["publication_status", "slug"], validate_unique=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            row.error(by_field.get(name, name), " ".join(messages))


def changed_links(row):
    if row.record.pk is None:
        return bool(row.many)
    return any(
        set(getattr(row.record, name).values_list("pk", flat=True)) != {r.pk for r in records}
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
