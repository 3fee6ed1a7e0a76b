import datetime

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from ecosystem.core.models import PublicationStatus
from ecosystem.pictures import africa_map, relationship_graph, timeline
from programmes.filters import with_phases
from programmes.models import Indicator, Programme, ProgrammeRole, Site

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
    """A programme's page draws its relationship graph, and shows the sites, figures and
    events of its published phases and sub-programmes with its own, each marked with its
    phase: an umbrella's page (HUB-IIT) holds its whole network."""
    phases = Programme.objects.published().filter(pk__in=with_phases(programme) - {programme.pk})
    family = [programme.pk, *phases.values_list("pk", flat=True)]
    events = Programme.events.rel.related_model.objects.published()
    roles = ProgrammeRole.objects.filter(
        programme__in=family, organization__publication_status=PublicationStatus.PUBLISHED
    ).select_related("programme", "organization", "source")
    sites = list(
        Site.objects.filter(programme__in=family)
        .select_related("programme__dates_source", "country", "host", "source", "location_source")
        .prefetch_related("programme__sources")
        .order_by(F("opened").asc(nulls_last=True), "country__code", "name")
    )
    located = [site for site in sites if site.latitude is not None]
    return {
        "graph": relationship_graph(programme, links(programme)),
        "map": africa_map([], located, []) if located else None,
        # Its own roles first, then its phases' in the order they started.
        "roles": sorted(
            roles,
            key=lambda role: (
                role.programme_id != programme.pk,
                role.programme.start or datetime.date.min,
                role.programme.slug,
            ),
        ),
        "sites": sites,
        "indicators": Indicator.objects.filter(programme__in=family)
        .select_related("programme", "source")
        .order_by(F("programme__start").asc(nulls_first=True), "pk"),
        "events": events.filter(programme__in=family).for_list().select_related("programme"),
    }


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
