from rest_framework import serializers

from ecosystem.core.api import AsOfField, PublishableSerializer, RoleSerializer, slug_of
from opportunities.models import Opportunity, Status


class OpportunitySerializer(PublishableSerializer):
    programme = slug_of("public_programme")
    dates_source = slug_of()
    roles = RoleSerializer(many=True, read_only=True)
    status = serializers.ChoiceField(
        choices=Status.choices,
        read_only=True,
        help_text="From the deadline and today's date, at the moment of the answer.",
    )
    status_as_of = AsOfField(
        help_text="When the call's dates were last known true (the latest dated source, or "
        "the last verification), ISO 8601 at its precision; null when unknown."
    )
    closes_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="The moment applications close (the deadline, at its time or the end of "
        "its day in its time zone); null when rolling or unknown.",
    )
    applicants = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Opportunity
        fields = [
            *PublishableSerializer.common_fields,
            "kind",
            "programme",
            "stage_from",
            "stage_to",
            "applicants",
            "amount_min",
            "amount_max",
            "currency",
            "benefits_en",
            "benefits_fr",
            "opens",
            "opens_precision",
            "deadline",
            "deadline_precision",
            "deadline_time",
            "time_zone",
            "rolling",
            "closes_at",
            "dates_source",
            "status",
            "status_as_of",
            "apply_url",
            "contact",
            "last_verified",
            "roles",
        ]
