"""What a visitor may follow by email: any list of the registry with its filters (the
type's FilterSet, as its page applies it), or a "find support" answer (its four answers,
opportunities.support). Each says in words what it is and where its page is, and finds
which of its records are new to a subscription (`news`, for alerts.digest)."""

from dataclasses import dataclass

from django.http import QueryDict
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ecosystem.core.listing import Ignored, chips_for, labelled, lenient_filterset, value_label
from ecosystem.core.registry import registry
from ecosystem.core.views import shareable_query
from opportunities.support import Answers, SupportForm, find_support

# Longer filters than this are not kept: a list needs a few parameters, not pages of them.
MAX_QUERY = 1000
# What a page's address holds that is not a filter.
NOT_FILTERS = ("list", "page", "sort")
SUPPORT = "support"
# The record types a "find support" answer holds (its sections).
SUPPORT_SECTIONS = ("opportunities", "programmes", "organizations", "events")


def titled(name, parts):
    """ "Programmes" or "Programmes — Country: Mali · Sector: Agritech", on one line: it
    is a mail's subject, and a search typed with line breaks must not break it."""
    if not parts:
        return str(name)
    title = _("%(list)s — %(filters)s") % {"list": name, "filters": " · ".join(parts)}
    return " ".join(title.split())


@dataclass(frozen=True)
class ListFollowed:
    """A registry list and its filters, as a subscription keeps them."""

    key: str
    query: str

    @property
    def record_type(self):
        return registry[self.key]

    def filterset(self):
        """The list's FilterSet over the kept filters, validated leniently: a value that
        no longer names anything (a sector staff deleted) is set aside, the others still
        filter. Validating reads the countries and sectors named: a run does it once."""
        filterset, _ignored = lenient_filterset(
            self.record_type.filterset, QueryDict(self.query), self.record_type.listed_records()
        )
        filterset.is_valid()
        return filterset

    def title(self, run=None):
        filterset = (
            run.memo(("filterset", self.key, self.query), self.filterset)
            if run
            else self.filterset()
        )
        chips = [str(chip.label) for chip in chips_for(filterset, filterset.data)]
        return titled(self.record_type.title, chips)

    def path(self):
        """The list's address in the active language, with its filters."""
        return reverse(self.record_type.list_url) + (f"?{self.query}" if self.query else "")

    def news(self, run, since):
        """[(record, why)] of the list's records first published after `since`, latest
        first; the filters run once per run and list, on the new records only."""
        fresh = run.fresh(self.key)
        if not any(at > since for at in fresh.values()):
            return []

        def matching():
            filterset = run.memo(("filterset", self.key, self.query), self.filterset)
            records = self.record_type.listed_records().filter(pk__in=list(fresh))
            return set(filterset.filter_queryset(records).values_list("pk", flat=True))

        kept = run.memo(("list", self.key, self.query), matching)
        records = run.records(self.key)
        new = sorted((pk for pk in kept if fresh[pk] > since), key=fresh.get, reverse=True)
        return [(records[pk], "") for pk in new if pk in records]


@dataclass(frozen=True)
class SupportFollowed:
    """A "find support" answer: the open calls, programmes, organizations and events
    that fit four answers (opportunities.support.find_support)."""

    query: str
    key: str = SUPPORT

    def form(self):
        return SupportForm(QueryDict(self.query))

    def title(self, run=None):
        form = run.memo(("form", self.query), self.form) if run else self.form()
        parts = []
        if form.is_valid():
            for name, value in form.cleaned_data.items():
                for item in value if isinstance(value, list) else [value]:
                    if item not in (None, ""):
                        label = value_label(form.fields[name], item)
                        parts.append(labelled(form.fields[name].label, label))
        return titled(_("Find support"), parts)

    def path(self):
        return reverse("opportunities:find-support") + (f"?{self.query}" if self.query else "")

    def news(self, run, since):
        """[(record, why it fits)] of the answer's records first published after `since`,
        latest first: the answer among the run's new records only (once per answers and
        language), so a new record that fits comes whatever the whole answer ranks it."""
        if not any(at > since for key in SUPPORT_SECTIONS for at in run.fresh(key).values()):
            return []

        def answer():
            form = run.memo(("form", self.query), self.form)
            if not form.is_valid():  # a country or sector deleted since
                return []
            among = {key: list(run.fresh(key)) for key in SUPPORT_SECTIONS}
            support = find_support(Answers.from_form(form), now=run.now, among=among)
            return [
                (key, match.record, match.reason)
                for key, _title, matches in support.sections
                for match in matches
            ]

        # Its reasons are words: one answer per language.
        matches = run.memo(("support", self.query, translation.get_language()), answer)
        new = [
            (run.fresh(key)[record.pk], record, reason)
            for key, record, reason in matches
            if run.fresh(key).get(record.pk, since) > since
        ]
        new.sort(key=lambda item: item[0], reverse=True)
        return [(record, reason) for _at, record, reason in new]


def followed(key, query):
    """What a subscription follows, from what it keeps."""
    return SupportFollowed(query) if key == SUPPORT else ListFollowed(key, query)


def feed_path(key, data):
    """The Atom feed of a page's list (`key`) with its filters, in the active language:
    the page's query without what is not a filter (its page, its sort), so that every
    page of one list shares one feed. The no-email way to follow it."""
    query = QueryDict(mutable=True)
    query["list"] = key
    for name, values in data.lists():
        if name not in NOT_FILTERS:
            query.setlist(name, values)
    return f"{reverse('alerts:feed')}?{query.urlencode()}"


def followable(key):
    return key == SUPPORT or key in {record_type.key for record_type in registry}


def followed_from(key, data):
    """What a page's address (`key` and its query, `data`) follows, with what was set
    aside: the page number and sort, and any value the list refuses. (None, []) when
    `key` names no list; (None, [Ignored]) when the filters are too long to keep."""
    if not followable(key):
        return None, []
    data = data.copy()
    for name in NOT_FILTERS:
        data.pop(name, None)
    if key == SUPPORT:
        query, ignored = support_query(data)
    else:
        record_type = registry[key]
        filterset, ignored = lenient_filterset(
            record_type.filterset, data, record_type.model.objects.none()
        )
        query = shareable_query(filterset.data, record_type.filterset.default_sort)
    if len(query) > MAX_QUERY:
        return None, [TooLong()]
    return followed(key, query), ignored


class TooLong:
    def __str__(self):
        return _("These filters are too long to follow (at most %(count)s characters).") % {
            "count": MAX_QUERY
        }


def support_query(data):
    """The four answers that the form takes, and those it refuses (set aside)."""
    form = SupportForm(data)
    form.is_valid()
    ignored = [Ignored(str(form.fields[name].label), data.getlist(name)) for name in form.errors]
    kept = QueryDict(mutable=True)
    for name in form.fields:
        if name not in form.errors:
            values = [value for value in data.getlist(name) if value]
            if values:
                kept.setlist(name, values)
    return kept.urlencode(), ignored
