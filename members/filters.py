import django_filters
from django.utils.translation import gettext_lazy as _

from ecosystem.core.filters import DirectoryFilterSet
from members.models import Organization, OrganizationKind
from programmes.filters import programme_filter


class SMEFilter(DirectoryFilterSet):
    programme = programme_filter("programme_roles__programme")

    class Meta:
        model = Organization
        fields = ["q", "country", "sector", "programme", "sort"]


class OrganizationFilter(SMEFilter):
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind"),
        # SMEs have their own list.
        choices=[choice for choice in OrganizationKind.choices if choice[0] != "sme"],
    )

    facets = ["kind", "country", "sector"]

    class Meta(SMEFilter.Meta):
        fields = ["q", "country", "sector", "kind", "programme", "sort"]
