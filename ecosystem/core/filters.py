"""What every list filters on (DESIGN.md's public contract): text, country and sector,
and a sort. Each list's FilterSet extends this one; the page, its CSV export and its
API all use the same FilterSet, so a parameter means the same everywhere."""

import copy

import django_filters
from django import forms
from django.core.validators import MaxLengthValidator
from django.db.models import Count, F
from django.db.models.functions import Coalesce
from django.forms.models import ModelChoiceIterator
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from ecosystem.core.models import Country, Sector
from ecosystem.core.search import MAX_QUERY_LENGTH, search


class SearchField(forms.CharField):
    """Search text whose length counts as sent, spaces around it included: as the search
    page counts it, and as the API's schema states it."""

    def to_python(self, value):
        if value not in self.empty_values:
            MaxLengthValidator(self.max_length)(str(value))
        return super().to_python(value)


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


class CountryCodeField(forms.ModelMultipleChoiceField):
    """Country codes in any case: ?country=sn is ?country=SN."""

    def clean(self, value):
        if isinstance(value, list | tuple):
            value = [str(code).upper() for code in value]
        return super().clean(value)


class CountryFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = CountryCodeField


def sort_column():
    """The folded name in the page's language (Publishable.sort_en / sort_fr)."""
    return "sort_en" if (translation.get_language() or "fr").startswith("en") else "sort_fr"


# A drop-down list offers at most this many records: past it, a list is not read.
MAX_OFFERED = 100


class QuickSelect(forms.Select):
    """A drop-down list written in Python, as Django's templates write it: a list's
    filters offer up to a hundred records in each of several lists, which the template
    engine takes a tenth of a millisecond an option to write."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = "".join(
            f'\n  <option value="{escape(option["value"])}"{attributes(option["attrs"])}>'
            f"{escape(option['label'])}</option>\n"
            for _group, group, _index in widget["optgroups"]
            for option in group
        )
        return mark_safe(  # noqa: S308 - every value is escaped
            f'<select name="{escape(name)}"{attributes(widget["attrs"])}>{options}\n</select>'
        )


def attributes(attrs):
    """name="value" for each attribute, the name alone for True, nothing for False."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class OfferedChoiceField(forms.ModelChoiceField):
    """Accepts any record of its queryset but offers only `offered` in the form's list
    (at most MAX_OFFERED of them): ?funder=optic is understood even if OPTIC funds
    nothing, while the list shows the few dozen funders rather than every organization
    (a million SMEs), or the most recent programmes rather than ten thousand. The list
    reads only what it shows: the key and the names."""

    widget = QuickSelect

    def __init__(self, *args, offered=None, **kwargs):
        self.offered = offered
        super().__init__(*args, **kwargs)

    def _get_choices(self):
        if self.offered is None:
            return super()._get_choices()
        shown = copy.copy(self)
        key = getattr(self, "to_field_name", None) or "pk"  # None while __init__ runs
        names = self.offered.only(key, "name_en", "name_fr", "acronym")
        shown.offered, shown.queryset = None, names[:MAX_OFFERED]
        return ModelChoiceIterator(shown)

    choices = property(_get_choices, forms.ChoiceField.choices.fset)


class OfferedChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = OfferedChoiceField


class YearFilter(django_filters.NumberFilter):
    """A four-digit year: "2020.5" is not one."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


def linked_to(queryset, field, hubs):
    """The records linked to any of these countries or sectors, as a semi-join (pk IN
    links) rather than a join made DISTINCT: the database can then read the records in
    the order of an index and stop at the page's twentieth. The links are read from the
    link table alone: through the records' table, the subquery joined every record."""
    m2m = queryset.model._meta.get_field(field)
    # Their keys as values, not a subquery: the planner then knows how many links each
    # has (its statistics of the most common values), and reads few by their index.
    keys = [getattr(hub, "pk", hub) for hub in hubs]
    links = m2m.remote_field.through.objects.filter(**{f"{m2m.m2m_reverse_field_name()}__in": keys})
    return queryset.filter(pk__in=links.values(m2m.m2m_field_name()))


