"""The rules that must hold live in the database as named constraints: even a write that
skips the forms cannot break them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from programmes.models import Programme
from tests import factories

pytestmark = pytest.mark.django_db


def rejected(constraint_name, make):
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        make()
    # SQLite names CHECK constraints in its message; PostgreSQL names them all.
    message = str(error.value)
    if "UNIQUE" not in message:
        assert constraint_name in message


def test_slugs_are_unique():
    factories.OrganizationFactory(slug="optic")
    rejected("unique_slug", lambda: factories.OrganizationFactory(slug="optic"))
    factories.ProgrammeFactory(slug="ntf-v")
    rejected("unique_slug", lambda: factories.ProgrammeFactory(slug="ntf-v"))
    factories.EventFactory(slug="sipen")
    rejected("unique_slug", lambda: factories.EventFactory(slug="sipen"))


def test_an_end_cannot_come_before_its_start():
    rejected(
        "programmes_programme_end_not_before_start",
        lambda: factories.ProgrammeFactory(
            start=datetime.date(2023, 1, 1), end=datetime.date(2018, 1, 1)
        ),
    )
    rejected(
        "events_event_end_not_before_start",
        lambda: factories.EventFactory(
            start=datetime.date(2018, 7, 5), end=datetime.date(2018, 7, 4)
        ),
    )


def test_a_same_year_period_is_allowed_whatever_the_days_entered():
    # "2021" to "2021": stored as 1 January to 31 December.
    programme = factories.ProgrammeFactory(
        start=datetime.date(2021, 6, 1),
        start_precision="year",
        end=datetime.date(2021, 3, 1),
        end_precision="year",
    )
    programme.refresh_from_db()
    assert (programme.start, programme.end) == (
        datetime.date(2021, 1, 1),
        datetime.date(2021, 12, 31),
    )


def test_budgets_and_indicator_values_are_not_negative():
    rejected(
        "programme_budget_not_negative",
        lambda: factories.ProgrammeFactory(budget_amount=-1, budget_currency="EUR"),
    )
    rejected("indicator_value_not_negative", lambda: factories.IndicatorFactory(value=-5))


def test_a_budget_needs_a_currency():
    rejected(
        "programme_budget_has_currency", lambda: factories.ProgrammeFactory(budget_amount=1000)
    )


def test_an_organization_has_each_role_once_per_programme():
    role = factories.ProgrammeRoleFactory(role="funding")
    rejected(
        "programme_role_unique",
        lambda: factories.ProgrammeRoleFactory(
            programme=role.programme, organization=role.organization, role="funding"
        ),
    )
    # The same organization may hold another role in the same programme.
    factories.ProgrammeRoleFactory(
        programme=role.programme, organization=role.organization, role="implementing"
    )
    event_role = factories.EventRoleFactory(role="organizer")
    rejected(
        "event_role_unique",
        lambda: factories.EventRoleFactory(
            event=event_role.event, organization=event_role.organization, role="organizer"
        ),
    )


def test_an_organization_is_not_its_own_member():
    organization = factories.OrganizationFactory()
    rejected(
        "membership_not_of_itself",
        lambda: factories.MembershipFactory(member=organization, organization=organization),
    )


def test_site_coordinates_are_on_earth_and_come_in_pairs():
    rejected("site_coordinates_valid", lambda: factories.SiteFactory(latitude=95, longitude=0))
    rejected("site_coordinates_valid", lambda: factories.SiteFactory(latitude=12.6))


def test_a_founding_year_is_plausible():
    rejected("organization_founded_plausible", lambda: factories.OrganizationFactory(founded=0))


def test_validation_explains_the_error_in_words():
    programme = Programme(
        slug="late",
        name_en="Late",
        name_fr="En retard",
        start=datetime.date(2023, 1, 1),
        end=datetime.date(2018, 1, 1),
    )
    with translation.override("en"), pytest.raises(ValidationError) as error:
        programme.full_clean()
    assert "The end cannot be before the start." in str(error.value)
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        programme.full_clean()
    assert "La fin ne peut pas précéder le début." in str(error.value)


@translation.override("en")
def test_sectors_are_two_levels_deep(world):
    grandchild = factories.SectorFactory.build(slug="deep", parent=world["it-bpo"])
    with pytest.raises(ValidationError, match="sub-sector cannot have sub-sectors"):
        grandchild.full_clean()
    world["digital"].parent = world["agrifood"]
    with pytest.raises(ValidationError, match="has sub-sectors"):
        world["digital"].full_clean()
