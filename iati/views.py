"""The IATI export's addresses (the programme list, filtered strictly as the API filters
it, and one programme, as IATI 2.03 activity XML: iati.writing), and the "who does what
where" page with its CSV and API (iati.matrix)."""

import csv

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from ecosystem.core import exports
from ecosystem.core.api import (
    BAD_PARAMETERS,
    LIST_NOT_FOUND,
    NOT_FOUND,
    DirectoryFilterBackend,
    DirectorySchema,
)
from ecosystem.core.exports import CSV_TYPE, base_url
from ecosystem.core.listing import lenient_filterset
from iati import matrix, writing
from programmes.filters import ProgrammeFilter
from programmes.models import Programme, ProgrammeStatus

XML_TYPE = "application/xml; charset=utf-8"
# The API's messages are in English, as its other errors are.
NO_DATE = (
    "The directory knows no date for this programme, and IATI requires a start or an "
    "end: it is not exported."
)
NO_DATES = (
    "The directory knows no date for the programmes matching these filters, and IATI "
    "requires a start or an end: none is exported."
)
IATI_XML = OpenApiResponse(
    OpenApiTypes.STR, description="IATI 2.03 activity XML (an <iati-activities> document)."
)


class ErrorsAsJSON(BaseContentNegotiation):
    """The answer is XML whatever the client accepts; its errors are the API's JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None


class FilteredSchema(DirectorySchema):
    """The list's filters documented, on a view that answers one document, not a list."""

    def get_filter_backends(self):
        return self.view.filter_backends


class IatiView(GenericAPIView):
    queryset = Programme.objects.published()
    filterset_class = ProgrammeFilter
    renderer_classes = [JSONRenderer]
    content_negotiation_class = ErrorsAsJSON
    schema = DirectorySchema()
    pagination_class = None

    def xml(self, request, programmes, filename, undated=0):
        response = StreamingHttpResponse(
            writing.activities_xml(programmes, base_url(request), undated),
            content_type=XML_TYPE,
        )
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response


class ProgrammeListXml(IatiView):
    """The programme list as IATI XML, with the list's filters (a value the schema refuses
    answers 400, one naming no record 404, as does a list with no programme), at most
    IATI_EXPORT_MAX_PROGRAMMES programmes."""

    filter_backends = [DirectoryFilterBackend]
    schema = FilteredSchema()

    @extend_schema(
        operation_id="programmes_iati_xml",
        responses={(200, "application/xml"): IATI_XML, 400: BAD_PARAMETERS, 404: LIST_NOT_FOUND},
    )
    def get(self, request):
        programmes = self.filter_queryset(self.get_queryset())
        limit = settings.IATI_EXPORT_MAX_PROGRAMMES
        if programmes.order_by()[: limit + 1].count() > limit:
            raise ValidationError(
                {
                    "detail": [
                        f"More than {limit} programmes match: narrow the list with filters "
                        "(country, sector, year, funder...), or download them all from the "
                        "open dataset (programmes-iati.xml)."
                    ]
                }
            )
        if not programmes.exists():
            # The standard has no empty document: an <iati-activities> holds one or more.
            raise NotFound({"detail": ["No programme matches these filters."]})
        exported = writing.dated_only(programmes)
        undated = programmes.filter(start__isnull=True, end__isnull=True).count()
        if not exported.exists():
            raise NotFound({"detail": [NO_DATES]})
        return self.xml(request, exported, "programmes-iati.xml", undated)


class ProgrammeXml(IatiView):
    """One published programme as IATI XML."""

    filter_backends = []
    lookup_field = "slug"

    @extend_schema(
        operation_id="programme_iati_xml",
        responses={(200, "application/xml"): IATI_XML, 404: NOT_FOUND},
    )
    def get(self, request, slug):
        programme = get_object_or_404(self.get_queryset(), slug=slug)
        if not (programme.start or programme.end):
            raise NotFound({"detail": [NO_DATE]})
        programmes = self.get_queryset().filter(pk=programme.pk)
        return self.xml(request, programmes, f"{slug}-iati.xml")


# Who does what where ---------------------------------------------------------------------


