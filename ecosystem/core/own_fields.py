"""A record type's own fields (a call's kind, whether it is paid, its organizer), named
once in ``record_type(fields=[...])``: each is filtered, exported, served by the API and
shown on the record's page as its kind of field asks. Four kinds: a choice (a facet of
the list, its label everywhere), yes or no, a record named by its slug (only a public
one is shown), and plain text or a number (filtered by equality)."""

from dataclasses import dataclass

import django_filters
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ecosystem.core import cells, exports
from ecosystem.core.filters import OfferedChoiceFilter
from ecosystem.core.models import Publishable, public

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class YesNoFilter(django_filters.ChoiceFilter):
    """?paid=yes or ?paid=no: words a visitor reads in the address, and the API's schema
    lists."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, choices=YES_NO, empty_label=_("Any"), **kwargs)

    def filter(self, queryset, value):
        if value in ("", None):
            return queryset
        return queryset.filter(**{self.field_name: value == "yes"})


class WholeNumberFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField  # the schema then says "integer"


class PublicSlugField(serializers.SlugRelatedField):
    """A linked record's slug, or null when it is not public."""

    def to_representation(self, record):
        return super().to_representation(record) if shown(record) else None


def model_fields(model, names):
    """The model's fields of these names, refused when no default can carry them."""
    found = [model._meta.get_field(name) for name in names]
    for field in found:
        if field.many_to_many or field.one_to_many or (field.is_relation and not linkable(field)):
            raise ImproperlyConfigured(
                f"{model.__name__}.{field.name}: a type's own fields are choices, yes or no, "
                "text, numbers, or a link to a record with a slug; give the type its own "
                "FilterSet, serializer and columns for the rest."
            )
    return found


def linkable(field):
    return field.many_to_one and any(f.name == "slug" for f in field.related_model._meta.fields)


def label(field):
    return capfirst(field.verbose_name)


def shown(record):
    """A linked record as the public may see it (None for a draft)."""
    return public(record) if isinstance(record, Publishable) else record


def filter_for(field):
    """The list's filter on one of the type's own fields; also its API parameter."""
    named = {"field_name": field.name, "label": label(field)}
    if field.choices:
        return django_filters.MultipleChoiceFilter(choices=field.choices, **named)
    if isinstance(field, models.BooleanField):
        return YesNoFilter(**named)
    if field.many_to_one:
        records = field.related_model._default_manager.all()
        if issubclass(field.related_model, Publishable):
            records = records.published()
        return OfferedChoiceFilter(
            to_field_name="slug", queryset=records, offered=records, empty_label=_("Any"), **named
        )
    if isinstance(field, models.IntegerField):
        return WholeNumberFilter(**named)
    return django_filters.CharFilter(**named)


def filters(fields):
    """{name: filter} for the type's FilterSet, and the names of those that are facets
    (choices: the list counts the records of each)."""
    return {f.name: filter_for(f) for f in fields}, [f.name for f in fields if f.choices]


def serializer_fields(fields):
    """The API's fields declared by hand: linked records by slug (the rest, ModelSerializer
    describes from the model: a choice is an enumeration in the schema)."""
    return {
        f.name: PublicSlugField(slug_field="slug", read_only=True, allow_null=True)
        for f in fields
        if f.many_to_one
    }


def value_for(field, yes, no):
    """How one field of a record reads: a choice by its label, yes or no in the words
    given, a linked record only if it is public."""
    if field.choices:
        return exports.display(field.attname, field.choices)
    if isinstance(field, models.BooleanField):
        return lambda record: yes if getattr(record, field.attname) else no
    if field.many_to_one:
        return lambda record: shown(getattr(record, field.name))
    return lambda record: getattr(record, field.attname)


def cell_for(field):
    """What the field's column does when an imported file brings it back."""
    if field.choices:
        return cells.put_choice(field.attname, field.choices)
    if isinstance(field, models.BooleanField):
        return cells.put_yes_no(field.attname)
    if field.many_to_one:
        return cells.put_related(field.name, field.related_model)
    if isinstance(field, models.IntegerField):
        return cells.put_integer(field.attname)
    return cells.put_text(field.attname)


def columns(fields):
    """The CSV columns of the type's own fields (they follow the name), labelled by the
    field's verbose name in the export's language, each read back by an import; yes and
    no as the import reads them."""
    return [exports.Column(label(f), value_for(f, _("yes"), _("no")), cell_for(f)) for f in fields]


@dataclass(frozen=True)
class Fact:
    label: str
    value: object
    url: str = ""


def facts(record, fields):
    """The record's own fields as its page lists them ("Kind: training"), each a link
    when it names a record; an empty one is left out."""
    found = []
    for field in fields:
        value = value_for(field, _("Yes"), _("No"))(record)
        if value in (None, ""):
            continue
        url = value.get_absolute_url() if hasattr(value, "get_absolute_url") else ""
        found.append(Fact(label(field), value, url))
    return found
