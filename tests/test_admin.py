"""Staff keep the directory current in the admin: every page loads, in a number of
queries that does not grow with the rows shown, and bad input is a message on the form."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from ecosystem.core.models import Country, PublicationStatus, Sector, Source
from events.models import Event, EventRole, EventSeries
from members.models import Membership, Organization
from programmes.models import Indicator, Programme, ProgrammeRole, Site
from tests import factories
from tests.helpers import admin_url

pytestmark = pytest.mark.django_db


def ecosystem(n=1):
    """n of every kind of record, all linked to each other."""
    senegal = factories.CountryFactory(code="SN")
    for i in range(n):
        sector = factories.SectorFactory()
        source = factories.SourceFactory()
        funder, implementer = factories.OrganizationFactory.create_batch(
            2, countries=[senegal], sectors=[sector], hq_country=senegal
        )
        factories.MembershipFactory(member=implementer, organization=funder)
        programme = factories.ProgrammeFactory(
            countries=[senegal], sectors=[sector], parent=None, start=datetime.date(2021, 7, 1)
        )
        programme.sources.add(source)
        factories.ProgrammeRoleFactory(programme=programme, organization=funder)
        factories.SiteFactory(programme=programme, host=implementer, country=senegal)
        factories.IndicatorFactory(programme=programme, source=source)
        event = factories.EventFactory(
            countries=[senegal],
            programme=programme,
            series=factories.EventSeriesFactory(),
            country=senegal,
        )
        factories.EventRoleFactory(event=event, organization=implementer)
        factories.CountryFactory(code=["ML", "BF", "TD", "CI", "GH"][i], region="west_africa")


# model: (changelist, add, change) query counts for a superuser (the changelist counts
# the rows it lists, not also the whole table: show_full_result_count); each includes the
# three that push the staff session's idle expiry back (SESSION_SAVE_EVERY_REQUEST).
PAGES = {
    Country: (7, 6, 6),
    Sector: (8, 6, 6),
    Source: (10, 6, 6),
    Organization: (11, 6, 17),
    Membership: (8, 6, 10),
    Programme: (14, 6, 22),  # its change form: one query more for its contacts
    ProgrammeRole: (8, 6, 10),
    Site: (11, 6, 9),
    Indicator: (8, 6, 8),
    EventSeries: (10, 6, 10),
    Event: (13, 6, 17),
    EventRole: (8, 6, 10),
}


@pytest.mark.parametrize("rows", [1, 4])
@pytest.mark.parametrize("model", PAGES, ids=lambda model: model.__name__)
def test_every_admin_page_loads_in_a_fixed_number_of_queries(
    model, rows, staff_client, django_assert_num_queries
):
    ecosystem(rows)
    changelist, add, change = PAGES[model]
    with django_assert_num_queries(changelist):
        response = staff_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == model.objects.count() >= rows
    with django_assert_num_queries(add):
        assert staff_client.get(admin_url(model, "add")).status_code == 200
    change_url = admin_url(model, "change", model.objects.first().pk)
    with django_assert_num_queries(change):
        assert staff_client.get(change_url).status_code == 200


def test_staff_find_an_organization_by_its_french_name(staff_client):
    factories.OrganizationFactory(slug="itc", name_en="Trade Centre", name_fr="Centre du commerce")
    factories.OrganizationFactory(slug="other", name_en="Other", name_fr="Autre")
    response = staff_client.get(admin_url(Organization, "changelist"), {"q": "commerce"})
    assert [o.slug for o in response.context["cl"].result_list] == ["itc"]


def test_staff_filter_programmes_by_country(staff_client):
    mali = factories.CountryFactory(code="ML", region="west_africa")
    factories.ProgrammeFactory(name_en="In Mali", countries=[mali])
    factories.ProgrammeFactory(name_en="Elsewhere")
    response = staff_client.get(
        admin_url(Programme, "changelist"), {"countries__code__exact": "ML"}
    )
    assert [p.name_en for p in response.context["cl"].result_list] == ["In Mali"]


def test_staff_create_a_programme_with_its_roles(staff_client):
    senegal = factories.CountryFactory(code="SN")
    itc = factories.OrganizationFactory(slug="itc")
    data = {
        "name_en": "Trust fund",
        "name_fr": "Fonds fiduciaire",
        "slug": "trust-fund",
        "publication_status": "draft",
        "start": "2021-07-01",
        "start_precision": "month",
        "end": "2025-06-01",
        "end_precision": "month",
        "budget_qualifier": "exact",
        "existence": "confirmed",
        "reported_status": "dates",
        "countries": [senegal.pk],
        **inline_management("roles", 1),
        "roles-0-organization": itc.pk,
        "roles-0-role": "implementing",
        **inline_management("sites", 0),
        **inline_management("contacts", 0),
        **inline_management("indicators", 0),
    }
    response = staff_client.post(admin_url(Programme, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    programme = Programme.objects.get(slug="trust-fund")
    assert programme.end == datetime.date(2025, 6, 30)
    assert programme.period == "juillet 2021 – juin 2025"
    assert programme.roles.get().organization == itc


def inline_management(prefix, total):
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": 0,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def test_an_end_before_the_start_is_a_message_not_a_crash(staff_client):
    data = {
        "name_en": "Backwards",
        "name_fr": "À rebours",
        "slug": "backwards",
        "publication_status": "draft",
        "start": "2023-01-01",
        "start_precision": "year",
        "end": "2018-01-01",
        "end_precision": "year",
        "budget_qualifier": "exact",
        **inline_management("roles", 0),
        **inline_management("sites", 0),
        **inline_management("indicators", 0),
    }
    response = staff_client.post(admin_url(Programme, "add"), data)
    assert response.status_code == 200
    assert "La fin ne peut pas précéder le début." in response.content.decode()
    assert not Programme.objects.exists()


def test_a_duplicate_slug_is_a_message_not_a_crash(staff_client):
    factories.OrganizationFactory(slug="optic")
    data = {
        "name_en": "OPTIC",
        "name_fr": "OPTIC",
        "slug": "optic",
        "kind": "association",
        "publication_status": "draft",
        **inline_management("memberships", 0),
        **inline_management("members", 0),
    }
    response = staff_client.post(admin_url(Organization, "add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["slug"]


def test_publish_and_unpublish_in_bulk(staff_client):
    drafts = factories.OrganizationFactory.create_batch(
        2, publication_status="draft", sources=[factories.SourceFactory()]
    )
    unsourced = factories.OrganizationFactory(publication_status="draft", name_fr="Sans source")
    response = staff_client.post(
        admin_url(Organization, "changelist"),
        {"action": "publish", "_selected_action": [o.pk for o in [*drafts, unsourced]]},
        follow=True,
    )
    page = response.content.decode()
    assert "2 fiches publiées." in page
    assert "Non publiée, faute de source citée : Sans source." in page
    assert Organization.objects.published().count() == 2
    assert Organization.objects.get(pk=unsourced.pk).publication_status == "draft"
    staff_client.post(
        admin_url(Organization, "changelist"),
        {"action": "unpublish", "_selected_action": [drafts[0].pk]},
    )
    assert Organization.objects.get(pk=drafts[0].pk).publication_status == PublicationStatus.DRAFT


def test_view_on_site_opens_the_public_page(staff_client):
    organization = factories.OrganizationFactory(slug="optic", name_fr="Organisation OPTIC")
    content_type = ContentType.objects.get_for_model(Organization)
    link = reverse("admin:view_on_site", args=[content_type.pk, organization.pk])
    assert (
        link
        in staff_client.get(admin_url(Organization, "change", organization.pk)).content.decode()
    )
    response = staff_client.get(link, follow=True)
    assert response.redirect_chain[-1][0].endswith("/fr/organisations/optic/")
    assert "<h1>Organisation OPTIC" in response.content.decode()


def test_bulk_publishing_counts_as_an_update(staff_client, db):
    draft = factories.OrganizationFactory(
        publication_status="draft", sources=[factories.SourceFactory()]
    )
    before = draft.updated
    staff_client.post(
        reverse("admin:members_organization_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.updated > before
