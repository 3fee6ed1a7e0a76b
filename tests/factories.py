import factory

from ecosystem.core.models import Country, PublicationStatus, Sector, Source
from events.models import Event, EventRole, EventSeries, EventSeriesRole
from members.models import Membership, Organization
from opportunities.models import Opportunity, OpportunityRole
from programmes.models import Indicator, Programme, ProgrammeRole, Site


class CountryFactory(factory.django.DjangoModelFactory):
    code = "SN"
    region = "west_africa"

    class Meta:
        model = Country
        django_get_or_create = ["code"]


class SectorFactory(factory.django.DjangoModelFactory):
    slug = factory.Sequence(lambda n: f"sector-{n}")
    name_en = factory.Sequence(lambda n: f"Sector {n}")
    name_fr = factory.Sequence(lambda n: f"Secteur {n}")

    class Meta:
        model = Sector


class SourceFactory(factory.django.DjangoModelFactory):
    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Source document {n}")
    language = "en"
    document = "document.txt"

    class Meta:
        model = Source


class PublishableFactory(factory.django.DjangoModelFactory):
    slug = factory.Sequence(lambda n: f"record-{n}")
    name_en = factory.Sequence(lambda n: f"Record {n}")
    name_fr = factory.Sequence(lambda n: f"Fiche {n}")
    publication_status = PublicationStatus.PUBLISHED

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create and extracted:
            self.countries.set(extracted)

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create and extracted:
            self.sectors.set(extracted)

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create and extracted:
            self.sources.set(extracted)


class OrganizationFactory(PublishableFactory):
    slug = factory.Sequence(lambda n: f"organization-{n}")
    kind = "association"

    class Meta:
        model = Organization


class MembershipFactory(factory.django.DjangoModelFactory):
    member = factory.SubFactory(OrganizationFactory)
    organization = factory.SubFactory(OrganizationFactory)

    class Meta:
        model = Membership


class ProgrammeFactory(PublishableFactory):
    slug = factory.Sequence(lambda n: f"programme-{n}")

    class Meta:
        model = Programme


class ProgrammeRoleFactory(factory.django.DjangoModelFactory):
    programme = factory.SubFactory(ProgrammeFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "funding"

    class Meta:
        model = ProgrammeRole


class SiteFactory(factory.django.DjangoModelFactory):
    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Hub {n}")
    country = factory.SubFactory(CountryFactory)

    class Meta:
        model = Site


class IndicatorFactory(factory.django.DjangoModelFactory):
    programme = factory.SubFactory(ProgrammeFactory)
    label_en = factory.Sequence(lambda n: f"Figure {n}")
    label_fr = factory.Sequence(lambda n: f"Chiffre {n}")
    value = 100

    class Meta:
        model = Indicator


class EventSeriesFactory(PublishableFactory):
    slug = factory.Sequence(lambda n: f"series-{n}")
    name_en = factory.Sequence(lambda n: f"Series {n}")
    name_fr = factory.Sequence(lambda n: f"Série {n}")

    class Meta:
        model = EventSeries


class EventFactory(PublishableFactory):
    slug = factory.Sequence(lambda n: f"event-{n}")
    kind = "conference"
    start = factory.Faker("date_object")

    class Meta:
        model = Event


class EventSeriesRoleFactory(factory.django.DjangoModelFactory):
    series = factory.SubFactory(EventSeriesFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "delegation"

    class Meta:
        model = EventSeriesRole


class EventRoleFactory(factory.django.DjangoModelFactory):
    event = factory.SubFactory(EventFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "organizer"

    class Meta:
        model = EventRole


class OpportunityFactory(PublishableFactory):
    slug = factory.Sequence(lambda n: f"opportunity-{n}")
    kind = "call"

    class Meta:
        model = Opportunity


class OpportunityRoleFactory(factory.django.DjangoModelFactory):
    opportunity = factory.SubFactory(OpportunityFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "offerer"

    class Meta:
        model = OpportunityRole
