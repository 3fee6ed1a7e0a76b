"""Who does what where: the programmes by country and main sector, each cell with how
many there are, the latest of them and their funders, for a period and statuses; the
cells with none are the gaps.

Its numbers come from grouped queries on the link tables, never from a loop over
programmes: one for the counts, one (a window) for each cell's latest programmes, one
for the funders, then the names of the programmes and funders shown. The page, its CSV
and its API read the same Matrix."""

import datetime
import re
from dataclasses import dataclass, field

import django_filters
from django import forms
from django.db.models import Count, F, Q, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from ecosystem.core.models import Country, PublicationStatus, Region, Sector
from ecosystem.core.search import fold
from members.models import Organization
from programmes.models import Programme, ProgrammeRole, ProgrammeRoleKind, ProgrammeStatus

# What a cell names: its latest programmes and its main funders (the list has them all).
SHOWN = 5
PERIOD = re.compile(r"^\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*$")
FIRST_YEAR, LAST_YEAR = 1900, 2100
YEAR = "(19[0-9]{2}|20[0-9]{2}|2100)"  # FIRST_YEAR to LAST_YEAR, for the API's schema


class PeriodField(forms.CharField):
    """A year (2022) or two (2018-2023), as (first, last)."""

    default_error_messages = {
        "invalid": _("A year such as 2022, or two such as 2018-2023, from 1900 to 2100."),
    }

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = PERIOD.match(value)
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        # A period given backwards (2023-2018) is the same period.
        first, last = sorted((int(match[1]), int(match[2] or match[1])))
        if not FIRST_YEAR <= first <= last <= LAST_YEAR:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return first, last


class PeriodFilter(django_filters.Filter):
    field_class = PeriodField
    # A year from 1900 to 2100, or two joined by a hyphen: what the form accepts (the
    # API's schema, ecosystem.core.api.filter_value_schema).
    value_schema = {"type": "string", "pattern": f"^{YEAR}(-{YEAR})?$", "maxLength": 9}


class MatrixFilter(django_filters.FilterSet):
    """?period=2018-2023&status=active: the programmes running at some point of the
    period (those with unknown dates are left out of a period) in any of the statuses."""

    period = PeriodFilter(label=_("Period"), method="filter_period", max_length=9)
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=ProgrammeStatus.choices, method="filter_status"
    )

    class Meta:
        model = Programme
        fields = ["period", "status"]

    @extend_schema_field(OpenApiTypes.STR)  # its value's schema: PeriodFilter.value_schema
    def filter_period(self, queryset, name, period):
        first, last = period
        return queryset.filter(
            Q(start__lte=datetime.date(last, 12, 31)),
            Q(end__isnull=True) | Q(end__gte=datetime.date(first, 1, 1)),
        )

    def filter_status(self, queryset, name, statuses):
        return queryset.with_status(*statuses)


def programmes():
    """The programmes the page counts: published, and existing (not hoped for)."""
    return Programme.objects.published().existing()


@dataclass
class Cell:
    country: Country
    sector: Sector
    count: int = 0
    programmes: list = field(default_factory=list)  # the latest SHOWN, as Programmes
    funders: list = field(default_factory=list)  # [(Organization, programmes it funds)]
    funders_count: int = 0
    list_query: str = ""  # the programme list's query string for the cell

    @property
    def gap(self):
        return self.count == 0

    @property
    def more(self):
        """How many programmes the cell counts beyond those it names."""
        return self.count - len(self.programmes)


@dataclass
class Row:
    country: Country
    cells: list
    # Programmes in the country, each once (the cells count one in each of its sectors).
    count: int = 0


@dataclass
class Matrix:
    sectors: list
    rows: list
    query: dict  # the filters' valid values

    @property
    def gaps(self):
        return sum(cell.gap for row in self.rows for cell in row.cells)


def country_links(records):
    through = Programme.countries.through
    return through.objects.filter(programme__in=records.order_by().values("pk"))


MAIN_SECTOR = Coalesce("programme__sectors__parent_id", "programme__sectors__id")


