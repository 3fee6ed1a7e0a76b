from rest_framework import serializers

from ecosystem.core.api import DirectoryViewSet, PublishableSerializer, RoleSerializer
from programmes.filters import ProgrammeFilter
from programmes.models import Indicator, Programme, Site


class SiteSerializer(serializers.ModelSerializer):
    host = serializers.SlugRelatedField(slug_field="slug", read_only=True, source="public_host")
    country = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Site
        fields = [
            "name",
            "host",
            "city",
            "country",
            "latitude",
            "longitude",
            "opened",
            "opened_precision",
            "status",
        ]


class IndicatorSerializer(serializers.ModelSerializer):
    source = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "label_en",
            "label_fr",
            "value",
            "qualifier",
            "unit_en",
            "unit_fr",
            "as_of",
            "as_of_precision",
            "source",
        ]


class ProgrammeSerializer(PublishableSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, source="public_parent")
    status = serializers.ChoiceField(
        choices=["planned", "active", "closed"],
        allow_null=True,
        read_only=True,
        help_text="Derived from the dates and today; null when the dates are unknown.",
    )
    period = serializers.CharField(read_only=True)
    roles = RoleSerializer(many=True, read_only=True)
    sites = SiteSerializer(many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Programme
        fields = [
            *PublishableSerializer.common_fields,
            "parent",
            "start",
            "start_precision",
            "end",
            "end_precision",
            "period",
            "status",
            "budget_amount",
            "budget_currency",
            "budget_qualifier",
            "objectives_en",
            "objectives_fr",
            "roles",
            "sites",
            "indicators",
        ]


class ProgrammeViewSet(DirectoryViewSet):
    queryset = Programme.objects.published().for_api()
    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilter
