import datetime
from dataclasses import dataclass, field

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from ecosystem.core.models import PublicationStatus
from ecosystem.pictures.graph import relationship_graph
from ecosystem.pictures.map import africa_map
from ecosystem.pictures.timeline import timeline
from programmes.filters import with_phases
from programmes.models import Indicator, Programme, ProgrammeRole, ProgrammeRoleKind, Site

TIMELINE_ROWS = 40
# A list longer than this folds on a phone (<details>): an umbrella's page stays short.
FOLD = 5


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
    phase: an umbrella's page (HUB-IIT) holds its whole network, each organization and
    each site once (`involved`, `merged_sites`)."""
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
    merged = merged_sites(sites, programme)
    involvement = involved(roles, programme)
    supported = list(supported_through(family))
    return {
        "graph": relationship_graph(programme, links(programme)),
        "map": africa_map([], located, []) if located else None,
        "involved": involvement,
        "involved_source": shared_source(entry.sources for entry in involvement),
        "sites": merged,
        "sites_source": shared_source(site.sources for site in merged),
        "sites_location_source": shared_source(
            site.location_sources for site in merged if site.latitude is not None
        ),
        "indicators": Indicator.objects.filter(programme__in=family)
        .select_related("programme", "source")
        .order_by(F("programme__start").asc(nulls_first=True), "pk"),
        "events": events.filter(programme__in=family).for_list().select_related("programme"),
        "supported": by_organization_and_role(supported),
        "supported_source": shared_source(unique([row.source]) for row in supported),
        "fold": FOLD,
    }


def supported_through(family):
    """The event series the programme (or a phase) made an organization's part in
    possible ("OPTIC sent a delegation to SIPEN through NTF V"): the rows an
    organization's page shows as "(through NTF V)", found by the same query."""
    return (
        Programme.series_roles.rel.related_model.objects.public()
        .filter(programme__in=family)
        .order_by("series__slug", "role", "organization__slug")
    )


def by_organization_and_role(rows):
    """Rows grouped by who did what: "OPTIC sent a delegation to: Africarena, GITEX,
    SIPEN, VivaTech", each organization named once per kind of part."""
    groups = {}
    for row in rows:
        key = (row.organization_id, row.role)
        groups.setdefault(key, {"organization": row.organization, "rows": []})
        groups[key]["rows"].append(row)
    return [
        {**group, "label": group["rows"][0].get_organization_label()} for group in groups.values()
    ]


def phase_order(programme):
    """Phases in the order they started, the umbrella itself first."""

    here = programme.pk if programme else None

    def key(record):
        return (record.pk != here, record.start or datetime.date.min, record.slug)

    return key


def unique(items, key=lambda item: item.pk):
    """`items` without repeats (by `key`), in their first order."""
    seen = {}
    for item in items:
        if item is not None:
            seen.setdefault(key(item), item)
    return list(seen.values())


@dataclass
class Involvement:
    """One organization on a programme's page, once, with each of its roles and the
    phases it held it in: "AFD — funder (phases: pilot project, deployment phase)"."""

    organization: object
    roles: list = field(default_factory=list)  # [RoleRollup]
    rows: list = field(default_factory=list)  # the ProgrammeRoles rolled up

    @property
    def sources(self):
        return unique(row.source for row in self.rows)


@dataclass
class RoleRollup:
    label: str
    phases: list  # the phases (not the umbrella itself) the role was held in


ROLE_ORDER = list(ProgrammeRoleKind.values)


def involved(roles, programme):
    """Each organization of the programme and its phases once, with its roles in the
    order of ProgrammeRoleKind (funders first), each with the phases it was held in."""
    order = phase_order(programme)
    rows = sorted(
        roles,
        key=lambda row: (ROLE_ORDER.index(row.role), order(row.programme), row.organization.slug),
    )
    found = {}
    for row in rows:
        entry = found.setdefault(row.organization_id, Involvement(row.organization))
        entry.rows.append(row)
    for entry in found.values():
        for kind in unique(entry.rows, key=lambda row: row.role):
            held = sorted(
                (row.programme for row in entry.rows if row.role == kind.role),
                key=order,
            )
            entry.roles.append(
                RoleRollup(kind.get_role_display(), [p for p in held if p.pk != programme.pk])
            )
    return list(found.values())


@dataclass
class MergedSite:
    """One place on a programme's page however many phases it served ("Hub-IIT
    Bamako": the pilot's hub, then the deployment's). Its opening and status are those
    of the latest phase's row, the most recent report; its notes and sources are all of
    its rows'."""

    rows: list  # the Sites, the umbrella's or earliest phase's first
    programme: object = None  # the page's programme: its own rows need no phase mark

    @property
    def current(self):
        return self.rows[-1]

    def __getattr__(self, name):
        if name.startswith("_") or name in ("rows", "programme"):
            raise AttributeError(name)
        return getattr(self.current, name)

    @property
    def phases(self):
        here = self.programme.pk if self.programme else None
        return [row.programme for row in self.rows if row.programme_id != here]

    @property
    def hosts(self):
        return unique(row.public_host for row in self.rows)

    @property
    def notes(self):
        return unique((row.note for row in self.rows if row.note), key=lambda note: note)

    @property
    def sources(self):
        return unique(row.source for row in self.rows)

    @property
    def location_sources(self):
        return unique(row.location_source for row in self.rows if row.latitude is not None)

    def get_status_display(self):
        return self.current.get_status_display()


def merged_sites(sites, programme=None):
    """The programme's and its phases' sites (or a country's: no `programme`), one per
    place (same country and name), in the order the first of each opened; each lists
    the phases it served."""
    order = phase_order(programme)
    places = {}
    for site in sites:
        places.setdefault((site.country_id, site.name.casefold()), []).append(site)
    return [
        MergedSite(sorted(rows, key=lambda row: order(row.programme)), programme)
        for rows in places.values()
    ]


def shared_source(cited):
    """The one source every row of a list cites (`cited`: each row's sources), if they
    all cite the same single one and there are several rows: the list then gives its
    note once, not once per row."""
    cited = [list(sources) for sources in cited]
    if len(cited) < 2 or any(len(sources) != 1 for sources in cited):
        return None
    return cited[0][0] if len({sources[0].pk for sources in cited}) == 1 else None


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