def build(records, query):
    """The Matrix of `records` (filtered programmes): rows for the countries of West
    Africa and any other country a programme works in, columns for the main sectors."""
    links = country_links(records).filter(programme__sectors__isnull=False)
    counts = {
        (country, sector): n
        for country, sector, n in links.values_list("country_id", MAIN_SECTOR)
        .order_by()
        .annotate(n=Count("programme_id", distinct=True))
    }
    totals = dict(
        country_links(records)
        .values_list("country_id")
        .order_by()
        .annotate(n=Count("programme_id", distinct=True))
    )
    latest = latest_programmes(links)
    funders = cell_funders(records)
    named = {
        programme.pk: programme
        for programme in Programme.objects.filter(
            pk__in={pk for pks in latest.values() for pk in pks}
        ).only("slug", "name_en", "name_fr", "acronym", "start", "start_precision")
    }
    organizations = Organization.objects.filter(
        pk__in={pk for found in funders.values() for pk, _n in found}
    ).only("slug", "name_en", "name_fr", "acronym")
    organizations = {organization.pk: organization for organization in organizations}
    sectors = Sector.objects.filter(parent=None)
    countries = Country.objects.filter(Q(region=Region.WEST_AFRICA) | Q(pk__in=totals))
    rows = []
    sectors = sorted(sectors, key=lambda sector: fold(sector.name))
    list_filters = programme_list_filters(query)
    for country in sorted(countries, key=lambda country: fold(country.name)):
        cells = []
        for sector in sectors:
            key = (country.pk, sector.pk)
            found = funders.get(key, [])
            cells.append(
                Cell(
                    country,
                    sector,
                    counts.get(key, 0),
                    [named[pk] for pk in latest.get(key, [])],
                    [(organizations[pk], n) for pk, n in found[:SHOWN]],
                    len(found),
                    urlencode(
                        {"country": country.code, "sector": sector.slug, **list_filters},
                        doseq=True,
                    ),
                )
            )
        rows.append(Row(country, cells, totals.get(country.pk, 0)))
    return Matrix(sectors, rows, query)


def programme_list_filters(query):
    """The programme list's filters that say what the page's do: its statuses, and the
    year when the period is one."""
    filters = {"status": query.get("status", [])}
    period = query.get("period")
    if period and period[0] == period[1]:
        filters["year"] = period[0]
    return filters


def latest_programmes(links):
    """{(country pk, main sector pk): [programme pks]}: each cell's SHOWN latest started
    (undated last), by a window over the link rows."""
    ranked = links.annotate(
        main=MAIN_SECTOR,
        rank=Window(
            RowNumber(),
            partition_by=[F("country_id"), MAIN_SECTOR],
            order_by=[F("programme__start").desc(nulls_last=True), F("programme_id")],
        ),
    ).filter(rank__lte=SHOWN)
    latest = {}
    for country, sector, programme in ranked.values_list("country_id", "main", "programme_id"):
        cell = latest.setdefault((country, sector), [])
        if programme not in cell:  # a programme in a sector and its sub-sector
            cell.append(programme)
    return latest


def cell_funders(records):
    """{(country pk, main sector pk): [(organization pk, programmes it funds there)]},
    most programmes first: published funders only, in one grouped query."""
    roles = ProgrammeRole.objects.filter(
        role=ProgrammeRoleKind.FUNDING,
        organization__publication_status=PublicationStatus.PUBLISHED,
        programme__in=records.order_by().values("pk"),
        programme__sectors__isnull=False,
        programme__countries__isnull=False,
    )
    grouped = (
        roles.values_list("programme__countries", MAIN_SECTOR, "organization_id")
        .order_by()
        .annotate(n=Count("programme_id", distinct=True))
    )
    funders = {}
    for country, sector, organization, n in grouped:
        funders.setdefault((country, sector), []).append((organization, n))
    for found in funders.values():
        found.sort(key=lambda pair: (-pair[1], pair[0]))
    return funders
