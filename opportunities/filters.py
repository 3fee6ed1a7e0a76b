import django_filters
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from ecosystem.core.filters import DirectoryFilterSet
from ecosystem.core.roles import role_filter
from opportunities.models import (
    OPEN_FIRST,
    Opportunity,
    OpportunityKind,
    OpportunityRole,
    OpportunityRoleKind,
    Stage,
    open_first,
)
from programmes.filters import programme_filter


def at_stage(stage):
    """Open to a company at this stage (an Opportunity condition)."""
    return Q(stage_from__lte=stage, stage_to__gte=stage)


class OpportunityFilter(DirectoryFilterSet):
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=OpportunityKind.choices)
    stage = django_filters.ChoiceFilter(
        label=_("Stage"),
        choices=Stage.choices,
        method="filter_stage",
        empty_label=_("Any stage"),
    )
    offered_by = role_filter(_("Offered by"), OpportunityRole, OpportunityRoleKind.OFFERER)
    programme = programme_filter("programme")
    open = django_filters.ChoiceFilter(
        label=_("Open now"),
        choices=[("yes", _("Yes"))],
        method="filter_open",
        empty_label=_("Any"),
    )

    sort_labels = {
        "deadline": _("Open first, soonest deadline first"),
        "name": _("Name"),
        "-updated": _("Recently updated"),
    }
    default_sort = "deadline"
    facets = ["kind", "country", "sector"]

    class Meta:
        model = Opportunity
        fields = [
            *("q", "country", "sector", "kind", "stage", "offered_by", "programme", "open"),
            "sort",
        ]

    # What it orders by moves with the clock: annotated at each request (filter_queryset).
    sort_orders = {**DirectoryFilterSet.sort_orders, "deadline": OPEN_FIRST}

    def facet_counts(self, name, records):
        """Kinds are counted in the records' own query: over the whole list, a scan of
        the index on kind rather than a join of the table with itself."""
        if name != "kind":
            return super().facet_counts(name, records)
        grouped = records.order_by().values_list("kind").annotate(n=Count("*"))
        return dict(grouped)

    def filter_stage(self, queryset, name, stage):
        return queryset.filter(at_stage(int(stage))) if stage else queryset

    def filter_open(self, queryset, name, value):
        return queryset.open_at() if value == "yes" else queryset

    def filter_queryset(self, queryset):
        # What "open first" orders by moves with the clock: computed at each request.
        return super().filter_queryset(queryset.annotate(**open_first()))
