from ecosystem.core.dates import iso_partial
from ecosystem.core.structured_data import area_served, common, organization_reference


def for_programme(programme, absolute_url):
    # schema.org has no programme type; a Project is an organization's planned endeavour.
    data = {**common(programme, absolute_url, "Project"), **area_served(programme)}
    roles = list(programme.roles.all())
    for prop, kinds in (("funder", {"funding"}), ("member", {"implementing", "partner"})):
        organizations = list(
            {r.organization.pk: r.organization for r in roles if r.role in kinds}.values()
        )
        if organizations:
            data[prop] = [organization_reference(o, absolute_url) for o in organizations]
    if programme.start:
        data["foundingDate"] = iso_partial(programme.start, programme.start_precision)
    if programme.end:
        data["dissolutionDate"] = iso_partial(programme.end, programme.end_precision)
    return data
