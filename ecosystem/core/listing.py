"""A filterable list page: a FilterSet applied leniently (a bad value is set aside and
named, never a server error), facet counts, removable chips for the active filters and a
page of results. The same FilterSet, applied strictly, serves the exports and the API."""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from ecosystem.core.search import fold

PER_PAGE = 20
# Counting and paging stop here: past 10,000 results a count costs as much as the page
# and nobody reads page 501; filters narrow the list, the dataset holds everything.
MAX_RESULTS = 10_000


class CappedPaginator(Paginator):
    """Counts at most MAX_RESULTS + 1 rows and offers at most MAX_RESULTS // per_page
    pages, so that neither the count nor a deep page grows with the directory."""

    def __init__(self, object_list, per_page, *args, cap=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.cap = cap or MAX_RESULTS

    @cached_property
    def count(self):
        # Without the order: counting needs no sort of a million rows.
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self):
        """More results than were counted: the page says "more than 10,000"."""
        return self.count > self.cap

    @cached_property
    def num_pages(self):
        return min(super().num_pages, self.cap // self.per_page)

    def page(self, number):
        """Past the first page, the rows skipped are sorted and skipped as keys only, and
        the page's rows then fetched by key: page 500 sorts 10,000 ids, not 10,000 wide
        rows (which spilled to disk): one query more, on deep pages only. The first page
        stops at its 20th row either way. A queryset with a faster way to its page than
        OFFSET over its whole order (`read_page(bottom, top)`: opportunities, open first)
        reads it that way."""
        number = self.validate_number(number)
        read_page = getattr(self.object_list, "read_page", None)
        if read_page is not None:
            page = super().page(number)
            query = page.object_list.query
            page.object_list = read_page(query.low_mark, query.high_mark)
            return page
        if number == 1:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        keys = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        # The same order, now over 20 rows: a queryset still, as the admin's forms need.
        return self._get_page(self.object_list.filter(pk__in=keys), number, self)


def first_rows(records, count):
    """The first `count` records of a list, read as its first page is
    (CappedPaginator.page): by the queryset's `read_page` where it has one."""
    read_page = getattr(records, "read_page", None)
    return list(read_page(0, count) if read_page else records[:count])


MULTIPLE = (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)


@dataclass
class Ignored:
    label: str
    values: list[str]

    def __str__(self):
        quoted = ", ".join(_("“%(value)s”") % {"value": value} for value in self.values)
        return labelled(self.label, quoted)


def labelled(label, value):
    """ "Country: Mali" in English, "Pays : Mali" in French."""
    return _("%(label)s: %(value)s") % {"label": label, "value": value}


class DeepPage:
    """Why a page past the last offered one was not shown, when there are more results."""

    def __str__(self):
        return _(
            "Only the first %(count)s results can be browsed page by page: add a filter "
            "or a search word to reach the others, or download them all."
        ) % {"count": number_format(MAX_RESULTS, force_grouping=True)}


@dataclass
class Option:
    value: str
    label: str
    count: int | None
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    options: list[Option]
    uncounted: bool = False  # too many results to count each value's


@dataclass
class Chip:
    label: str
    remove_url: str


@dataclass
class Listing:
    filterset: object
    page: object
    facets: list[Facet]
    chips: list[Chip]
    ignored: list[Ignored] = field(default_factory=list)

    @property
    def count(self):
        return min(self.page.paginator.count, self.page.paginator.cap)

    @property
    def capped(self):
        return self.page.paginator.capped


def shorten(value, limit=40):
    value = str(value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def lenient_filterset(filterset_class, data, queryset):
    """The FilterSet over `data` with every invalid value set aside: an unknown country
    among known ones drops that one code only. Returns (filterset, ignored)."""
    filterset = filterset_class(data, queryset=queryset)
    if filterset.is_valid():
        return filterset, []
    data = data.copy()
    ignored = []
    for name in filterset.form.errors:
        form_field = filterset.form.fields[name]
        raw = data.getlist(name)
        keep = [v for v in raw if isinstance(form_field, MULTIPLE) and valid(form_field, v)]
        ignored.append(Ignored(str(form_field.label), [shorten(v) for v in raw if v not in keep]))
        data.setlist(name, keep)
    return filterset_class(data, queryset=queryset), ignored


def valid(form_field, value):
    try:
        form_field.clean([value])
    except ValidationError:
        return False
    return True


def without(data, name, value=None):
    """The query string with one filter value (or the whole filter) removed, back to page 1."""
    data = data.copy()
    data.pop("page", None)
    if value is None:
        data.pop(name, None)
    else:
        data.setlist(name, [v for v in data.getlist(name) if v != value])
    return "?" + data.urlencode() if data else "?"


def value_label(form_field, value):
    if isinstance(form_field, forms.ModelChoiceField | forms.ModelMultipleChoiceField):
        return getattr(value, "name", str(value))
    return str(dict(getattr(form_field, "choices", [])).get(value, value))


def value_key(form_field, value):
    """How a cleaned value is written in the query string."""
    if isinstance(form_field, forms.ModelChoiceField | forms.ModelMultipleChoiceField):
        return str(getattr(value, form_field.to_field_name or "pk"))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def chips_for(filterset, data):
    chips = []
    for name, value in filterset.form.cleaned_data.items():
        if name == "sort" or value in (None, "", [], ()):
            continue
        form_field = filterset.form.fields[name]
        values = value if isinstance(form_field, MULTIPLE) else [value]
        for item in values:
            key = value_key(form_field, item)
            # A multi-valued field's raw values may differ in case (?country=sn).
            raw = next((v for v in data.getlist(name) if v.upper() == key.upper()), key)
            chips.append(
                Chip(
                    labelled(form_field.label, value_label(form_field, item)),
                    without(data, name, raw if isinstance(form_field, MULTIPLE) else None),
                )
            )
    return chips


def filtered(data):
    """Whether the query string holds a filter (a sort or a page is not one)."""
    return any(
        value for key, values in data.lists() if key not in ("sort", "page") for value in values
    )


def more_than_max(records):
    return records.order_by()[: MAX_RESULTS + 1].count() > MAX_RESULTS


def facets_for(filterset_class, filterset, data, queryset, kept=None, many=False):
    """For each facet, the count of results per value with every other filter applied
    (so that ticking a value shows what one would get). Where no other filter applies,
    countries and sectors read the counts kept for the whole list (`kept`: the record
    type's entry of ecosystem.core.counts) rather than count a million records. Where
    other filters apply to `many` results (more than MAX_RESULTS), or leave more than
    MAX_RESULTS for this facet (a count stopped at MAX_RESULTS + 1), the values are
    offered without counts: counting them would cost seconds."""
    facets = []
    selected_data = filterset.form.cleaned_data
    for name in filterset_class.facets:
        others = data.copy()
        others.pop(name, None)
        form_field = filterset.form.fields[name]
        records = None
        if filtered(others) and not many:
            records = filterset_class(others, queryset=queryset).qs
        # The other filters may still leave more results than a count is worth.
        uncounted = filtered(others) and (many or more_than_max(records))
        if kept and name in kept and (uncounted or not filtered(others)):
            by_pk = kept[name]
            counts = {
                value_key(form_field, hub): by_pk[hub.pk]
                for hub in form_field.queryset
                if hub.pk in by_pk
            }
        elif uncounted:
            counts = {str(value): 1 for value, _label in form_field.choices}
        else:
            if records is None:
                records = filterset_class(others, queryset=queryset).qs
            counts = filterset.facet_counts(name, records)
        selected = {value_key(form_field, item) for item in selected_data.get(name) or []}
        if isinstance(form_field, forms.ModelMultipleChoiceField):
            # Countries and sectors in the alphabetical order of the page's language.
            choices = sorted(
                ((value_key(form_field, obj), obj.name) for obj in form_field.queryset),
                key=lambda choice: fold(choice[1]),
            )
        else:
            choices = [(str(value), str(label)) for value, label in form_field.choices]
        options = [
            Option(value, label, None if uncounted else counts.get(value, 0), value in selected)
            for value, label in choices
            if counts.get(value) or value in selected
        ]
        facets.append(Facet(name, str(form_field.label), options, uncounted))
    return facets


def kept_total(filterset, kept):
    """How many results a list filtered by one country or one sector and nothing else
    has: the count kept for that hub (`kept`, as facets_for reads it), rather than a
    count over the link table; None for any other filter."""
    named = [name for name, values in filterset.data.lists() if name not in ("sort", "page")]
    if len(named) != 1 or named[0] not in (kept or {}) or not filterset.is_valid():
        return None
    hubs = list(filterset.form.cleaned_data.get(named[0]) or [])
    if len(hubs) != 1:
        return None
    return kept[named[0]].get(hubs[0].pk, 0)


def build_listing(request, filterset_class, queryset, kept=None, total_kept=False):
    """The listing of a request. `kept`: the counts kept per country and sector, for the
    facets; with `total_kept`, they also give the total of a list filtered by one of
    them (when the list's records are the ones they count)."""
    data = request.GET
    filterset, ignored = lenient_filterset(filterset_class, data, queryset)
    paginator = CappedPaginator(filterset.qs, PER_PAGE)
    total = kept_total(filterset, kept) if total_kept else None
    if total is not None:
        paginator.count = total  # the cached property, known
    number = data.get("page", "1")
    page = paginator.get_page(number)
    # "page=02" is page 2; "page=abc" or a page past the last one is named as ignored.
    if not (number.isascii() and number.isdecimal() and int(number) == page.number):
        ignored.append(Ignored(_("Page"), [shorten(number)]))
        if paginator.capped and number.isascii() and number.isdecimal():
            ignored.append(DeepPage())
    return Listing(
        filterset=filterset,
        page=page,
        facets=facets_for(
            filterset_class, filterset, filterset.data, queryset, kept, many=paginator.capped
        ),
        chips=chips_for(filterset, filterset.data),
        ignored=ignored,
    )
