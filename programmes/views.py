from django.utils.translation import gettext_lazy as _

from ecosystem.pictures import relationship_graph, timeline
from programmes.models import Programme

TIMELINE_ROWS = 40


def list_pictures(listing):
    """The programme list draws the listed programmes on a timeline."""
    return {"timeline": programme_timeline(listing.filterset.qs)}


def programme_timeline(programmes):
    """The listed programmes (the first TIMELINE_ROWS) with their events."""
    # Bars need no countries, sectors or funders: drop the list's prefetches.
    programmes = list(programmes.prefetch_related(None)[:TIMELINE_ROWS])
    events = Programme.events.rel.related_model.objects.published()
    return timeline(programmes, events.filter(programme__in=programmes))


def detail_context(programme):
    """A programme's page also draws its relationship graph."""
    return {"graph": relationship_graph(programme, links(programme))}


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
