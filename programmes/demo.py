"""Synthetic programmes with roles, sites and figures for generate_demo_data
(ecosystem.opendata.demo)."""

import datetime
from decimal import Decimal

from ecosystem.core.search import search_key
from members.models import Organization
from programmes.models import Indicator, Programme, ProgrammeRole, ProgrammeRoleKind, Site


def make_programmes(count, demo):
    organizations = list(Organization.objects.support_organizations().values_list("pk", flat=True))
    start = demo.next_number(Programme)
    places = []

    def rows():
        for number in range(start, start + count):
            countries, sectors = demo.some(demo.countries), demo.some(demo.sectors, 2)
            country = countries[0]
            city = demo.city(country)
            places.append((country, city))
            name_en, name_fr = demo.name("Programme", "programme")
            summary_en, summary_fr = demo.summaries(name_en, name_fr, city, sectors)
            first = demo.rng.randint(2008, 2028)
            values = {
                "slug": f"demo-programme-{number}",
                "name_en": name_en,
                "name_fr": name_fr,
                "summary_en": summary_en,
                "summary_fr": summary_fr,
                "start": datetime.date(first, 1, 1),
                "start_precision": "year",
            }
            if demo.rng.random() < 0.8:  # some have no known end
                values["end"] = datetime.date(first + demo.rng.randint(1, 6), 12, 31)
                values["end_precision"] = "year"
            yield values, countries, sectors

    pks = demo.create(Programme, rows())
    roles = list(ProgrammeRoleKind.values)
    if organizations:
        demo.rows(
            ProgrammeRole,
            (
                {"programme_id": pk, "organization_id": organization, "role": role}
                for pk in pks
                for organization, role in zip(
                    demo.rng.sample(organizations, min(3, len(organizations))),
                    demo.rng.sample(roles, 3),
                    strict=False,
                )
            ),
        )
    demo.rows(
        Site,
        (
            {
                "programme_id": pk,
                "name": f"{city} hub {n + 1}",
                "city": city,
                "country_id": country.pk,
                "search_text": search_key(
                    f"{city} hub {n + 1} {city} {country.name_en} {country.name_fr} {country.pk}"
                ),
            }
            for pk, (country, city) in zip(pks, places, strict=True)
            for n in range(demo.rng.randint(0, 2))
        ),
    )
    demo.rows(
        Indicator,
        (
            {
                "programme_id": pk,
                "label_en": "SMEs supported",
                "label_fr": "PME accompagnées",
                "value": Decimal(demo.rng.randint(10, 2000)),
                "qualifier": demo.rng.choice(["exact", "at_least", "about", "target"]),
            }
            for pk in pks
            if demo.rng.random() < 0.5
        ),
    )
