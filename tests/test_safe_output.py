"""Whatever staff type, every page and export shows it as text: hostile or awkward text
(a formula, markup, entities, line breaks, a long line, quotes, control characters,
right-to-left and emoji) in every text field of every record type, and of the rows shown
with it, never makes a 5xx, never becomes markup in HTML or XML, and comes back as
typed from the API, the calendars and the CSV (where a formula is neutralised).

The record types come from the registry and the text fields from the models, so a new
type or field is covered without touching this file."""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.html import escape

from ecosystem.core.models import Sector, Source
from ecosystem.core.registry import registry
from ecosystem.opendata import dataset
from ecosystem.site import feeds
from tests import factories

pytestmark = pytest.mark.django_db

FORMULA = "=1+2"
# What a spreadsheet reads as a formula (OWASP), spelled out here rather than imported, so
# that a start the exports forget to neutralise fails this test.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
OTHER_FORMULAS = ["+1+2", "-1+2", "@SUM(A1)", "\t=1+2", "\r=1+2"]
MARKUP = "<script>alert(1)</script><img src=x onerror=alert(2)>"
ENTITIES = "Tom &amp; Jerry &lt;b&gt; &#60;i&#62;"
QUOTES = '"double" \'single\' " onfocus="alert(3)'
PAYLOADS = [
    FORMULA,
    *OTHER_FORMULAS,
    MARKUP,
    ENTITIES,
    QUOTES,
    "first line\nsecond line",
    "first line\r\nsecond line",
    "A long line " + "of words and more words " * 8 + "x" * 60,
    "C:\\back\\slash \\n is not a line break",
    "a;b,c; d , e",
    "مرحبا بالعالم \u202eevil\u202c 👩🏽‍💻🚀 Sénégal",
    "pasted from a word processor\x0bwith a vertical tab",
]
# PostgreSQL cannot store a NUL character in text at all: there the model cannot hold it.
NUL = "nul\x00byte"
LANGUAGES = ["en", "fr"]
TYPES = [record_type.key for record_type in registry]
ATOM = {"a": "http://www.w3.org/2005/Atom"}


def payloads():
    return PAYLOADS + ([NUL] if connection.vendor == "sqlite" else [])


# Building the records -----------------------------------------------------------------


def factory_for(model):
    found = [
        value
        for value in vars(factories).values()
        if isinstance(value, type)
        and issubclass(value, factories.factory.django.DjangoModelFactory)
        and value._meta.model is model
    ]
    return found[0] if found else None


def text_fields(model):
    """The fields staff type free text into: no choices, slugs, addresses, identifiers
    (unique, as an IATI identifier) or copies."""
    unique = {
        constraint.fields[0]
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and len(constraint.fields) == 1
    }
    return [
        field
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField)
        and field.editable
        and not field.choices
        and not field.unique
        and field.name not in unique
        and not isinstance(field, models.SlugField | models.URLField | models.EmailField)
    ]


def filled(model, payload):
    """`payload` in every text field of `model` that its validators accept (a phone
    number has a form), cut to the field's length."""
    values = {}
    for field in text_fields(model):
        value = payload[: field.max_length] if field.max_length else payload
        try:
            field.run_validators(value)
        except ValidationError:
            continue
        values[field.name] = value
    return values


def made(model, payload, **fields):
    return factory_for(model)(**fields, **filled(model, payload))


def rows_shown_with(record, payload):
    """The rows a record's page shows with it (roles, sites, figures, memberships,
    phases, events), each with `payload` in its text fields: every reverse foreign key
    whose model has a factory."""
    for relation in record._meta.related_objects:
        if not relation.one_to_many or relation.related_model._meta.auto_created:
            continue
        if factory_for(relation.related_model):
            made(relation.related_model, payload, **{relation.field.name: record})


def build(record_type, senegal):
    """One published record of the type per payload, with its related rows, a source
    and a sector bearing the same payload."""
    records = []
    for number, payload in enumerate(payloads()):
        record = made(
            record_type.model,
            payload,
            slug=f"payload-{number}",
            countries=[senegal],
            sectors=[made(Sector, payload)],
            sources=[made(Source, payload)],
            **(record_type.import_defaults or {}),
        )
        rows_shown_with(record, payload)
        records.append(record)
    return records


# Reading the answers ------------------------------------------------------------------


class Markup(HTMLParser):
    """What the payloads would turn into, were they written out unescaped: a script
    running alert(), an image, an event handler attribute. (JSON-LD holds the text as
    data, escaped: a payload closing it would open a script of its own.)"""

    def __init__(self):
        super().__init__()
        self.found, self.in_script = [], False

    def handle_starttag(self, tag, attrs):
        self.in_script = tag == "script" and ("type", "application/ld+json") not in attrs
        if tag == "img" and ("src", "x") in attrs:
            self.found.append("<img src=x>")
        self.found += [name for name, _value in attrs if name.startswith("on")]

    def handle_data(self, data):
        if self.in_script and "alert(" in data:
            self.found.append(f"<script>{data}")

    def handle_endtag(self, tag):
        self.in_script = False


