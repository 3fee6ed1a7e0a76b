"""CSV exports: one row per record, readable labels in the page's language, lists joined
readably, UTF-8 with a byte-order mark so that Excel and LibreOffice open it right. The
rows stream: a large export never sits in memory."""

import csv
import re
from collections import defaultdict
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass
from functools import reduce
from itertools import chain
from operator import or_

from django.db import connections
from django.db.models import F, ManyToManyField, OrderBy, Prefetch, Q
from django.http import StreamingHttpResponse
from django.utils.encoding import iri_to_uri
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ecosystem.core import cells
from ecosystem.core.cells import Cell
from ecosystem.core.dates import iso_partial
from ecosystem.core.listing import labelled

# Records read per query (in_batches): each batch is a query of its
# own, a fraction of a second at a million records, and the memory an export holds.
BATCH = 1000
BOM = "\ufeff"
CSV_TYPE = "text/csv; charset=utf-8"


class Echo:
    """A file-like object that hands back what csv.writer writes."""

    def write(self, value):
        return value


def joined(values):
    return "; ".join(str(value) for value in values if value not in (None, ""))


def names(records):
    return joined(record.name for record in records)


def listed(record, name):
    """The record's related list `name` ("countries", "roles") as read with it, a batch
    at a time (with_lists) or by prefetch_related, without the related manager and
    queryset `record.countries.all()` builds at each call."""
    try:
        return record._prefetched_objects_cache[name]
    except (AttributeError, KeyError):  # not read with it: a query
        return getattr(record, name).all()


def roles(record):
    """ "funding: AFD; implementing: Tech-Dev"."""
    return joined(
        labelled(role_label(role), role.organization.acronym or role.organization.name)
        for role in listed(record, "roles")
    )


ROLE_LABELS = {}  # a kind of role (ProgrammeRole): display() of its choices


def role_label(role):
    """role.get_role_display(), read from a table as display() does."""
    kind = type(role)
    if kind not in ROLE_LABELS:
        ROLE_LABELS[kind] = display("role", kind._meta.get_field("role").flatchoices)
    return ROLE_LABELS[kind](role)


def display(attribute, choices):
    """A column's value: the label of a choice, from a table made once per language
    (a model's get_FOO_display() hashes every lazy label at every call: seconds on a
    large export)."""
    tables = {}

    def value(record):
        language = get_language()
        if language not in tables:
            tables[language] = {key: str(label) for key, label in choices}
        raw = getattr(record, attribute)
        return tables[language].get(raw, raw)

    return value


@dataclass(frozen=True, eq=False)
class Column:
    """A column of a list's CSV export: its label (a lazy translation, or a name said
    the same in both languages, "LinkedIn"), its value for a record, and what its cell
    does when an imported file brings it back (ecosystem.opendata.imports), None for a
    column an import only reads past (a date of update, the status dates decide). The
    import finds a file's columns by these labels, in either language, and names them by
    the Column itself: a label is written once.

    `lists` names the record's related lists the value reads ("countries", "roles";
    a programme's status reads its sources): an export reads each once a batch
    (with_lists), and the value reads it with listed(). A list not named here is a query
    a row (tests/test_export_golden.py counts them)."""

    label: object
    value: Callable
    cell: Cell | None = None
    lists: tuple = ()


