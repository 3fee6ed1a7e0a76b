"""Synthetic demo data, to measure the directory at the size it must reach (a million
SMEs). Every demo record is published, cites the source "Synthetic demo data" and has a
slug starting with "demo-", so that it is never mistaken for the real ecosystem and goes
away with `generate_demo_data --delete`. The apps make their own records (registry's
demo sections) with the helpers here: bulk inserts in batches, with the search and sort
copies and the countries, sectors and source links written alongside. Demo records get
no history: they were never anyone's work.
"""

import random
from collections import Counter
from itertools import islice

from django.db import models, transaction

from ecosystem.core.history import cascade_relations
from ecosystem.core.models import Country, PublicationStatus, Publishable, Sector, Source
from ecosystem.core.registry import registry

SOURCE_SLUG = "synthetic-demo-data"
PREFIX = "demo-"
BATCH = 2000

# A few real places per country, so that demo records read like the region's.
CITIES = {
    "SN": ["Dakar", "Thiès", "Saint-Louis", "Ziguinchor", "Kaolack", "Touba", "Mbour"],
    "ML": ["Bamako", "Sikasso", "Ségou", "Mopti", "Kayes"],
    "BF": ["Ouagadougou", "Bobo-Dioulasso", "Koudougou", "Banfora"],
    "CI": ["Abidjan", "Bouaké", "Yamoussoukro", "San-Pédro"],
    "TD": ["N’Djamena", "Moundou", "Abéché"],
    "BJ": ["Cotonou", "Porto-Novo", "Parakou"],
    "GH": ["Accra", "Kumasi", "Tamale"],
    "NE": ["Niamey", "Zinder", "Maradi"],
    "GN": ["Conakry", "Kankan"],
    "TG": ["Lomé", "Kara"],
}
PLACES = ["Teranga", "Sahel", "Baobab", "Kora", "Djoliba", "Faso", "Atlantique", "Savane"]
WORDS = [
    ("Digital Solutions", "Solutions numériques"),
    ("AgriTech", "AgriTech"),
    ("Food Processing", "Transformation alimentaire"),
    ("Data Services", "Services de données"),
    ("Software", "Logiciels"),
    ("Mobile Payments", "Paiement mobile"),
    ("Cashew Export", "Export de cajou"),
    ("Shea Products", "Produits du karité"),
    ("Solar Irrigation", "Irrigation solaire"),
    ("IT Training", "Formation informatique"),
    ("Cloud Services", "Services cloud"),
    ("Dairy", "Laiterie"),
]


class DemoError(Exception):
    """Demo data cannot be made or removed; the message says why."""


