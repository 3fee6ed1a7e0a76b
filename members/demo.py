"""Synthetic organizations and SMEs for generate_demo_data (ecosystem.opendata.demo)."""

from members.models import Membership, Organization, OrganizationKind

SUPPORT_KINDS = [kind for kind in OrganizationKind.values if kind != OrganizationKind.SME]
KIND_WORDS = {
    "association": ("Association", "Association"),
    "funder": ("Fund", "Fonds"),
    "ngo": ("Foundation", "Fondation"),
    "technopark": ("Hub", "Hub"),
}


def make_organizations(count, demo):
    start = demo.next_number(Organization)

    def rows():
        for number in range(start, start + count):
            kind = demo.rng.choice(SUPPORT_KINDS)
            yield organization(
                demo, f"demo-organization-{number}", kind, *KIND_WORDS.get(kind, ("", ""))
            )

    demo.create(Organization, rows(), label="organizations")


def make_smes(count, demo):
    start = demo.next_number(Organization)
    associations = list(
        Organization.objects.filter(kind=OrganizationKind.ASSOCIATION).values_list("pk", flat=True)
    )

    def rows():
        for number in range(start, start + count):
            yield organization(demo, f"demo-sme-{number}", OrganizationKind.SME, "SARL", "SARL")

    pks = demo.create(Organization, rows(), label="SMEs")
    if associations:
        # About one SME in ten belongs to an association.
        demo.rows(
            Membership,
            (
                {"member_id": pk, "organization_id": demo.rng.choice(associations)}
                for pk in pks
                if demo.rng.random() < 0.1
            ),
        )


def organization(demo, slug, kind, kind_en, kind_fr):
    countries, sectors = demo.some(demo.countries), demo.some(demo.sectors)
    country = countries[0]
    city = demo.city(country)
    name_en, name_fr = demo.name(kind_en, kind_fr)
    summary_en, summary_fr = demo.summaries(name_en, name_fr, city, sectors)
    values = {
        "slug": slug,
        "name_en": name_en,
        "name_fr": name_fr,
        "summary_en": summary_en,
        "summary_fr": summary_fr,
        "kind": kind,
        "hq_country": country,
        "hq_city": city,
        "founded": demo.rng.randint(1990, 2025),
    }
    return values, countries, sectors
