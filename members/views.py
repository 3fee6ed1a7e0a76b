from ecosystem.pictures.graph import relationship_graph


def detail_context(organization):
    """An organization's page also draws its relationship graph."""
    return {"graph": relationship_graph(organization, links(organization))}


def links(organization):
    """The organization's neighbours for its relationship graph."""
    return [
        *(
            (r.programme, r.role, r.get_organization_label())
            for r in organization.programme_roles.all()
        ),
        *((r.event, r.role, r.get_organization_label()) for r in organization.event_roles.all()),
        *((r.series, r.role, r.get_organization_label()) for r in organization.series_roles.all()),
        *((m.organization, m.kind, m.get_kind_display()) for m in organization.memberships.all()),
        *((m.member, m.kind, m.get_inverse_display()) for m in organization.members.all()),
    ]