def page(client, path, language="en", query=None):
    response = client.get(path, query, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, path
    body = b"".join(response) if response.streaming else response.content
    return response, body.decode("utf-8-sig")


def html(client, path, language="en", query=None):
    _response, text = page(client, path, language, query)
    parser = Markup()
    parser.feed(text)
    assert parser.found == [], path
    return text


def carried(text):
    """Text as XML and iCalendar carry it: without the control characters neither can
    hold (all but tab and line breaks), and line breaks as line feeds."""
    text = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def csv_rows(text):
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), cell
    return rows


def names(record):
    return {record.name_en, record.name_fr}


def in_language(record, language, field="name"):
    with translation.override(language):
        return getattr(record, field)


# The test -----------------------------------------------------------------------------


@pytest.mark.parametrize("key", TYPES)
def test_hostile_text_everywhere_is_shown_as_text(client, senegal, key, tmp_path, monkeypatch):
    record_type = registry[key]
    records = build(record_type, senegal)
    assert {"name_en", "name_fr", "summary_en", "description_fr"} <= set(
        filled(record_type.model, MARKUP)
    )
    model = record_type.model._meta
    try:
        calendar_url = f"{model.app_label}:{model.model_name}-calendar"
        reverse(calendar_url, kwargs={"slug": "x"})
    except NoReverseMatch:
        calendar_url = None

    # Pages, in both languages: its list, its hubs, home; each record's own page, in
    # one language or the other (their templates are the same).
    for language in LANGUAGES:
        with translation.override(language):
            list_url = reverse(record_type.list_url)
            hubs = [
                reverse("home"),
                reverse("country-detail", kwargs={"code": "SN"}),
                reverse("sector-list"),
                *(
                    reverse("sector-detail", kwargs={"slug": sector.slug})
                    for sector in records[1].sectors.all()
                ),
            ]
        listing = html(client, list_url, language)
        assert escape(in_language(records[1], language)) in listing
        html(client, list_url, language, {"q": "alert"})
        for path in hubs:
            html(client, path, language)
    for number, record in enumerate(records):
        language = LANGUAGES[number % 2]
        with translation.override(language):
            path = record.get_absolute_url()
        text = html(client, path, language)
        assert escape(in_language(record, language)) in text, path
        assert escape(in_language(record, language, "summary")) in text, path
    # Search marks the words it found: around them, the text is still escaped.
    for query in [*payloads(), "amp", "quot"]:
        html(client, reverse("search"), "en", {"q": query})
    search = html(client, reverse("search"), "fr", {"q": "script"})
    assert "&lt;<mark>script</mark>&gt;" in search

    # CSV: every cell as typed, but a formula is never one.
    for language in LANGUAGES:
        with translation.override(language):
            _response, text = page(client, reverse(record_type.export_url), language)
        cells = {cell for row in csv_rows(text) for cell in row}
        for record in records:
            name = in_language(record, language)
            assert ("'" + name if name.startswith(FORMULA_STARTS) else name) in cells

    # The open dataset: CSV and JSON files.
    dataset.export(tmp_path, "https://annuaire.example.org")
    dumped = json.loads((tmp_path / f"{key}.json").read_text(encoding="utf-8"))
    assert {r["name_en"] for r in dumped} >= {r.name_en for r in records}
    cells = {
        cell
        for path in tmp_path.glob("*.csv")
        for row in csv_rows(path.read_text(encoding="utf-8-sig"))
        for cell in row
    }
    assert "'" + FORMULA in cells and MARKUP in cells

    # The API, list and detail: JSON holds the text exactly.
    listed = json.loads(page(client, f"/api/v1/{key}/?page_size=500")[1])["results"]
    assert {r["name_fr"] for r in listed} >= {r.name_fr for r in records}
    for record in records:
        detail = json.loads(page(client, f"/api/v1/{key}/{record.slug}/")[1])
        assert detail["name_en"] == record.name_en
        assert detail["summary_fr"] == record.summary_fr

    # The Atom feed: well-formed XML; titles and summaries declared and kept as text.
    monkeypatch.setattr(feeds, "ITEMS", 1000)
    for language in LANGUAGES:
        with translation.override(language):
            _response, text = page(client, reverse("feed"), language)
        entries = ET.fromstring(text.encode()).findall("a:entry", ATOM)
        shown = set()
        for entry in entries:
            summary = entry.find("a:summary", ATOM)
            assert summary is None or summary.get("type") == "text"
            shown.add((entry.find("a:title", ATOM).text, "" if summary is None else summary.text))
        if record_type.in_feed:
            for record in records:
                assert (
                    carried(in_language(record, language)),
                    carried(in_language(record, language, "summary")),
                ) in shown

    # Calendars: they parse back with the library and hold the same text.
    for language in LANGUAGES:
        events = icalendar.Calendar.from_ical(page(client, "/events.ics", language)[1])
        summaries = {str(event["summary"]) for event in events.walk("VEVENT")}
        if calendar_url:
            for record in records:
                with translation.override(language):
                    path = reverse(calendar_url, kwargs={"slug": record.slug})
                calendar = icalendar.Calendar.from_ical(page(client, path, language)[1])
                (event,) = calendar.walk("VEVENT")
                name = carried(in_language(record, language))
                assert str(event["summary"]).startswith(name)
                assert str(event["summary"]) in summaries
                # The library reads an X- property back raw, still escaped as TEXT.
                assert calendar["x-wr-calname"].to_ical() == icalendar.vText(name).to_ical()
                assert carried(in_language(record, language, "summary")) in str(
                    event["description"]
                )
                assert carried(record.venue) in str(event["location"])
