"""CSV exports: one row per record, readable labels in the page's language, lists joined
readably, UTF-8 with a byte-order mark so that Excel and LibreOffice open it right. The
rows stream: a large export never sits in memory."""

import csv
import re

from django.http import StreamingHttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ecosystem.core.dates import iso_partial
from ecosystem.core.listing import labelled, lenient_filterset

CHUNK = 2000
BOM = "\ufeff"


class Echo:
    """A file-like object that hands back what csv.writer writes."""

    def write(self, value):
        return value


def joined(values):
    return "; ".join(str(value) for value in values if value not in (None, ""))


def names(records):
    return joined(record.name for record in records)


def roles(record):
    """ "funding: AFD; implementing: Tech-Dev"."""
    return joined(
        labelled(role.get_role_display(), role.organization.acronym or role.organization.name)
        for role in record.roles.all()
    )


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


# Columns every organization, programme and event shares; each list adds its own.
NAME = (_("Name"), lambda record: record.name)
ACRONYM = (_("Acronym"), lambda record: record.acronym)
COUNTRIES = (_("Countries"), lambda record: names(record.countries.all()))
COUNTRY_CODES = (_("Country codes"), lambda record: joined(c.code for c in record.countries.all()))
SECTORS = (_("Sectors"), lambda record: names(record.sectors.all()))
SUMMARY = (_("Summary"), lambda record: record.summary)
WEBSITE = (_("Website"), lambda record: record.website)
UPDATED = (_("Last updated"), lambda record: record.updated.date().isoformat())
LAST_VERIFIED = (
    _("Last verified"),
    lambda record: record.last_verified.isoformat() if record.last_verified else "",
)


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


SOURCES = (_("Sources"), lambda record: joined(reference(s) for s in record.sources.all()))


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


def rows(columns, records, absolute_url):
    """The header, then one row per record, every cell safe to open in a spreadsheet;
    the last column is the record's page."""
    yield [str(label) for label, _value in columns] + [str(_("Page"))]
    for record in records:
        yield [safe(value(record)) for _label, value in columns] + [
            absolute_url(record.get_absolute_url())
        ]


def csv_response(request, filterset_class, queryset, columns, filename):
    """The list's records, filtered exactly as its page filters them, as CSV."""
    filterset, _ignored = lenient_filterset(filterset_class, request.GET, queryset)
    writer = csv.writer(Echo())
    lines = (
        writer.writerow(row)
        for row in rows(columns, filterset.qs.iterator(CHUNK), request.build_absolute_uri)
    )
    response = StreamingHttpResponse(prepend(BOM, lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def prepend(first, rest):
    yield first
    yield from rest
