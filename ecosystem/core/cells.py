"""What a CSV export's column does when an imported file brings it back
(ecosystem.opendata.imports): each `Cell` sets a record's fields from the text of one
cell. A column declares its cell beside its label and its value (`exports.Column`), so
that a label is written once, for the export and the import.

`put(row, text)` reads what the import's row carries: the record it changes, the file's
language, whether the record is new (`action`), the fields it changed (`changes`), the
links it sets (`many`) and the lookups of countries, sectors and records by name."""

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from ecosystem.core.dates import parse_partial
from ecosystem.core.search import fold
from ecosystem.core.text import parts

LANGUAGES = ("en", "fr")


@dataclass
class Cell:
    """`put(row, text)` sets the record's fields from a cell; `fields` are the model
    fields it sets, to tie a validation error to its column."""

    put: object
    fields: tuple = ()


def labelled(label, language):
    with translation.override(language):
        return str(label)


def set_value(row, name, value):
    if getattr(row.record, name) != value:
        setattr(row.record, name, value)
        row.changes.append(name)


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
    keys = {}  # folded value or label, in either language: value (filled on first use)

    def put(row, text):
        if not keys:
            for value, label in choices:
                for key in (value, *(labelled(label, lang) for lang in LANGUAGES)):
                    keys.setdefault(fold(key), value)
        if fold(text) in keys:
            set_value(row, name, keys[fold(text)])
            return
        raise ValueError(
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": text, "choices": ", ".join(str(label) for _v, label in choices)}
        )

    return Cell(put, (name,))


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
