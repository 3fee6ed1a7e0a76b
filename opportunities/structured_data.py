"""A call is a schema.org MonetaryGrant when it gives money, else an Offer (a training, a place
in a mission): with who offers it and until when one can apply."""

from ecosystem.core.dates import iso_partial
from ecosystem.core.structured_data import area_served, common, organization_reference
from opportunities.models import OpportunityRoleKind


def for_opportunity(opportunity, absolute_url):
    gives_money = opportunity.amount_min is not None or opportunity.amount_max is not None
    data = common(opportunity, absolute_url, "MonetaryGrant" if gives_money else "Offer")
    offerers = [
        organization_reference(role.organization, absolute_url)
        for role in opportunity.roles.all()
        if role.role in (OpportunityRoleKind.OFFERER, OpportunityRoleKind.FUNDER)
    ]
    if offerers:
        data["funder" if gives_money else "offeredBy"] = offerers
    if opportunity.opens:
        data["validFrom"] = iso_partial(opportunity.opens, opportunity.opens_precision)
    if opportunity.deadline and not opportunity.rolling:
        data["validThrough"] = iso_partial(opportunity.deadline, opportunity.deadline_precision)
    if gives_money and opportunity.currency:
        data["amount"] = {
            "@type": "MonetaryAmount",
            "currency": opportunity.currency,
            **({"minValue": opportunity.amount_min} if opportunity.amount_min is not None else {}),
            **({"maxValue": opportunity.amount_max} if opportunity.amount_max is not None else {}),
        }
    if not gives_money:
        data.update(area_served(opportunity))
    return data
