from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ecosystem.core.api import (
    AsOfField,
    PublishableSerializer,
    RoleSerializer,
    slug_of,
)
from events.models import Event, EventSeries


class SeriesRoleSerializer(RoleSerializer):
    through = serializers.CharField(
        source="through.slug",
        read_only=True,
        allow_null=True,
        help_text="The programme that made this part possible, if the source names one.",
    )


class EventSerializer(PublishableSerializer):
    series = slug_of()
    programme = slug_of("public_programme")
    country = slug_of(slug_field="code")
    period = serializers.CharField(read_only=True)
    dates_source = slug_of()
    roles = RoleSerializer(many=True, read_only=True)
    status_as_of = AsOfField(
        help_text="When the status was last known true (the latest dated source, or the "
        "last verification), ISO 8601 at its precision; null when unknown."
    )

    class Meta:
        model = Event
        fields = [
            *PublishableSerializer.common_fields,
            "kind",
            "series",
            "programme",
            "start",
            "start_precision",
            "end",
            "end_precision",
            "period",
            "dates_source",
            "city",
            "country",
            "venue",
            "online",
            "status",
            "status_as_of",
            "last_verified",
            "roles",
        ]


class EventSeriesSerializer(PublishableSerializer):
    roles = SeriesRoleSerializer(many=True, read_only=True)
    events = serializers.SerializerMethodField(
        help_text="The series' editions: the events API filtered by this series."
    )

    class Meta:
        model = EventSeries
        fields = [*PublishableSerializer.common_fields, "last_verified", "roles", "events"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_events(self, series):
        path = f"{reverse('api:events-list')}?series={series.slug}"
        request = self.context.get("request")
        return (
            request.build_absolute_uri(path) if request else self.context.get("base_url", "") + path
        )
