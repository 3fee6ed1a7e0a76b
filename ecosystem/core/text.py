"""Clean text: the one rule for what characters the directory stores.

Text reaches the records from forms, the admin, imports, suggestions and the seed. Some
characters must never be kept:

- **Control characters** (C0 but tab and line breaks, DEL, C1 such as U+0085): pasted
  from a word processor (a vertical tab is its manual line break) or sent on purpose.
  XML cannot carry them (feeds, XLSX: openpyxl refuses to write a row holding one,
  which breaks export → spreadsheet → import), nor can iCalendar, and a terminal obeys
  an ESC.
- **Bidirectional controls** (the Unicode Bidi_Control characters: embeddings and
  overrides U+202A–U+202E, isolates U+2066–U+2069, and the marks U+200E, U+200F,
  U+061C): U+202E shows "moc.elpmaxe" as "example.com", so a name can pass for
  another. The marks are invisible too and make two equal-looking names differ; the
  directory's text is French and English, which never needs them.
- Non-characters U+FFFE, U+FFFF and lone surrogates, which XML and PostgreSQL refuse.

Line breaks (and tab) stay where a field holds several lines (a TextField, a textarea);
a vertical tab, form feed, U+0085 or a Unicode line or paragraph separator becomes a
plain line break there. In a one-line field, any run of them becomes one space.

`clean_text` is the rule; `clean_model_text` applies it to a record's text fields (run
before every save of a record, ecosystem.core.signals, and when an import validates
the records it writes in bulk, Publishable.clean_fields); `CleanTextMixin` applies it
to a form's input, so that what the form checks and shows again is the clean text.
"""

import re

from django import forms
from django.db import models

LINE_BREAKS = "\n\r\x0b\x0c\x85\u2028\u2029"
# Removed everywhere (tab and the line breaks are dealt with apart).
REMOVED = (
    "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"  # C0 and C1 controls, DEL
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional controls
    "\ud800-\udfff\ufffe\uffff"  # lone surrogates, non-characters
)
UNWANTED = re.compile(f"[{REMOVED}\t{LINE_BREAKS}]")
REMOVED_CHARACTERS = re.compile(f"[{REMOVED}]")
ONE_LINE_BREAKS = re.compile(f"[\t{LINE_BREAKS}]+")
OTHER_LINE_BREAKS = re.compile("[\x0b\x0c\x85\u2028\u2029]")


def clean_text(value, multiline=False):
    """`value` without the characters the directory never stores; in a one-line value
    (`multiline` False) tabs and line breaks become a space."""
    if not isinstance(value, str) or not UNWANTED.search(value):
        return value  # the common case: nothing to do, nothing copied
    value = REMOVED_CHARACTERS.sub("", value)
    if multiline:
        return OTHER_LINE_BREAKS.sub("\n", value)
    return ONE_LINE_BREAKS.sub(" ", value.strip(f"\t{LINE_BREAKS}"))


def is_text_field(field):
    return isinstance(field, models.CharField | models.TextField)


def clean_model_text(instance):
    """Clean every text field of a model instance in place; returns the names of the
    fields that changed. A TextField may hold several lines, a CharField one."""
    changed = []
    for field in instance._meta.concrete_fields:
        if not is_text_field(field):
            continue
        value = getattr(instance, field.attname)
        cleaned = clean_text(value, multiline=isinstance(field, models.TextField))
        if cleaned != value:
            setattr(instance, field.attname, cleaned)
            changed.append(field.attname)
    return changed


class CleanTextMixin:
    """A form whose text input is cleaned before anything looks at it: its checks, its
    messages and the values it shows again all see the clean text. A textarea keeps
    its line breaks."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            return
        data = self.data.copy()
        for name, field in self.fields.items():
            if not isinstance(field, forms.CharField):
                continue
            key = self.add_prefix(name)
            multiline = isinstance(field.widget, forms.Textarea)
            if key not in data:
                continue
            if hasattr(data, "setlist"):
                data.setlist(key, [clean_text(value, multiline) for value in data.getlist(key)])
            else:
                data[key] = clean_text(data[key], multiline)
        self.data = data


def parts(text):
    """The items of a list typed in one cell or field, "Senegal; Mali": split on
    semicolons, blanks dropped (imports and suggestions read lists so)."""
    return [part.strip() for part in text.split(";") if part.strip()]
