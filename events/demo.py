"""Synthetic event series and events with roles for generate_demo_data
(ecosystem.opendata.demo)."""

import datetime

from ecosystem.core.models import PublicationStatus
from events.models import Event, EventKind, EventRole, EventRoleKind, EventSeries
from members.models import Organization
from programmes.models import Programme

SERIES = 20


def make_events(count, demo):
    series = list(EventSeries.objects.filter(slug__startswith="demo-").values_list("pk", flat=True))
    for number in range(len(series) + 1, SERIES + 1):
        name_en, name_fr = demo.name("Forum", "forum")
        series.append(
            demo.save(
                EventSeries(
                    slug=f"demo-series-{number}",
                    name_en=name_en,
                    name_fr=name_fr,
                    publication_status=PublicationStatus.PUBLISHED,
                )
            ).pk
        )
    programmes = list(Programme.objects.published().values_list("pk", flat=True)[:10000])
    organizations = list(
        Organization.objects.support_organizations().values_list("pk", flat=True)[:10000]
    )
    start = demo.next_number(Event)

    def rows():
        for number in range(start, start + count):
            countries, sectors = demo.some(demo.countries, 2), demo.some(demo.sectors, 2)
            country = countries[0]
            city = demo.city(country)
            name_en, name_fr = demo.name("Days", "journées")
            summary_en, summary_fr = demo.summaries(name_en, name_fr, city, sectors)
            day = datetime.date(2015, 1, 1) + datetime.timedelta(days=demo.rng.randint(0, 5000))
            values = {
                "slug": f"demo-event-{number}",
                "name_en": name_en,
                "name_fr": name_fr,
                "summary_en": summary_en,
                "summary_fr": summary_fr,
                "kind": demo.rng.choice(EventKind.values),
                "start": day,
                "start_precision": "day",
                "end": day + datetime.timedelta(days=demo.rng.randint(0, 2)),
                "end_precision": "day",
                "city": city,
                "country": country,
                "series_id": demo.rng.choice(series),
                "status": "held" if day < datetime.date.today() else "announced",
            }
            if programmes and demo.rng.random() < 0.3:
                values["programme_id"] = demo.rng.choice(programmes)
            yield values, countries, sectors

    pks = demo.create(Event, rows())
    if organizations:
        demo.rows(
            EventRole,
            (
                {
                    "event_id": pk,
                    "organization_id": demo.rng.choice(organizations),
                    "role": demo.rng.choice(EventRoleKind.values),
                }
                for pk in pks
            ),
        )


make_events.extra_models = [EventSeries]  # demo series go with --delete
