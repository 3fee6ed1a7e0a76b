import django_filters
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from ecosystem.core.filters import DirectoryFilterSet, OfferedChoiceFilter, YearFilter
from ecosystem.core.roles import role_filter
from programmes.models import (
    Existence,
    Programme,
    ProgrammeRole,
    ProgrammeRoleKind,
    ProgrammeStatus,
)


def with_phases(programme):
    """The pks of a programme and of every programme under it (phases, sub-programmes)."""
    found = layer = {programme.pk}
    while layer:
        layer = set(Programme.objects.filter(parent__in=layer).values_list("pk", flat=True))
        layer -= found
        found = found | layer
    return found


def programme_filter(field_name):
    """?programme=hub-iit on the lists of organizations, SMEs and events: the records of
    that programme and of its phases and sub-programmes (`field_name` leads from a
    record to a programme). Any published programme; the most recent are offered in
    the form's list."""

    @extend_schema_field(OpenApiTypes.STR)  # a programme slug
    def filter_programme(queryset, name, programme):
        if programme is None:
            return queryset
        linked = queryset.model.objects.filter(**{f"{field_name}__in": with_phases(programme)})
        return queryset.filter(pk__in=linked.values("pk"))

    return OfferedChoiceFilter(
        label=_("Programme"),
        to_field_name="slug",
        queryset=Programme.objects.published(),
        offered=Programme.objects.published()
        .existing()
        .order_by(F("start").desc(nulls_last=True), "pk"),
        method=filter_programme,
        empty_label=_("Any programme"),
    )


class ProgrammeFilter(DirectoryFilterSet):
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=ProgrammeStatus.choices, method="filter_status"
    )
    funder = role_filter(_("Funder"), ProgrammeRole, ProgrammeRoleKind.FUNDING)
    implementer = role_filter(_("Implementer"), ProgrammeRole, ProgrammeRoleKind.IMPLEMENTING)
    partner = role_filter(_("Partner"), ProgrammeRole, ProgrammeRoleKind.PARTNER)
    year = YearFilter(label=_("Active during year"), method="filter_year")
    # Without it, a list holds the programmes that exist: one only proposed or hoped for
    # is found by asking for it (?existence=hoped_for), here as in the API.
    existence = django_filters.ChoiceFilter(
        label=_("Existence"),
        choices=Existence.choices,
        empty_label=_("Programmes that exist"),
    )
    parent = django_filters.ModelChoiceFilter(
        label=_("Part of"),
        to_field_name="slug",
        queryset=Programme.objects.published().filter(children__isnull=False).distinct(),
        empty_label=_("Any programme"),
    )

    sort_orders = {
        "name": [],
        # Undated programmes last, whichever the database.
        "-start": [F("start").desc(nulls_last=True)],
        "start": [F("start").asc(nulls_last=True)],
        "-updated": [F("updated").desc()],
    }
    sort_labels = {
        "name": _("Name"),
        "-start": _("Most recent first"),
        "start": _("Oldest first"),
        "-updated": _("Recently updated"),
    }

    class Meta:
        model = Programme
        fields = [
            "q",
            "country",
            "sector",
            "status",
            "funder",
            "implementer",
            "partner",
            "year",
            "parent",
            "existence",
            "sort",
        ]

    facets = ["status", "country", "sector"]

    def facet_counts(self, name, records):
        if name == "status":
            ids = records.order_by().values("pk")
            return Programme.objects.filter(pk__in=ids).status_counts()
        return super().facet_counts(name, records)

    def filter_queryset(self, queryset):
        if not getattr(self.form, "cleaned_data", {}).get("existence"):
            queryset = queryset.existing()
        return super().filter_queryset(queryset)

    def filter_status(self, queryset, name, statuses):
        return queryset.with_status(*statuses)

    def filter_year(self, queryset, name, year):
        return queryset.active_in(int(year))
