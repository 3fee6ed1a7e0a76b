import django_filters
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from ecosystem.core.filters import DirectoryFilterSet, YearFilter
from events.models import Event, EventKind, EventSeries
from programmes.filters import programme_filter


class EventFilter(DirectoryFilterSet):
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=EventKind.choices)
    series = django_filters.ModelChoiceFilter(
        label=_("Series"),
        to_field_name="slug",
        queryset=EventSeries.objects.published(),
        empty_label=_("Any series"),
    )
    programme = programme_filter("programme")
    year = YearFilter(label=_("Year"), method="filter_year")
    when = django_filters.ChoiceFilter(
        label=_("When"),
        choices=[("upcoming", _("Upcoming")), ("past", _("Past"))],
        method="filter_when",
        empty_label=_("Any time"),
    )

    sort_orders = {"-start": [F("start").desc()], "start": [F("start").asc()], "name": []}
    sort_labels = {"-start": _("Most recent first"), "start": _("Oldest first"), "name": _("Name")}
    default_sort = "-start"
    facets = ["kind", "country", "sector"]

    class Meta:
        model = Event
        fields = ["q", "country", "sector", "kind", "series", "programme", "year", "when", "sort"]

    def filter_year(self, queryset, name, year):
        return queryset.during(int(year))

    def filter_when(self, queryset, name, when):
        return queryset.upcoming() if when == "upcoming" else queryset.past()
