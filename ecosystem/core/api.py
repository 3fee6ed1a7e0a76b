"""The read-only JSON API under /api/v1/: published records only, filtered by the very
FilterSets of the public pages. A value the schema refuses answers 400 naming its
parameter; a request the schema allows is never a 400: a filter naming a record that
does not exist, or a page past the last one, answers 404 naming its parameter."""

import re

import django_filters
from django import forms
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

from ecosystem.core import listing
from ecosystem.core.dates import iso_partial
from ecosystem.core.models import Country, Sector, Source

# What the addresses and filters accept as a record's slug or a country's code.
SLUG_PATTERN = "[-a-zA-Z0-9_]+"
COUNTRY_CODE_PATTERN = "[A-Za-z]{2}"


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not (value.isascii() and value.isdecimal()) or not 1 <= int(value) <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [f"A whole number from 1 to {self.max_page_size}."]}
            )
        return int(value)

    # Counts stop past MAX_RESULTS and so do pages (ecosystem.core.listing): the answer
    # says when its count is a floor. The CSV exports and the dataset hold everything.
    django_paginator_class = listing.CappedPaginator

    def paginate_queryset(self, queryset, request, view=None):
        number = request.query_params.get(self.page_query_param, "")
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as error:
            if not (number.isascii() and number.isdecimal() and int(number) >= 1):
                # Not a page number at all (0, -1, 1.5): the schema refuses it too.
                raise ValidationError({"page": [error.detail]}) from error
            # A page number the schema allows, past the last page (or past the pages
            # there are): that page is not found, as DRF answers by default.
            paginator = self.django_paginator_class(queryset, self.get_page_size(request))
            if paginator.capped:
                message = (
                    f"Pages stop at result {listing.MAX_RESULTS}: narrow the list with "
                    "filters, or download it whole from the list's CSV export."
                )
            else:
                message = f"There is no page {number}: the last page is {paginator.num_pages}."
            raise NotFound({"page": [message]}) from error

    def get_schema_operation_parameters(self, view):
        page, page_size = super().get_schema_operation_parameters(view)
        # An empty page is the first; "last" is the last one.
        page["schema"] = {"anyOf": [{"type": "integer", "minimum": 1}, {"enum": ["last"]}]}
        page["allowEmptyValue"] = True
        page["description"] = (
            "A page number from 1 (or `last`). A page past the last one, or past result "
            f"{listing.MAX_RESULTS}, answers 404."
        )
        page_size["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        page_size["description"] = (
            f"Results per page, from 1 to {self.max_page_size} (default {self.page_size})."
        )
        return [page, page_size]

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.page.paginator.capped
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_capped"] = {
            "type": "boolean",
            "description": f"True when there are more than {listing.MAX_RESULTS} results: "
            f"`count` then stops at {listing.MAX_RESULTS + 1} and pages past result "
            f"{listing.MAX_RESULTS} are refused. "
            "Filters narrow a list; the CSV export holds all of it.",
        }
        return schema


def slug_of(source=None, slug_field="slug"):
    """A related record by its slug (a country by its code), or null when there is none
    or it is not public: the schema says so."""
    return serializers.SlugRelatedField(
        slug_field=slug_field, source=source, read_only=True, allow_null=True
    )


