"""The IATI export's addresses: the programme list, filtered strictly as the API filters
it, and one programme, as IATI 2.03 activity XML (iati.writing)."""

from django.conf import settings
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer

from ecosystem.core.api import (
    BAD_PARAMETERS,
    LIST_NOT_FOUND,
    NOT_FOUND,
    DirectoryFilterBackend,
    DirectorySchema,
)
from ecosystem.core.export_files import too_large_to_stream
from ecosystem.core.exports import base_url
from iati import writing
from programmes.filters import ProgrammeFilter
from programmes.models import Programme

XML_TYPE = "application/xml; charset=utf-8"
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

    def xml(self, request, programmes, filename):
        response = StreamingHttpResponse(
            writing.activities_xml(programmes, base_url(request)), content_type=XML_TYPE
        )
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response


class ProgrammeListXml(IatiView):
    """The programme list as IATI XML, with the list's filters (a value the schema refuses
    answers 400, one naming no record 404, as does a list with no programme), at most
    EXPORT_STREAM_MAX_ROWS programmes."""

    filter_backends = [DirectoryFilterBackend]
    schema = FilteredSchema()

    @extend_schema(
        operation_id="programmes_iati_xml",
        responses={(200, "application/xml"): IATI_XML, 400: BAD_PARAMETERS, 404: LIST_NOT_FOUND},
    )
    def get(self, request):
        programmes = self.filter_queryset(self.get_queryset())
        if too_large_to_stream(programmes):
            limit = settings.EXPORT_STREAM_MAX_ROWS
            raise ValidationError(
                {
                    "detail": [
                        f"More than {limit} programmes match: narrow the list with filters "
                        "(country, sector, year, funder...)."
                    ]
                }
            )
        if not programmes.exists():
            # The standard has no empty document: an <iati-activities> holds one or more.
            raise NotFound({"detail": ["No programme matches these filters."]})
        return self.xml(request, programmes, "programmes-iati.xml")


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
        programmes = self.get_queryset().filter(pk=programme.pk)
        return self.xml(request, programmes, f"{slug}-iati.xml")