NAME = Column(_("Name"), lambda record: record.name, cells.put_text("name", translated=True))
ACRONYM = Column(_("Acronym"), lambda record: record.acronym, cells.put_text("acronym"))
COUNTRIES = Column(
    _("Countries"),
    lambda record: names(listed(record, "countries")),
    Cell(cells.put_countries, ("countries",)),
    lists=("countries",),
)
COUNTRY_CODES = Column(
    _("Country codes"),
    lambda record: joined(c.code for c in listed(record, "countries")),
    Cell(cells.put_countries, ("countries",)),
    lists=("countries",),
)
SECTORS = Column(
    _("Sectors"),
    lambda record: names(listed(record, "sectors")),
    Cell(cells.put_sectors, ("sectors",)),
    lists=("sectors",),
)
SUMMARY = Column(
    _("Summary"), lambda record: record.summary, cells.put_text("summary", translated=True)
)
WEBSITE = Column(_("Website"), lambda record: record.website, cells.put_text("website"))
UPDATED = Column(_("Last updated"), lambda record: record.updated.date().isoformat())
LAST_VERIFIED = Column(
    _("Last verified"),
    lambda record: record.last_verified.isoformat() if record.last_verified else "",
)
# Of a record with roles (programmes, events): read-only, roles are edited in the admin.
ROLES = Column(_("Roles"), roles, lists=("roles",))
# Of a record with dates (ecosystem.core.models.Period): as a page says them, then each
# end as an ISO date as precise as it is known, which an import reads back.
DATES = Column(_("Dates"), lambda record: record.period)
START = Column(
    _("Start"),
    lambda record: iso_partial(record.start, record.start_precision),
    cells.put_partial_date("start"),
)
END = Column(
    _("End"),
    lambda record: iso_partial(record.end, record.end_precision),
    cells.put_partial_date("end", end=True),
)
# The export's last column, the record's page: it names the record on import.
PAGE_LABEL = _("Page")


def reference(source):
    """A source in one line: "Title, Publisher (2018-07), https://…"."""
    published = iso_partial(source.published, source.published_precision)
    return ", ".join(
        part
        for part in (
            source.title,
            source.publisher,
            f"({published})" if published else "",
            source.url or str(_("no known web address")),
        )
        if part
    )


SOURCES = Column(
    _("Sources"),
    lambda record: joined(reference(s) for s in listed(record, "sources")),
    lists=("sources",),
)


def shared_columns(*, head=(NAME, ACRONYM), own=(), related=()):
    """A type's columns, in the order every export follows: what names the record
    (`head`), its `own` columns, where it is and in which sectors, what it relates to
    (`related`: roles, a budget), then what every record has, its summary, website,
    sources and dates of verification and update."""
    return [
        *head,
        *own,
        COUNTRIES,
        COUNTRY_CODES,
        SECTORS,
        *related,
        SUMMARY,
        WEBSITE,
        SOURCES,
        LAST_VERIFIED,
        UPDATED,
    ]


# OWASP's rule against CSV injection: a cell beginning like a formula gets a leading
# apostrophe, so that a spreadsheet shows it and never runs it. The import takes it off.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unsafe(text):
    """A cell as it was before `safe()`."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


# Control characters other than tab and line breaks: XML 1.0 cannot carry them even
# escaped (Django refuses to write the feed: a 500), and iCalendar's TEXT excludes them.
# Staff bring them in with text pasted from a word processor (a vertical tab is its
# manual line break). The two non-characters are refused by XML parsers too.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def printable(value):
    """Text for a feed or a calendar: without the characters they cannot carry."""
    return CONTROL_CHARACTERS.sub("", "" if value is None else str(value))


def rows(columns, records, link):
    """The header, then one row per record, every cell safe to open in a spreadsheet;
    the last column is the record's page, `link(record)`."""
    yield [str(column.label) for column in columns] + [str(PAGE_LABEL)]
    for record in records:
        yield [safe(column.value(record)) for column in columns] + [link(record)]


# A slug reverse() and iri_to_uri() write as it is.
PLAIN_SLUG = re.compile("[-a-zA-Z0-9_]+")
PROBE = "export-probe-slug"


def page_links(base_url):
    """link(record): the record's page under `base_url`, as get_absolute_url() and
    iri_to_uri() write it. Every type's page is named by its slug alone (reverse(name,
    kwargs={"slug": ...})): the link is made once per type, for a copy of the first record
    with a probe for a slug, then written around each record's slug (reverse() costs more
    than the rest of a row). A slug that is not plain ASCII is asked of the record."""
    around = {}  # type: (before, after) its slug, or None if the page does not show it

    def exact(record):
        return iri_to_uri(base_url + record.get_absolute_url())

    def link(record):
        model = type(record)
        if model not in around:
            probe = copy(record)
            probe.slug = PROBE
            parts = exact(probe).split(PROBE)
            around[model] = parts if len(parts) == 2 else None
        slug = getattr(record, "slug", None)
        if around[model] is None or not slug or not PLAIN_SLUG.fullmatch(slug):
            return exact(record)
        before, after = around[model]
        return before + slug + after

    return link


