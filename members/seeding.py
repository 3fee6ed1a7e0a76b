"""The seed file's organizations section (ecosystem.opendata.seeding runs it)."""

from ecosystem.core import history
from ecosystem.core.models import Country
from members.models import Membership, Organization


def load_organization(loader, item):
    values, many = loader.publishable(item)
    values.update(kind=item.get("kind"), hq_city=item.get("hq_city"), founded=item.get("founded"))
    values["hq_country"] = loader.optional(Country, item, "hq_country", key="code")
    loader.save(Organization, {"slug": item["slug"]}, values, many)


def load_memberships(loader, item):
    """Once every organization is loaded: memberships point at any of them."""
    memberships = item.get("memberships") or []
    member = loader.current(Organization, slug=item["slug"])
    if not memberships or member is None:
        for _membership in memberships:
            loader.tick()
        return
    created = (Organization, member.pk) in loader.created
    # The memberships join the member's history as one more version, when any is new.
    with history.one_version(member) as version:
        changed = False
        for membership in memberships:
            loader.where = f"organizations {item['slug']!r} memberships"
            organization = loader.lookup(Organization, "memberships.of", membership.get("of"))
            values = {
                **loader.dates({"start": membership.get("since")}, "start"),
                **loader.dates({"end": membership.get("until")}, "end", end=True),
                "kind": membership.get("kind"),
                "source": loader.fact_source(membership),
            }
            lookup = {"member": member, "organization": organization}
            changed |= loader.child(created, Membership, lookup, values)
        version.changed = changed
