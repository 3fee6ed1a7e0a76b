"""Synthetic opportunities with roles for generate_demo_data (ecosystem.opendata.demo):
deadlines spread over the years around today, a few rolling, so that lists and "find
support" meet open, upcoming and closed calls in the proportions a real directory
would hold (most closed)."""

import datetime

from django.utils import timezone

from members.models import Organization
from opportunities.models import (
    Opportunity,
    OpportunityKind,
    OpportunityRole,
    OpportunityRoleKind,
    Stage,
)
from programmes.models import Programme


def make_opportunities(count, demo):
    programmes = list(Programme.objects.published().values_list("pk", flat=True)[:10000])
    organizations = list(
        Organization.objects.support_organizations().values_list("pk", flat=True)[:10000]
    )
    start = demo.next_number(Opportunity)
    today = timezone.localdate()

    def rows():
        for number in range(start, start + count):
            countries, sectors = demo.some(demo.countries, 3), demo.some(demo.sectors, 2)
            city = demo.city(countries[0])
            name_en, name_fr = demo.name("Call", "appel")
            summary_en, summary_fr = demo.summaries(name_en, name_fr, city, sectors)
            deadline = today + datetime.timedelta(days=demo.rng.randint(-3000, 200))
            stage_from = demo.rng.choice(Stage.values)
            values = {
                "slug": f"demo-opportunity-{number}",
                "name_en": name_en,
                "name_fr": name_fr,
                "summary_en": summary_en,
                "summary_fr": summary_fr,
                "kind": demo.rng.choice(OpportunityKind.values),
                "stage_from": stage_from,
                "stage_to": demo.rng.randint(stage_from, Stage.GROWTH),
                "opens": deadline - datetime.timedelta(days=demo.rng.randint(20, 120)),
                "deadline": deadline,
                "rolling": demo.rng.random() < 0.02,
                "amount_max": demo.rng.choice([None, 5000, 20000, 50000]),
                "currency": "EUR",
            }
            if programmes and demo.rng.random() < 0.3:
                values["programme_id"] = demo.rng.choice(programmes)
            yield values, countries, sectors

    pks = demo.create(Opportunity, rows())
    if organizations:
        demo.rows(
            OpportunityRole,
            (
                {
                    "opportunity_id": pk,
                    "organization_id": demo.rng.choice(organizations),
                    "role": OpportunityRoleKind.OFFERER,
                }
                for pk in pks
            ),
        )
