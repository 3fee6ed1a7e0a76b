"""Staff find a record in the admin by a name typed without its accents, by its acronym or
by its slug, in English and in French; the search reads the folded copy that the trigram
index serves, and the changelist costs the same whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Event, EventRole
from members.models import Membership, Organization
from programmes.models import Programme
from tests import factories
from tests.helpers import admin_url

pytestmark = pytest.mark.django_db

LANGUAGES = {"en": "Search", "fr": "Rechercher"}


@pytest.fixture(params=list(LANGUAGES))
def language(request, staff_client):
    # The admin is not under /fr/ or /en/: the browser's language chooses.
    staff_client.defaults["HTTP_ACCEPT_LANGUAGE"] = request.param
    return request.param


def found(staff_client, model, query):
    response = staff_client.get(admin_url(model, "changelist"), {"q": query})
    assert response.status_code == 200
    return sorted(record.slug for record in response.context["cl"].result_list)


@pytest.mark.parametrize(
    "query",
    ["senegal numerique", "Sénégal", "SÉNÉGAL NUM", "cote divoire", "côte d'ivoire", "SNN"],
)
def test_staff_find_a_record_by_its_name_without_accents_or_its_acronym(
    staff_client, language, query
):
    factories.OrganizationFactory(
        slug="sn-numerique",
        name_en="Digital Senegal",
        name_fr="Sénégal Numérique de la Côte d’Ivoire",
        acronym="SNN",
    )
    factories.OrganizationFactory(slug="other", name_en="Other", name_fr="Autre")
    response = staff_client.get(admin_url(Organization, "changelist"), {"q": query})
    assert f'<html lang="{language}"' in response.content.decode()
    assert LANGUAGES[language] in response.content.decode()
    assert found(staff_client, Organization, query) == ["sn-numerique"]


def test_staff_find_a_record_by_its_slug(staff_client, language):
    factories.ProgrammeFactory(slug="pnd-2019-xyz", name_en="National plan", name_fr="Plan")
    factories.ProgrammeFactory(slug="other", name_en="Other", name_fr="Autre")
    assert found(staff_client, Programme, "pnd-2019-xyz") == ["pnd-2019-xyz"]
    assert found(staff_client, Programme, "national") == ["pnd-2019-xyz"]
    assert found(staff_client, Programme, "nowhere") == []


def test_a_search_keeps_to_the_names_as_before(staff_client):
    # The folded text also holds countries and summaries: a record of Senegal, or one
    # whose summary names it, would bury the one named so.
    senegal = factories.CountryFactory(code="SN", name_en="Senegal", name_fr="Sénégal")
    factories.OrganizationFactory(slug="named", name_en="Senegal Hub", name_fr="Pôle Sénégal")
    factories.OrganizationFactory(slug="located", countries=[senegal])
    factories.OrganizationFactory(slug="summarized", summary_en="Works in Senegal.")
    assert found(staff_client, Organization, "senegal") == ["named"]


def test_every_word_must_match(staff_client):
    factories.EventFactory(slug="forum", name_en="Dakar digital forum", name_fr="Forum")
    factories.EventFactory(slug="fair", name_en="Dakar trade fair", name_fr="Foire")
    assert found(staff_client, Event, "dakar") == ["fair", "forum"]
    assert found(staff_client, Event, "dakar forum") == ["forum"]


def test_staff_find_a_role_or_membership_by_either_end_without_accents(staff_client):
    host = factories.OrganizationFactory(name_en="Thiès incubator", name_fr="Incubateur de Thiès")
    event = factories.EventFactory(name_en="Demo day", name_fr="Journée démo", acronym="JD")
    factories.EventRoleFactory(event=event, organization=host)
    factories.EventRoleFactory()
    factories.MembershipFactory(member=host)
    factories.MembershipFactory()
    for query in ("thies", "journee demo", "JD"):
        response = staff_client.get(admin_url(EventRole, "changelist"), {"q": query})
        assert [role.event for role in response.context["cl"].result_list] == [event]
    response = staff_client.get(admin_url(Membership, "changelist"), {"q": "THIES"})
    assert [m.member for m in response.context["cl"].result_list] == [host]


def changelist_queries(staff_client, model, params):
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(admin_url(model, "changelist"), params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [{}, {"q": "record"}], ids=["all", "search"])
def test_a_changelist_costs_the_same_with_ten_times_the_rows(staff_client, params):
    senegal = factories.CountryFactory(code="SN", name_en="Senegal", name_fr="Sénégal")

    def add(n):
        factories.OrganizationFactory.create_batch(n, countries=[senegal])

    add(3)
    few = changelist_queries(staff_client, Organization, params)
    add(27)
    many = changelist_queries(staff_client, Organization, params)
    assert few == many
    response = staff_client.get(admin_url(Organization, "changelist"), params)
    assert response.context["cl"].result_count == 30


def test_the_changelist_does_not_count_the_whole_table_beside_the_matches(staff_client):
    factories.OrganizationFactory(name_en="Dakar hub", name_fr="Pôle de Dakar")
    factories.OrganizationFactory.create_batch(3)
    with CaptureQueriesContext(connection) as queries:
        staff_client.get(admin_url(Organization, "changelist"), {"q": "dakar"})
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    # One count, of the matches only (the paginator's).
    assert len(counts) == 1
    assert "search_text" in counts[0]
