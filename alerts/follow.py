"""What a visitor may follow by email: any list of the registry with its filters (the
type's FilterSet, as its page applies it), and, once it exists, a "find support" answer.
Each says in words what it is, where its page is, and which of its records are new."""

from dataclasses import dataclass

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from ecosystem.core.listing import chips_for, lenient_filterset
from ecosystem.core.registry import registry
from ecosystem.core.views import shareable_query

# Longer filters than this are not kept: a list needs a few parameters, not pages of them.
MAX_QUERY = 1000
# What a page's address holds that is not a filter.
NOT_FILTERS = ("page", "sort")


@dataclass(frozen=True)
class Followed:
    """A list and its filters, as a subscription keeps them (`key`, `query`)."""

    key: str
    query: str

    @property
    def record_type(self):
        return registry[self.key]

    def filterset(self, queryset=None):
        """The list's FilterSet over the kept filters, leniently: a value that no longer
        names anything (a sector staff deleted) is set aside, the others still filter."""
        if queryset is None:
            queryset = self.record_type.listed_records()
        filterset, _ignored = lenient_filterset(
            self.record_type.filterset, QueryDict(self.query), queryset
        )
        return filterset

    def title(self):
        """ "Programmes" or "Programmes — Country: Mali · Sector: Agritech", in the active
        language."""
        filterset = self.filterset(self.record_type.model.objects.none())
        chips = [str(chip.label) for chip in chips_for(filterset, filterset.data)]
        title = str(self.record_type.title)
        return (
            _("%(list)s — %(filters)s") % {"list": title, "filters": " · ".join(chips)}
            if chips
            else title
        )

    def path(self):
        """The list's address in the active language, with its filters."""
        return reverse(self.record_type.list_url) + (f"?{self.query}" if self.query else "")

    def matching(self, pks):
        """Those of `pks` (records of the list's type) that the filters keep: one query."""
        return set(
            self.filterset(self.record_type.listed_records().filter(pk__in=pks)).qs.values_list(
                "pk", flat=True
            )
        )


def followable(key):
    """Whether `key` names a list one may follow."""
    return key in {record_type.key for record_type in registry}


def followed_from(key, data):
    """The Followed for a list's page address (`data`: its query), with what was set
    aside: the page number and sort, and any value the list's filters refuse. None when
    `key` names no list."""
    if not followable(key):
        return None, []
    record_type = registry[key]
    data = data.copy()
    for name in ("list", *NOT_FILTERS):
        data.pop(name, None)
    filterset, ignored = lenient_filterset(
        record_type.filterset, data, record_type.model.objects.none()
    )
    query = shareable_query(filterset.data, record_type.filterset.default_sort)
    return Followed(key, query), ignored