def batched(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


class Demo:
    """What every app's demo maker shares: a seeded random source, the countries and
    sectors in the data, the demo source, names, and bulk creation."""

    def __init__(self, seed=2026, tick=lambda count: None):
        self.rng = random.Random(seed)
        self.tick = tick
        self.counts = Counter()
        self.countries = list(Country.objects.all())
        self.sectors = list(Sector.objects.all())
        if not self.countries or not self.sectors:
            raise DemoError("No countries or sectors yet: run seed_ecosystem first.")
        self.source = Source.objects.filter(slug=SOURCE_SLUG).first() or self.save(
            Source(
                slug=SOURCE_SLUG,
                title="Synthetic demo data (not real records)",
                publisher="generate_demo_data",
                language="en",
                document="generate_demo_data",
            )
        )

    # Choices ---------------------------------------------------------------------------

    def some(self, items, most=3):
        return self.rng.sample(items, self.rng.randint(1, min(most, len(items))))

    def city(self, country):
        return self.rng.choice(CITIES.get(country.code) or [country.name_en])

    def name(self, kind_en, kind_fr=""):
        """("Teranga Digital Solutions", "Solutions numériques Teranga") with a kind."""
        place = self.rng.choice(PLACES)
        english, french = self.rng.choice(WORDS)
        return (
            f"{place} {english} {kind_en}".strip(),
            f"{french} {place} {kind_fr}".strip(),
        )

    def summaries(self, subject_en, subject_fr, city, sectors):
        sector = sectors[0]
        return (
            f"{subject_en} in {city}, working in {sector.name_en.lower()}.",
            f"{subject_fr} à {city}, dans le secteur {sector.name_fr.lower()}.",
        )

    def save(self, record):
        """One demo record saved without a version in the history (a source, a series)."""
        record.save_without_historical_record()
        return record

    def next_number(self, model):
        """Demo slugs go on from the last run: demo-sme-1000001 after a million."""
        return model.objects.filter(slug__startswith=PREFIX).count() + 1

    # Writing ---------------------------------------------------------------------------

    def create(self, model, rows, label=None):
        """Create `model` records from `rows` of (values, countries, sectors) in batches,
        published, citing the demo source, with their derived copies and links.
        Returns their primary keys, in order."""
        pks = []
        for batch in batched(rows, BATCH):
            records = []
            for values, countries, sectors in batch:
                record = model(**values)
                if isinstance(record, Publishable):
                    record.publication_status = PublicationStatus.PUBLISHED
                    for name, value in record.derived_values(countries, sectors).items():
                        setattr(record, name, value)
                records.append((record, countries, sectors))
            with transaction.atomic():
                model.objects.bulk_create([record for record, _c, _s in records])
                if issubclass(model, Publishable):
                    self.link(model, "countries", [(r.pk, c) for r, cs, _s in records for c in cs])
                    self.link(model, "sectors", [(r.pk, s) for r, _c, ss in records for s in ss])
                    self.link(model, "sources", [(r.pk, self.source) for r, _c, _s in records])
            pks += [record.pk for record, _c, _s in records]
            self.tick(len(batch))
            self.counts[str(label or model._meta.verbose_name_plural)] += len(batch)
        return pks

    def rows(self, model, rows):
        """Rows a record owns (roles, sites, figures, memberships), in batches."""
        for batch in batched(rows, BATCH * 5):
            model.objects.bulk_create([model(**values) for values in batch])
            self.counts[str(model._meta.verbose_name_plural)] += len(batch)

    def link(self, model, name, pairs):
        field = model._meta.get_field(name)
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        through.objects.bulk_create(
            [through(**{f"{source}_id": pk, f"{target}_id": other.pk}) for pk, other in pairs],
            batch_size=BATCH * 5,
        )


def delete():
    """Remove every demo record with what it owns and its links; real records that
    pointed at one (an event's programme) lose the link. Returns {kind: count}."""
    source = Source.objects.filter(slug=SOURCE_SLUG).first()
    if source is None:
        return {}
    counts = Counter()
    # The last registered types first: events point at programmes, programmes at
    # organizations.
    models_in_order = list(dict.fromkeys(t.model for t in registry))[::-1]
    with transaction.atomic():
        for model in models_in_order:
            # By slug, which stays while the links (the demo source's among them) go.
            ids = model.objects.filter(slug__startswith=PREFIX).values("pk")
            counts[str(model._meta.verbose_name_plural)] += _delete_records(model, ids)
        for model in extra_demo_models():
            counts[str(model._meta.verbose_name_plural)] += _raw_delete(
                model.objects.filter(slug__startswith=PREFIX)
            )
        _raw_delete(Source.objects.filter(pk=source.pk))
    return {kind: count for kind, count in counts.items() if count}


def extra_demo_models():
    """Models with demo rows that are not record types (event series): their slugs."""
    return [
        model
        for section in registry.demo_sections
        for model in getattr(section.make, "extra_models", [])
    ]


def _delete_records(model, ids):
    # Bulk deletes without signals: demo records have no history to keep, and a signal
    # per row would take hours at a million.
    for child, foreign_key in cascade_relations(model):
        _raw_delete(child.objects.filter(**{f"{foreign_key.name}__in": ids}))
    for relation in model._meta.related_objects:
        if relation.one_to_many and relation.on_delete is models.SET_NULL:
            relation.related_model.objects.filter(**{f"{relation.field.name}__in": ids}).update(
                **{relation.field.name: None}
            )
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        _raw_delete(through.objects.filter(**{f"{field.m2m_field_name()}__in": ids}))
    return _raw_delete(model.objects.filter(pk__in=ids))


def _raw_delete(queryset):
    """DELETE ... WHERE ..., in one statement, without loading the rows (Django's own
    fast path, which it takes when no signal listens)."""
    return queryset._raw_delete(queryset.db)
