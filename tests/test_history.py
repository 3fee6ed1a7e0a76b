"""Every change keeps who, when, why and the values before and after; staff revert a
record to any version with its relations, and bring deleted records back."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from ecosystem.core import history
from ecosystem.core.models import Country, Sector, Source
from events.models import Event
from members.models import Organization
from programmes.models import Programme, ProgrammeRole
from tests import factories
from tests.helpers import admin_url, edit, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(db):
    """A published programme with two countries, a source, a role, a site and an event."""
    senegal = factories.CountryFactory(code="SN")
    mali = factories.CountryFactory(code="ML")
    programme = factories.ProgrammeFactory(
        slug="ntf-v",
        name_en="Trust fund",
        name_fr="Fonds fiduciaire",
        countries=[senegal, mali],
        sources=[factories.SourceFactory()],
        start=datetime.date(2021, 7, 1),
    )
    factories.ProgrammeRoleFactory(
        programme=programme, organization=factories.OrganizationFactory(slug="itc"), role="funding"
    )
    factories.SiteFactory(programme=programme, country=senegal, name="Dakar hub")
    factories.IndicatorFactory(programme=programme)
    factories.EventFactory(slug="sipen", programme=programme)
    programme.save()  # a version with its relations, as the admin writes one
    return programme


def versions(record):
    return list(record.history.all())


def test_a_form_edit_is_one_version_with_old_and_new_values(staff_client, programme):
    before = len(versions(programme))
    edit(staff_client, programme, name_en="Netherlands Trust Fund V", countries=["SN"])
    latest, previous = versions(programme)[:2]
    assert len(versions(programme)) == before + 1  # the countries are in the same version
    assert latest.history_user.username == "staff"
    assert latest.history_change_reason == "admin-form"
    changes = {change.field: change for change in latest.diff_against(previous).changes}
    assert (changes["name_en"].old, changes["name_en"].new) == (
        "Trust fund",
        "Netherlands Trust Fund V",
    )
    assert [row["country"] for row in changes["countries"].new] == ["SN"]


def test_an_inline_edit_keeps_its_reason_and_values(staff_client, programme):
    itc = Organization.objects.get(slug="itc")
    edit(staff_client, programme, **{"roles-0-role": "implementing"})
    role = ProgrammeRole.objects.get(programme=programme, organization=itc)
    latest, previous = versions(role)[:2]
    assert latest.history_change_reason == "admin-inline"
    assert (previous.role, latest.role) == ("funding", "implementing")


def test_a_bulk_action_is_in_the_history_with_its_reason(staff_client, programme):
    updated = programme.updated
    staff_client.post(
        admin_url(Programme, "changelist"),
        {"action": "archive", "_selected_action": [programme.pk]},
    )
    latest = versions(programme)[0]
    assert latest.history_change_reason == "bulk-action archived"
    assert latest.publication_status == "archived"
    assert latest.history_user.username == "staff"
    assert Programme.objects.get(pk=programme.pk).updated > updated


def test_a_save_from_the_shell_is_in_the_history(programme):
    programme.acronym = "NTF V"
    programme.save()
    latest = versions(programme)[0]
    assert (latest.acronym, latest.history_change_reason, latest.history_user) == (
        "NTF V",
        "shell",
        None,
    )


@pytest.mark.parametrize(
    ("language", "reason", "changed", "intro"),
    [
        ("en", "admin form", "Name (English)", "Each version lists what changed."),
        ("fr", "formulaire de l’admin", "Nom (anglais)", "Chaque version indique ce qui a changé."),
    ],
)
def test_the_history_page_lists_versions_with_their_changes(
    staff_client, programme, language, reason, changed, intro
):
    edit(staff_client, programme, name_en="Netherlands Trust Fund V")
    page = staff_client.get(
        admin_url(Programme, "history", programme.pk), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert intro in page and reason in page
    assert f"<strong>{changed}</strong>: Trust fund → Netherlands Trust Fund V" in page
    assert admin_url(Programme, "revert", programme.pk, versions(programme)[1].history_id) in page


def test_revert_brings_back_values_countries_and_roles(staff_client, programme):
    target = versions(programme)[0]
    itc = Organization.objects.get(slug="itc")
    edit(
        staff_client,
        programme,
        name_en="Renamed",
        countries=["SN"],
        **{"roles-0-DELETE": "on", "sites-0-name": "Thiès hub"},
    )
    assert not programme.roles.exists()
    url = admin_url(Programme, "revert", programme.pk, target.history_id)
    confirmation = staff_client.get(url).content.decode()
    assert "Renamed" in confirmation and "Trust fund" in confirmation
    assert "Mali" in confirmation  # the countries it will get back
    response = staff_client.post(url)
    assert response.status_code == 302
    programme = Programme.objects.get(pk=programme.pk)
    assert programme.name_en == "Trust fund"
    assert set(programme.countries.values_list("code", flat=True)) == {"SN", "ML"}
    assert list(programme.roles.values_list("organization", "role")) == [(itc.pk, "funding")]
    assert list(programme.sites.values_list("name", flat=True)) == ["Dakar hub"]
    when = timezone.localtime(target.history_date)
    assert versions(programme)[0].history_change_reason == f"revert {when:%Y-%m-%d %H:%M}"
    # The revert is a version of its own: the renamed state can come back in turn.
    assert versions(programme)[1].name_en == "Renamed"


def test_a_revert_that_cannot_stand_is_a_message(staff_client, programme):
    first = versions(programme)[0]
    edit(staff_client, programme, slug="ntf-5")
    factories.ProgrammeFactory(slug="ntf-v")  # the old slug is taken since
    response = staff_client.post(
        admin_url(Programme, "revert", programme.pk, first.history_id),
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "Slug: Programme with this Slug already exists." in response.content.decode()
    assert Programme.objects.get(pk=programme.pk).slug == "ntf-5"


def test_a_version_pointing_at_a_deleted_record_is_a_message(staff_client, programme):
    event = Event.objects.get(slug="sipen")
    first = versions(event)[0]
    event.programme = None
    event.save()
    programme.delete()
    response = staff_client.post(
        admin_url(Event, "revert", event.pk, first.history_id),
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "These related records no longer exist: programme." in response.content.decode()


def test_a_deleted_record_comes_back_with_its_relations(staff_client, programme):
    pk, created = programme.pk, programme.created
    response = staff_client.post(admin_url(Programme, "delete", pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Programme.objects.filter(pk=pk).exists()
    assert Event.objects.get(slug="sipen").programme is None
    listing = staff_client.get(
        admin_url(Programme, "deleted"), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Trust fund" in listing and "deleted in the admin" in listing
    response = staff_client.post(admin_url(Programme, "restore", pk))
    assert response.status_code == 302
    programme = Programme.objects.get(pk=pk)
    assert (programme.slug, programme.created) == ("ntf-v", created)
    assert set(programme.countries.values_list("code", flat=True)) == {"SN", "ML"}
    assert programme.sources.count() == 1
    assert programme.roles.get().organization.slug == "itc"
    assert programme.sites.get().name == "Dakar hub"
    assert programme.indicators.count() == 1
    assert Event.objects.get(slug="sipen").programme == programme
    assert "Trust fund" not in staff_client.get(admin_url(Programme, "deleted")).content.decode()


def test_restoring_twice_is_a_message(staff_client, programme):
    pk = programme.pk
    staff_client.post(admin_url(Programme, "delete", pk), {"post": "yes"})
    staff_client.post(admin_url(Programme, "restore", pk))
    response = staff_client.post(admin_url(Programme, "restore", pk), follow=True)
    assert "Cette fiche n’est pas supprimée." in response.content.decode()


def test_a_country_deleted_in_bulk_is_restored(staff_client):
    factories.CountryFactory(code="NE")
    staff_client.post(
        admin_url(Country, "changelist"),
        {"action": "delete_selected", "_selected_action": ["NE"], "post": "yes"},
    )
    assert not Country.objects.filter(code="NE").exists()
    assert Country.history.first().history_change_reason == "bulk-action delete"
    staff_client.post(admin_url(Country, "restore", "NE"))
    assert Country.objects.get(code="NE").name_en == "Niger"


# Rules that keep records true ---------------------------------------------------------


def test_a_record_without_a_source_cannot_be_published(staff_client, programme):
    url = admin_url(Programme, "change", programme.pk)
    data = {**form_data(staff_client.get(url)), "sources": []}
    response = staff_client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "A published record cites at least one source" in response.content.decode()
    data["publication_status"] = "draft"
    assert staff_client.post(url, data).status_code == 302


def test_a_founding_year_in_the_future_is_refused(staff_client):
    organization = factories.OrganizationFactory(sources=[factories.SourceFactory()])
    url = admin_url(Organization, "change", organization.pk)
    next_year = datetime.date.today().year + 1
    data = {**form_data(staff_client.get(url)), "founded": next_year}
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "L’année de fondation ne peut pas être dans le futur." in response.content.decode()


def test_an_event_cannot_be_held_before_it_starts(staff_client):
    event = factories.EventFactory(
        start=datetime.date.today() + datetime.timedelta(days=30),
        status="announced",
        sources=[factories.SourceFactory()],
    )
    url = admin_url(Event, "change", event.pk)
    data = {**form_data(staff_client.get(url)), "status": "held"}
    response = staff_client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "An event cannot be marked held before it has started." in response.content.decode()


def test_records_from_before_the_history_get_a_first_version_on_migrate(db):
    senegal = factories.CountryFactory(code="SN")
    programme = factories.ProgrammeFactory(countries=[senegal])
    programme.history.all().delete()  # as if it predated the history
    Country.history.all().delete()
    call_command("migrate", verbosity=0)
    (version,) = versions(programme)
    assert (version.history_type, version.history_change_reason) == ("+", "baseline")
    assert [row.country_id for row in version.countries.all()] == ["SN"]
    assert Country.history.get().code == "SN"
    call_command("migrate", verbosity=0)
    assert len(versions(programme)) == 1  # once


# What a review found ------------------------------------------------------------------


def test_reverting_an_organization_leaves_other_records_roles_alone(staff_client, programme):
    itc = Organization.objects.get(slug="itc")
    itc.sources.add(factories.SourceFactory())
    first = versions(itc)[0]
    partner = factories.OrganizationFactory(slug="partner")
    factories.MembershipFactory(member=itc, organization=partner)  # the organization's own
    edit(staff_client, itc, acronym="ITCX")
    staff_client.post(admin_url(Organization, "revert", itc.pk, first.history_id))
    itc.refresh_from_db()
    assert itc.acronym == ""
    assert itc.programme_roles.count() == 1  # the programme's row, not the organization's
    assert not itc.memberships.exists()  # its own rows go back to how they were


def test_the_revert_plan_shows_what_is_there_now(staff_client, programme):
    first = versions(programme)[0]
    edit(staff_client, programme, **{"roles-0-role": "implementing"})
    edit(staff_client, programme, **{"roles-0-role": "partner"})
    with translation.override("en"):
        plan = {str(what): (now, then) for what, now, then in history.revert_plan(programme, first)}
    now, then = plan["programme roles"]
    assert "partner" in now and "funder" in then


def test_a_source_deleted_since_is_left_out_of_a_revert(staff_client, programme):
    first = versions(programme)[0]
    kept = factories.SourceFactory()
    edit(staff_client, programme, sources=[kept.pk])
    Source.objects.exclude(pk=kept.pk).delete()  # the version's own source
    factories.SourceFactory()
    programme.sources.add(kept)
    response = staff_client.post(
        admin_url(Programme, "revert", programme.pk, first.history_id),
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "none of its sources exists any more" in response.content.decode()
    assert list(programme.sources.all()) == [kept]  # nothing changed


def test_a_deleted_sector_comes_back_with_its_records_links(staff_client, programme):
    sector = factories.SectorFactory(slug="agritech")
    programme.sectors.add(sector)
    staff_client.post(admin_url(Sector, "delete", sector.pk), {"post": "yes"})
    assert not programme.sectors.exists()
    assert versions(programme)[0].history_change_reason == "admin-delete"  # in its history
    staff_client.post(admin_url(Sector, "restore", sector.pk))
    assert list(programme.sectors.values_list("slug", flat=True)) == ["agritech"]


def test_a_malformed_restore_address_is_a_404(staff_client):
    assert staff_client.post("/admin/members/organization/deleted/abc/restore/").status_code == 404


def test_the_history_page_shows_the_rows_changed_with_a_version(staff_client, programme):
    edit(staff_client, programme, **{"roles-0-role": "implementing"})
    page = staff_client.get(
        admin_url(Programme, "history", programme.pk), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "<strong>Programme roles</strong>:" in page
    assert "funder – Trust fund → " in page and "implementer – Trust fund" in page


def test_once_a_history_has_begun_migrate_adds_no_first_versions(db):
    factories.CountryFactory(code="SN")
    Country.objects.create(code="ML", region="west_africa")
    Country.history.filter(code="ML").delete()  # written in bulk, like demo data
    call_command("migrate", verbosity=0)
    assert not Country.history.filter(code="ML").exists()


def test_a_bulk_action_reason_reads_in_french(staff_client, programme):
    staff_client.post(
        admin_url(Programme, "changelist"),
        {"action": "archive", "_selected_action": [programme.pk]},
    )
    page = staff_client.get(admin_url(Programme, "history", programme.pk)).content.decode()
    assert "action groupée : archivée" in page or "action groupée : archivé" in page
    assert "archived" not in page
