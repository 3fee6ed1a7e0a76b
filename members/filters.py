import django_filters
from django.utils.translation import gettext_lazy as _

from ecosystem.core.filters import DirectoryFilterSet
from members.models import Organization, OrganizationKind


class SMEFilter(DirectoryFilterSet):
    """Programmes attach ?programme= to both lists (programmes/records.py)."""

    class Meta:
        model = Organization
        fields = ["q", "country", "sector", "sort"]


class OrganizationFilter(SMEFilter):
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind"),
        # SMEs have their own list.
        choices=[choice for choice in OrganizationKind.choices if choice[0] != "sme"],
    )

    facets = ["kind", "country", "sector"]

    class Meta(SMEFilter.Meta):
        fields = ["q", "country", "sector", "kind", "sort"]