@extend_schema_field(OpenApiTypes.URI)
class AbsoluteURLField(serializers.Field):
    """The record's public page, as an absolute URL."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        url = instance.get_absolute_url()
        request = self.context.get("request")
        if request:
            return request.build_absolute_uri(url)
        return self.context.get("base_url", "") + url  # the dataset export


@extend_schema_field({"type": "string", "nullable": True, "example": "2019-01"})
class AsOfField(serializers.Field):
    """A record's `as_of` (its latest dated source or last verification) as ISO 8601 at
    its precision: 2019, 2019-01 or 2019-01-17."""

    def __init__(self, **kwargs):
        super().__init__(source="as_of", read_only=True, **kwargs)

    def to_representation(self, as_of):
        return iso_partial(*as_of) if as_of else None

    def get_attribute(self, instance):
        return instance.as_of


class SourceSerializer(serializers.ModelSerializer):
    key = serializers.SlugField(source="slug", read_only=True)
    published = serializers.SerializerMethodField(
        help_text="ISO 8601 with no more precision than is known: 2018, 2018-07 or 2018-07-04."
    )

    class Meta:
        model = Source
        fields = [
            "key",
            "title",
            "publisher",
            "author",
            "language",
            "published",
            "url",
            "document",
            "outside",
        ]

    @extend_schema_field({"type": "string", "nullable": True, "example": "2018-07"})
    def get_published(self, source):
        return iso_partial(source.published, source.published_precision) or None


class CountrySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    url = AbsoluteURLField()

    class Meta:
        model = Country
        fields = ["code", "name", "name_en", "name_fr", "region", "url"]


class SectorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    parent = slug_of()
    url = AbsoluteURLField()

    class Meta:
        model = Sector
        fields = ["slug", "name", "name_en", "name_fr", "parent", "url"]


class PublishableSerializer(serializers.ModelSerializer):
    """What every organization, programme and event carries (DESIGN.md)."""

    name = serializers.CharField(read_only=True)
    url = AbsoluteURLField()
    countries = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    sectors = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)

    common_fields = [
        "slug",
        "name",
        "acronym",
        "url",
        "countries",
        "sectors",
        "name_en",
        "name_fr",
        "summary_en",
        "summary_fr",
        "description_en",
        "description_fr",
        "website",
        "sources",
        "updated",
    ]


class RoleSerializer(serializers.Serializer):
    """{"organization": slug, "role": role}, for programme and event roles alike."""

    organization = serializers.CharField(source="organization.slug", read_only=True)
    role = serializers.CharField(read_only=True)
    source = serializers.CharField(
        source="source.slug",
        read_only=True,
        allow_null=True,
        help_text="The `key` of the source this role comes from (one of the record's "
        "`sources`, or of the dataset's).",
    )


class DirectoryFilterExtension(DjangoFilterExtension):
    """The filters' parameters as their FilterSet checks them, so that the schema promises
    what the API accepts and no more: a choice is one of an enumeration, a record is named
    by its slug (a country by its code), a year is a whole number within bounds, and an
    empty single value is no filter at all. Replaces drf-spectacular's own extension
    (which reads only the model's field types) for every list."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        # Some choices (the sorts) are set when a FilterSet is made.
        filter_field = filterset_class(queryset=model.objects.none()).filters[field_name]
        value = filter_value_schema(filter_field)
        for parameter in parameters:
            if parameter["schema"].get("type") == "array":
                parameter["schema"]["items"] = value
            else:
                parameter["schema"] = value
                parameter["allowEmptyValue"] = True
            if field_name == "sort":
                parameter["schema"]["default"] = filterset_class.default_sort
                parameter["description"] = SORT_DESCRIPTION
        return parameters


SORT_DESCRIPTION = (
    "The order of the list. `name` and ties of the others go by the English name, then "
    "the record's key, whatever the Accept-Language header: the order is the same in "
    "every language, and a record is on one page only. A text search (`q`) without a "
    "sort comes ranked by relevance."
)


# The filters whose values name records (or countries): which exist is the data's business.
RECORD_FILTERS = (django_filters.ModelChoiceFilter, django_filters.ModelMultipleChoiceFilter)


def filter_value_schema(filter_field):
    """The JSON schema of one value of a filter, as its form field validates it (or as
    the filter says itself, `value_schema`)."""
    if getattr(filter_field, "value_schema", None):
        return dict(filter_field.value_schema)
    if isinstance(filter_field, RECORD_FILTERS):
        code = filter_field.extra.get("to_field_name") == "code"
        return {"type": "string", "pattern": f"^{COUNTRY_CODE_PATTERN if code else SLUG_PATTERN}$"}
    if isinstance(filter_field, django_filters.ChoiceFilter | django_filters.MultipleChoiceFilter):
        return {
            "type": "string",
            "enum": [str(key) for key, _label in filter_field.extra["choices"]],
        }
    if issubclass(filter_field.field_class, forms.IntegerField):
        bounds = {
            "minimum": filter_field.extra.get("min_value"),
            "maximum": filter_field.extra.get("max_value"),
        }
        return {"type": "integer", **{k: v for k, v in bounds.items() if v is not None}}
    schema = {"type": "string", "pattern": "^[^\\u0000]*$"}  # forms refuse a NUL character
    if filter_field.extra.get("max_length"):
        schema["maxLength"] = filter_field.extra["max_length"]
    return schema


def well_formed(filter_field, value):
    """Whether `value` is one the schema allows for this record filter (a slug, a
    country code), whether or not such a record exists."""
    return re.fullmatch(filter_value_schema(filter_field)["pattern"].strip("^$"), value) is not None


class DirectoryFilterBackend(DjangoFilterBackend):
    """The list's FilterSet, applied strictly. A value the schema refuses answers 400
    naming its parameter. A record filter's value the schema allows but that names no
    record (?country=AA, ?funder=nobody) answers 404 naming its parameter: the request
    is well formed, what it names is not found. (An empty list instead would hide a
    mistyped sector; and a value such as ?sector=98 reads the same on the wire whether
    a client meant a slug or a number, so a schema cannot tell the two apart.)"""

    # The API's order is the same whatever the request's language (a client that sends
    # none would otherwise get the French order, and the same client behind a proxy that
    # adds a header the English one): the English folded name, then the primary key. The
    # key makes the order total, so a record is on one page only however many share a
    # name; the English name is what the API's own words are in, and the lists' name
    # indexes (sme_published_sort_en...) serve it. The slug, unique too, would page as
    # well but orders by a code, not by what a reader looks for.
    name_column = "sort_en"

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        filterset.name_column = self.name_column
        if filterset.is_valid():
            return filterset.qs
        errors = translate_validation(filterset.errors)
        not_found = all(
            isinstance(filterset.filters.get(name), RECORD_FILTERS)
            and all(
                well_formed(filterset.filters[name], v) for v in request.query_params.getlist(name)
            )
            for name in filterset.errors
        )
        raise NotFound(errors.detail) if not_found else errors


BAD_PARAMETERS = OpenApiResponse(
    {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {"country": ["Select a valid choice. XX is not one of the available choices."]},
    },
    description="A parameter's value is not valid: each parameter named, with what is wrong.",
)
LIST_NOT_FOUND = OpenApiResponse(
    {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {"country": ["Select a valid choice. AA is not one of the available choices."]},
    },
    description=(
        "A filter names a record that does not exist (`?country=AA`), or the page is past "
        f"the last one or past result {listing.MAX_RESULTS}: each parameter named, with "
        "what is not found."
    ),
)
NOT_FOUND = OpenApiResponse(
    {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
        "example": {"detail": "No Programme matches the given query."},
    },
    description="No published record at this address.",
)


class DirectorySchema(AutoSchema):
    """Every list documents its 400 (a malformed parameter) and its 404 (a record named
    by a filter, or a page, not found), every detail its 404."""

    def get_response_serializers(self):
        serializer = super().get_response_serializers()
        responses = {200: serializer}
        if self._is_list_view(serializer):
            responses[400] = BAD_PARAMETERS
            responses[404] = LIST_NOT_FOUND
        else:
            responses[404] = NOT_FOUND
        return responses


class DirectoryViewSet(viewsets.ReadOnlyModelViewSet):
    pagination_class = Pagination
    filter_backends = [DirectoryFilterBackend]
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    schema = DirectorySchema()


class CountryViewSet(DirectoryViewSet):
    """Countries, keyed by ISO 3166-1 alpha-2 code."""

    queryset = Country.objects.all()
    serializer_class = CountrySerializer
    lookup_field = "code"
    lookup_value_regex = COUNTRY_CODE_PATTERN
    filter_backends = []

    def get_object(self):
        self.kwargs["code"] = self.kwargs["code"].upper()
        return super().get_object()


class SectorViewSet(DirectoryViewSet):
    queryset = Sector.objects.select_related("parent")
    serializer_class = SectorSerializer
    filter_backends = []
