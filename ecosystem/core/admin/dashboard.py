"""The staff's work across every kind of record: the work lists (drafts, review queue,
records to check), their page, and the admin index's summary of what waits, with the
other work apps register (suggestions to moderate) and the broken links."""

from collections.abc import Callable
from typing import NamedTuple

from django.conf import settings
from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from ecosystem.core.links.models import LinkCheck
from ecosystem.core.models import PublicationStatus, Source, stale_condition
from ecosystem.core.registry import registry

WORK_SHOWN = 100


class Work(NamedTuple):
    """A staff list of records of every kind: which, in what order, and how a kind's own
    admin list filters the same records (the query string of its changelist)."""

    title: str
    intro: str
    condition: Callable[[], Q]
    order: Callable[[QuerySet], QuerySet]
    changelist_query: dict

    def select(self, records):
        return self.order(records.filter(self.condition()))


# The staff's lists of work across every kind of record.
WORK_LISTS = {
    "drafts": Work(
        _("Drafts"),
        _(
            "Records not yet submitted for review, the most recently changed first. Set a "
            "draft's status to “in review” when it is ready for a Publisher."
        ),
        lambda: Q(publication_status=PublicationStatus.DRAFT),
        lambda records: records.order_by("-updated", "pk"),
        {"publication_status__exact": PublicationStatus.DRAFT},
    ),
    "review": Work(
        _("Review queue"),
        _(
            "Records submitted for review, the longest waiting first. A Publisher "
            "publishes them, or sets them back to draft, from the list's actions."
        ),
        lambda: Q(publication_status=PublicationStatus.REVIEW),
        lambda records: records.order_by("updated", "pk"),
        {"publication_status__exact": PublicationStatus.REVIEW},
    ),
    "to-check": Work(
        _("Records to check"),
        _(
            "Records nobody has verified for %(months)s months (or added that long ago and "
            "never verified), the longest unchecked first. Their pages tell visitors they "
            "may be out of date. Check each with the organization or a current source, then "
            "use the action “Mark the selected records as verified today”."
        ),
        lambda: ~Q(publication_status=PublicationStatus.ARCHIVED) & stale_condition(),
        lambda records: records.by_last_check(),
        {
            "freshness": "stale",
            "publication_status__in": ",".join(
                status
                for status in PublicationStatus.values
                if status != PublicationStatus.ARCHIVED
            ),
        },
    ),
}


def record_models():
    """Each model of the registry's record types once (SMEs are organizations)."""
    return list(dict.fromkeys(record_type.model for record_type in registry))


def work_groups(work, limit=WORK_SHOWN):
    """The records `work` lists among each kind of record."""
    groups = []
    for model in record_models():
        records = work.select(model.objects.all())
        opts = model._meta
        groups.append(
            {
                "title": opts.verbose_name_plural,
                "count": records.count(),
                "records": records[:limit],
                "change_url": f"admin:{opts.app_label}_{opts.model_name}_change",
            }
        )
    return groups


def work_list(request, name):
    """A staff page: the drafts, the review queue, or the records to check."""
    if name not in WORK_LISTS:
        raise Http404
    work = WORK_LISTS[name]
    context = {
        **admin.site.each_context(request),
        "title": work.title,
        "intro": work.intro % {"months": settings.VERIFIED_RECENTLY_MONTHS},
        "groups": work_groups(work),
        "shown": WORK_SHOWN,
    }
    return TemplateResponse(request, "admin/work_list.html", context)


class OtherWork(NamedTuple):
    """Work an app brings to the dashboard beside the records' lists (suggestions to
    moderate): its title, how many wait, where they are, who may see them."""

    title: str
    count: Callable[[], int]
    url: Callable[[], str]
    permission: str


OTHER_WORK = []


def register_work(work):
    OTHER_WORK.append(work)


class Panel(NamedTuple):
    """A box an app adds to the admin's index, below the work to do (the IATI syncs'
    last results): its template, what it shows (None: nothing to show), and who may
    see it."""

    template: str
    context: Callable[[], dict | None]
    permission: str


PANELS = []


def register_panel(panel):
    PANELS.append(panel)


def panels(user):
    """The apps' panels this staff member may see and that have something to show."""
    shown = []
    for panel in PANELS:
        if user.has_perm(panel.permission):
            context = panel.context()
            if context:
                shown.append({"template": panel.template, **context})
    return shown


def dashboard(user):
    """What waits, for the admin's index page: each staff list that holds something,
    with its count and, per kind of record, the count and that kind's admin list
    filtered the same way; then the apps' other work. One query per kind of record."""
    counts = {
        model: model.objects.aggregate(
            **{name: Count("pk", filter=work.condition()) for name, work in WORK_LISTS.items()}
        )
        for model in record_models()
        if user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
    }
    items = []
    for name, work in WORK_LISTS.items():
        kinds = [
            {
                "title": model._meta.verbose_name_plural,
                "count": counted[name],
                "url": reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
                + "?"
                + urlencode(work.changelist_query),
            }
            for model, counted in counts.items()
            if counted[name]
        ]
        if kinds:
            total = sum(kind["count"] for kind in kinds)
            url = reverse("work-list", args=[name])
            items.append({"title": work.title, "count": total, "url": url, "kinds": kinds})
    for other in OTHER_WORK:
        if user.has_perm(other.permission):
            count = other.count()
            if count:
                items.append({"title": other.title, "count": count, "url": other.url()})
    return items


BROKEN_SHOWN = 20


def change_link(row):
    opts = row._meta
    return {
        "name": str(row),
        "url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk]),
    }


def broken_links(user, limit=BROKEN_SHOWN):
    """The addresses whose last check failed (ecosystem.core.links), the longest failing
    first, each with the records and sources that cite it; None for staff who may not
    see the link checks. A query for the count and the links, then one per kind of
    record and one for the sources: the same number whatever the rows."""
    if not user.has_perm("ecosystem.view_linkcheck"):
        return None
    failing = LinkCheck.objects.failing()
    links = list(failing[:limit])
    if not links:
        return None
    cited = {link.address: [] for link in links}
    for model in [*record_models(), Source]:
        field = "url" if model is Source else "website"
        for row in model.objects.filter(**{f"{field}__in": cited}).order_by("pk")[: limit * 10]:
            cited[getattr(row, field)].append(change_link(row))
    return {
        "count": len(links) if len(links) < limit else failing.count(),
        "shown": [{"check": link, "cited_by": cited[link.address]} for link in links],
        "url": reverse("admin:ecosystem_linkcheck_changelist") + "?state=failing",
    }
