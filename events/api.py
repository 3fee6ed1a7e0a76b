from rest_framework import serializers

from ecosystem.core.api import DirectoryViewSet, PublishableSerializer, RoleSerializer
from events.filters import EventFilter
from events.models import Event


class EventSerializer(PublishableSerializer):
    series = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    programme = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, source="public_programme"
    )
    country = serializers.SlugRelatedField(slug_field="code", read_only=True)
    period = serializers.CharField(read_only=True)
    roles = RoleSerializer(many=True, read_only=True)

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
            "city",
            "country",
            "venue",
            "online",
            "status",
            "roles",
        ]


class EventViewSet(DirectoryViewSet):
    queryset = Event.objects.published().for_api()
    serializer_class = EventSerializer
    filterset_class = EventFilter
