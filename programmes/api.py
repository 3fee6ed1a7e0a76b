from rest_framework import serializers

from ecosystem.core.api import (
    AsOfField,
    DirectoryViewSet,
    PublishableSerializer,
    RoleSerializer,
    slug_of,
)
from programmes.filters import ProgrammeFilter
from programmes.models import Indicator, Programme, ProgrammeStatus, Site, StatusBasis

STATUS_BASIS_HELP = (
    "How the status is known: `reported` by a source (as of `status_as_of`), "
    "`derived_from_dates` (only the planned dates say it: a programme past its planned "
    "end that no later source reports ended, or one whose planned end is still to come), "
    "or `verified` by the directory's staff."
)


class SiteSerializer(serializers.ModelSerializer):
    host = slug_of("public_host")
    country = serializers.SlugRelatedField(slug_field="code", read_only=True)
    source = slug_of()
    location_source = slug_of()
    status_as_of = AsOfField()
    status_basis = serializers.ChoiceField(
        choices=StatusBasis.values, read_only=True, help_text=STATUS_BASIS_HELP
    )

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
            "status_as_of",
            "status_basis",
            "source",
            "location_source",
        ]


class IndicatorSerializer(serializers.ModelSerializer):
    source = slug_of()

    class Meta:
        model = Indicator
        fields = [
            "label_en",
            "label_fr",
            "value",
            "qualifier",
            "value_text_en",
            "value_text_fr",
            "unit_en",
            "unit_fr",
            "as_of",
            "as_of_precision",
            "source",
        ]


class ProgrammeSerializer(PublishableSerializer):
    parent = slug_of("public_parent")
    status = serializers.ChoiceField(
        choices=ProgrammeStatus.values,
        allow_null=True,
        read_only=True,
        help_text="Derived from the dates, the last verification, the date of the dates' "
        "source and today; null when the dates are unknown. `reported_active`: started, with "
        "no known end, and not verified lately, so active only as of `status_as_of`. "
        "`closed`: a source written after the end, or staff after it, says it ended. "
        "`past_planned_end`: the planned end has passed and no later source says it ended.",
    )
    status_basis = serializers.ChoiceField(
        choices=StatusBasis.values, allow_null=True, read_only=True, help_text=STATUS_BASIS_HELP
    )
    status_as_of = AsOfField(
        help_text="When the status was last known true (the latest dated source, or the "
        "last verification), ISO 8601 at its precision; null when unknown."
    )
    period = serializers.CharField(read_only=True)
    dates_source = slug_of()
    budget_source = slug_of()
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
            "dates_source",
            "status",
            "status_as_of",
            "status_basis",
            "existence",
            "last_verified",
            "budget_amount",
            "budget_currency",
            "budget_qualifier",
            "budget_source",
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

    def filter_queryset(self, queryset):
        # A programme's own address answers even if the list leaves it out by default
        # (a hoped-for NTF VI).
        if self.action == "retrieve":
            return queryset
        return super().filter_queryset(queryset)