def matrix_of(filterset):
    records = filterset.qs  # validates the filters first
    query = {name: value for name, value in filterset.form.cleaned_data.items() if value}
    return matrix.build(records, query)


def who_does_what_where(request):
    """The page: a table of countries by main sector (a list per country on a phone),
    the filters applied leniently as on every page (a bad value set aside and named)."""
    filterset, ignored = lenient_filterset(matrix.MatrixFilter, request.GET, matrix.programmes())
    return render(
        request,
        "iati/who_does_what_where.html",
        {
            "matrix": matrix_of(filterset),
            "form": filterset.form,
            "ignored": ignored,
            "statuses": [
                (value, label, value in request.GET.getlist("status"))
                for value, label in ProgrammeStatus.choices
            ],
            "query": request.GET.urlencode(),
        },
    )


CSV_COLUMNS = [
    _("Country"),
    _("Country code"),
    _("Sector"),
    _("Sector key"),
    _("Programmes"),
    _("Gap"),
    _("Latest programmes"),
    _("Funders"),
]


def csv_rows(found):
    yield [str(label) for label in CSV_COLUMNS]
    for row in found.rows:
        for cell in row.cells:
            yield [
                cell.country.name,
                cell.country.code,
                cell.sector.name,
                cell.sector.slug,
                cell.count,
                _("yes") if cell.gap else _("no"),
                "; ".join(str(programme) for programme in cell.programmes),
                "; ".join(str(organization) for organization, _n in cell.funders),
            ]


def who_does_what_where_csv(request):
    """The page's cells, a row each, in the page's language."""
    filterset, _ignored = lenient_filterset(matrix.MatrixFilter, request.GET, matrix.programmes())
    found = matrix_of(filterset)
    response = HttpResponse(content_type=CSV_TYPE)
    response["Content-Disposition"] = 'attachment; filename="who-does-what-where.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerows([exports.safe(value) for value in row] for row in csv_rows(found))
    return response


class WhoDoesWhatWhere(GenericAPIView):
    """Programmes by country and main sector: for each cell, how many, the latest
    (at most five) and the funders (at most five, most programmes first); `gap` where
    there are none. `?period=2018-2023` keeps the programmes running at some point of
    the period, `?status=` those in any of the statuses."""

    filterset_class = matrix.MatrixFilter
    filter_backends = [DirectoryFilterBackend]
    schema = FilteredSchema()
    pagination_class = None

    def get_queryset(self):
        return matrix.programmes()

    @extend_schema(
        operation_id="who_does_what_where",
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="`period` ([first, last] year or null), `status`, `sectors` "
                "(the main sectors: slug and names), `countries` (code, names, "
                "`programmes_count` and `cells`, one per sector: `sector`, "
                "`programmes_count`, `gap`, `programmes` with their `url`, `funders` with "
                "their `programmes_count`, `funders_count`) and `gaps`.",
            ),
            400: BAD_PARAMETERS,
            404: LIST_NOT_FOUND,
        },
    )
    def get(self, request):
        filterset = self.filterset_class(request.query_params, queryset=self.get_queryset())
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        return Response(as_json(matrix_of(filterset), request))


def named(record):
    return {"slug": record.slug, "name_en": record.name_en, "name_fr": record.name_fr}


def as_json(found, request):
    return {
        "period": list(found.query["period"]) if "period" in found.query else None,
        "status": found.query.get("status", []),
        "sectors": [named(sector) for sector in found.sectors],
        "countries": [
            {
                "code": row.country.code,
                "name_en": row.country.name_en,
                "name_fr": row.country.name_fr,
                "programmes_count": row.count,
                "cells": [
                    {
                        "sector": cell.sector.slug,
                        "programmes_count": cell.count,
                        "gap": cell.gap,
                        "programmes": [
                            {
                                **named(programme),
                                "url": request.build_absolute_uri(programme.get_absolute_url()),
                            }
                            for programme in cell.programmes
                        ],
                        "funders_count": cell.funders_count,
                        "funders": [
                            {**named(organization), "programmes_count": n}
                            for organization, n in cell.funders
                        ],
                    }
                    for cell in row.cells
                ],
            }
            for row in found.rows
        ],
        "gaps": found.gaps,
    }