INTERRUPTED = _("Export interrupted: this file is incomplete. Please download it again.")


def csv_text(columns, records, base_url):
    """The export as it is streamed or saved to a file (ecosystem/core/export_files.py),
    one piece at a time: the byte-order mark, then one CSV line per row. Pages are linked
    under `base_url` ("https://annuaire.example.org")."""
    writer = csv.writer(Echo())
    yield BOM
    try:
        for row in rows(columns, records, page_links(base_url)):
            yield writer.writerow(row)
    except Exception:
        # A fault part way (the database down or frozen, a bug): the file's last line says
        # it is cut short, and the exception goes on, so that the server ends the
        # connection without the body's end (the client sees an incomplete download)
        # and a job fails rather than keeping a file that looks whole.
        yield writer.writerow([str(INTERRUPTED)])
        raise


def sort_keys(records):
    """The records' order as keys a keyset can follow: [(name, descending, nulls_last,
    nullable)], ending with the primary key, which makes it total. Names are model fields
    or annotations (a search's rank); each key's direction of NULLs is the database's
    unless the order says it."""
    query, meta = records.query, records.model._meta
    order = list(query.order_by) or (list(meta.ordering) if query.default_ordering else [])
    nulls_largest = connections[records.db].features.nulls_order_largest
    keys = []
    for item in order:
        nulls_last = None
        if isinstance(item, str) and item != "?":
            name, descending = item.removeprefix("-"), item.startswith("-")
        elif isinstance(item, F):
            name, descending = item.name, False
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            name, descending = item.expression.name, item.descending
            nulls_last = True if item.nulls_last else False if item.nulls_first else None
        else:
            raise ValueError(f"No keyset follows the order {item!r}.")
        if name in query.annotations:
            nullable = True
        elif name == "pk" or name == meta.pk.name:
            name, nullable = "pk", False
        else:
            field = meta.get_field(name)
            if field.is_relation:
                raise ValueError(f"No keyset follows the order of a relation, {item!r}.")
            nullable = field.null
        if nulls_last is None:
            nulls_last = nulls_largest != descending
        keys.append((name, descending, nulls_last, nullable))
    if not keys or keys[-1][0] != "pk":
        keys.append(("pk", False, True, False))
    return keys


def after(keys, values):
    """The records after the one whose keys have these values, in the keys' order: its
    first key past the value, or equal and the second past, and so on. The first key's
    bound is also said alone, so that the database seeks to it in an index."""
    disjuncts, same = [], Q()
    for (name, descending, nulls_last, nullable), value in zip(keys, values, strict=True):
        if value is None:
            later = None if nulls_last else Q(**{f"{name}__isnull": False})
            equal = Q(**{f"{name}__isnull": True})
        else:
            later = Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
            if nullable and nulls_last:
                later |= Q(**{f"{name}__isnull": True})
            equal = Q(**{name: value})
        if later is not None:
            disjuncts.append(same & later)
        same &= equal
    name, descending, nulls_last, nullable = keys[0]
    value = values[0]
    if value is None:
        seek = Q(**{f"{name}__isnull": True}) if nulls_last else Q()
    else:
        seek = Q(**{f"{name}__{'lte' if descending else 'gte'}": value})
        if nullable and nulls_last:
            seek |= Q(**{f"{name}__isnull": True})
    return seek & reduce(or_, disjuncts)


def in_batches(records, size=None):
    """The records in their order, as lists of at most `size` (BATCH): each list a query
    of its own, the records after the previous list's last one (a keyset, which an index
    on the order serves, however deep), and one query per prefetch of `records`. No
    cursor is held open between two lists: the database is free meanwhile (on SQLite a
    read under way holds writers back). A record renamed during the export may be read
    twice or not at all, as with any page read after another."""
    size = size or BATCH
    keys = sort_keys(records)
    page = records
    while True:
        batch = list(page[:size])
        if batch:
            yield batch
        if len(batch) < size:
            return
        last = batch[-1]
        page = records.filter(after(keys, [getattr(last, key[0]) for key in keys]))


