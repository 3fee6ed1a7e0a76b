from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ecosystem.core.api import DirectoryViewSet, PublishableSerializer, slug_of
from members import logos
from members.filters import OrganizationFilter, SMEFilter
from members.models import Organization


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class LogoField(serializers.Field):
    """The address of one of the logo's square WebP renditions, or null."""

    def __init__(self, size, **kwargs):
        self.size = size
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, organization):
        url = logos.rendition_url(organization.logo.name, self.size)
        if not url:
            return None
        request = self.context.get("request")
        if request:
            return request.build_absolute_uri(url)
        return logos.absolute(url, self.context.get("base_url", ""))  # the dataset export


class OrganizationSerializer(PublishableSerializer):
    hq_country = slug_of(slug_field="code")
    logo = LogoField(160, help_text="The logo in a square of 160 pixels (WebP), or null.")
    logo_small = LogoField(64, help_text="The logo in a square of 64 pixels (WebP), or null.")

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
            "logo",
            "logo_small",
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
