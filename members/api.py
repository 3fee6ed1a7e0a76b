from ecosystem.core.api import DirectoryViewSet, PublishableSerializer, slug_of
from members.filters import OrganizationFilter, SMEFilter
from members.models import Organization


class OrganizationSerializer(PublishableSerializer):
    hq_country = slug_of(slug_field="code")

    class Meta:
        model = Organization
        fields = [
            *PublishableSerializer.common_fields,
            "kind",
            "hq_country",
            "hq_city",
            "founded",
            "email",
            "phone",
            "address",
            "linkedin",
            "x",
            "facebook",
            "last_verified",
        ]


class OrganizationViewSet(DirectoryViewSet):
    """Support organizations (associations, agencies, funders...); SMEs are at /smes/."""

    queryset = Organization.objects.published().support_organizations().for_api()
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter


class SMEViewSet(OrganizationViewSet):
    """SMEs and start-ups: organizations of kind SME."""

    queryset = Organization.objects.published().smes().for_api()
    filterset_class = SMEFilter
