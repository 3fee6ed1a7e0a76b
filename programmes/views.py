from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from ecosystem.core.exports import csv_response
from ecosystem.pictures import relationship_graph, timeline
from ecosystem.site.views import directory_list
from events.models import Event
from programmes.exports import COLUMNS
from programmes.filters import ProgrammeFilter
from programmes.models import Programme

TIMELINE_ROWS = 40


def programme_list(request):
    return directory_list(
        request,
        ProgrammeFilter,
        Programme.objects.published().for_list(),
        title=_("Programmes"),
        description=_(
            "Programmes supporting tech and agri-food SMEs in West Africa: who funds them, "
            "who runs them, where and when."
        ),
        row_template="programmes/_programme_row.html",
        pictures=lambda listing: {"timeline": programme_timeline(listing.filterset.qs)},
        export_url="programmes:programme-export",
    )


def programme_export(request):
    return csv_response(
        request, ProgrammeFilter, Programme.objects.published().for_api(), COLUMNS, "programmes.csv"
    )


def programme_timeline(programmes):
    """The listed programmes (the first TIMELINE_ROWS) with their events."""
    # Bars need no countries, sectors or funders: drop the list's prefetches.
    programmes = list(programmes.prefetch_related(None)[:TIMELINE_ROWS])
    events = Event.objects.published().filter(programme__in=programmes)
    return timeline(programmes, events)


def programme_detail(request, slug):
    programme = get_object_or_404(Programme.objects.published().for_detail(), slug=slug)
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "graph": relationship_graph(programme, links(programme)),
        },
    )


def links(programme):
    """The programme's neighbours for its relationship graph."""
    parent = programme.public_parent
    return [
        *(
            (role.organization, role.role, role.get_role_display())
            for role in programme.roles.all()
        ),
        *([(parent, "parent", _("part of"))] if parent else []),
        *((child, "phase", _("phase")) for child in programme.children.all()),
    ]