def with_lists(batch, records, names):
    """Read the related lists `names` of a batch of `records`, each in one or two queries
    for the batch, with the queryset `records` prefetches it with (a programme's roles of
    published organizations only), into the cache prefetch_related fills, where
    `record.roles.all()` finds them too. Each list is a plain list: prefetch_related
    builds a related manager and a filtered queryset for each record and each list,
    which was two thirds of an export's time."""
    given = {
        lookup.prefetch_to: lookup.queryset
        for lookup in records._prefetch_related_lookups
        if isinstance(lookup, Prefetch) and lookup.queryset is not None
    }
    for name in names:
        field = records.model._meta.get_field(name)
        read = linked if isinstance(field, ManyToManyField) else pointing
        queryset = given.get(name, field.related_model._default_manager.all())
        for record, items in read(batch, field, queryset):
            vars(record).setdefault("_prefetched_objects_cache", {})[name] = items


def among(queryset, field, keys):
    """`queryset`'s rows whose `field` is one of `keys`. Whole numbers are written in the
    SQL: a thousand parameters cost the driver more than the query (psycopg parses again
    each query of more than 50 parameters)."""
    keys = list(keys)
    if not all(type(key) is int for key in keys):
        return queryset.filter(**{f"{field.attname}__in": keys})
    if not keys:
        return queryset.none()
    name = connections[queryset.db].ops.quote_name
    column = f"{name(field.model._meta.db_table)}.{name(field.column)}"
    return queryset.extra(where=[f"{column} IN ({', '.join(map(str, keys))})"])


def linked(batch, field, queryset):
    """(record, [items]) of a many-to-many field: the batch's links, then the items they
    name, once each (a country shared by a thousand records is one row and one object),
    in the order of `queryset`."""
    through = field.remote_field.through._meta
    owner = through.get_field(field.m2m_field_name())
    target = through.get_field(field.m2m_reverse_field_name())
    links = among(through.model.objects.all(), owner, [record.pk for record in batch])
    pairs = list(links.values_list(owner.attname, target.attname))
    items = among(queryset, queryset.model._meta.pk, {item for _record, item in pairs})
    rank = {item.pk: (order, item) for order, item in enumerate(items)}
    grouped = defaultdict(list)
    # In the items' order: each record's list in that order.
    for record, (_order, item) in sorted(
        ((record, rank[item]) for record, item in pairs if item in rank),  # not left out
        key=lambda pair: pair[1][0],
    ):
        grouped[record].append(item)
    for record in batch:
        yield record, grouped[record.pk]


def pointing(batch, field, queryset):
    """(record, [items]) of a relation whose items point to the record (a programme's
    roles), in the order of `queryset`; each item knows its record, as prefetch_related
    leaves it."""
    pointer = field.remote_field
    records = {record.pk: record for record in batch}
    grouped = defaultdict(list)
    for item in among(queryset, pointer, records):
        record = records[getattr(item, pointer.attname)]
        pointer.set_cached_value(item, record)
        grouped[record.pk].append(item)
    for record in batch:
        yield record, grouped[record.pk]


def export_batches(records, columns):
    """The records of an export in batches (in_batches), each with the related lists
    its columns read (Column.lists), and only those: not what `records` prefetches for
    a page or the API (a programme's sites and figures)."""
    names = list(dict.fromkeys(name for column in columns for name in column.lists))
    for batch in in_batches(records.prefetch_related(None)):
        with_lists(batch, records, names)
        yield batch


def base_url(request):
    """What request.build_absolute_uri() puts before a path: a job writes the same links."""
    return request.build_absolute_uri("/").removesuffix("/")


def csv_response(request, records, columns, filename):
    """`records` (the list's, filtered exactly as its page filters them) as CSV."""
    response = StreamingHttpResponse(
        csv_text(columns, chain.from_iterable(export_batches(records, columns)), base_url(request)),
        content_type=CSV_TYPE,
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