class DirectoryFilterSet(django_filters.FilterSet):
    q = SearchFilter(label=_("Search"), method="filter_text", max_length=MAX_QUERY_LENGTH)
    country = CountryFilter(
        label=_("Country"),
        field_name="countries",
        to_field_name="code",
        queryset=Country.objects.all(),
        method="filter_country",
    )
    sector = django_filters.ModelMultipleChoiceFilter(
        label=_("Sector"),
        to_field_name="slug",
        queryset=Sector.objects.all(),
        method="filter_sector",
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), method="sort_by", empty_label=None, null_label=None
    )

    # The sort options of a list, its default and how each one orders (after which the
    # name in the page's language breaks ties).
    sort_orders = {"name": [], "-updated": [F("updated").desc()]}
    sort_labels = {"name": _("Name"), "-updated": _("Recently updated")}
    default_sort = "name"
    # The folded name that orders by name and breaks ties: the page's language when
    # None (sort_column()); the API names one (ecosystem.core.api).
    name_column = None
    # The filters shown with a count beside each value.
    facets = ["country", "sector"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["sort"].extra["choices"] = list(self.sort_labels.items())

    def facet_counts(self, name, records):
        """{value: how many of these records have it} for one facet, counted by the
        database in grouped queries. A main sector counts the records of its sub-sectors
        too, once each, as the sector filter finds them."""
        ids = records.order_by().values("pk")
        if name in ("country", "sector"):
            field = self._meta.model._meta.get_field(
                "countries" if name == "country" else "sectors"
            )
            links = field.remote_field.through.objects.filter(
                **{f"{field.m2m_field_name()}__in": ids}
            )
            # A record links to a country or a sector once: rows are records...
            record = Count("pk")
            target = field.m2m_reverse_field_name()
            if name == "country":
                return dict(links.values_list(f"{target}__code").annotate(record))
            # ...except in main sectors: each record once, through the sector or its
            # sub-sectors.
            main = Coalesce(f"{target}__parent__slug", f"{target}__slug")
            distinct = Count(field.m2m_column_name(), distinct=True)
            counts = dict(links.values_list(main).annotate(distinct))
            subsectors = links.filter(**{f"{target}__parent__isnull": False})
            counts.update(subsectors.values_list(f"{target}__slug").annotate(record))
            return counts
        grouped = self._meta.model.objects.filter(pk__in=ids).order_by().values_list(name)
        return {str(value): n for value, n in grouped.annotate(Count("pk")) if value is not None}

    def filter_text(self, queryset, name, value):
        return search(queryset, value)

    @extend_schema_field(OpenApiTypes.STR)  # a sector slug, repeatable
    def filter_sector(self, queryset, name, sectors):
        """A sector includes its sub-sectors: "Digital technology" finds IT & BPO."""
        if not sectors:
            return queryset
        chosen = {sector.pk for sector in sectors}
        chosen |= set(Sector.objects.filter(parent__in=chosen).values_list("pk", flat=True))
        return linked_to(queryset, "sectors", chosen)

    @extend_schema_field(OpenApiTypes.STR)  # a country code, repeatable
    def filter_country(self, queryset, name, countries):
        if not countries:
            return queryset
        return linked_to(queryset, "countries", countries)

    @extend_schema_field(OpenApiTypes.STR)
    def sort_by(self, queryset, name, value):
        return queryset  # applied last, in filter_queryset, so it also sets the default

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = getattr(self.form, "cleaned_data", {})  # invalid values are left out
        sort = data.get("sort") or (
            # A text search on PostgreSQL is already ranked by relevance.
            None if data.get("q") and "rank" in queryset.query.annotations else self.default_sort
        )
        if sort is None:
            return queryset
        return queryset.order_by(*self.sort_orders[sort], self.name_column or sort_column(), "pk")
