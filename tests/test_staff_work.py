"""The issue's test as a staff member lives it: edit, add relations, archive, publish in
bulk and delete in the admin; start the site again (`make run` migrates and seeds);
nothing of theirs is lost, and every change is listed with its old and new values."""

from django.core.management import call_command

from events.models import Event
from members.models import Organization
from programmes.models import Programme
from tests import factories
from tests.helpers import admin_url, database_rows, edit


def test_staff_work_survives_make_run(seeded, staff_client):
    itc = Organization.objects.get(slug="itc")
    edit(staff_client, itc, acronym="CCI", hq_city="Genève")
    ntf_v = Programme.objects.get(slug="ntf-v")
    asepex = Organization.objects.get(slug="asepex")
    edit(
        staff_client,
        ntf_v,
        countries=[*ntf_v.countries.values_list("code", flat=True), "TD"],
        **{
            "roles-TOTAL_FORMS": ntf_v.roles.count() + 1,
            f"roles-{ntf_v.roles.count()}-organization": asepex.pk,
            f"roles-{ntf_v.roles.count()}-role": "partner",
        },
    )
    staff_client.post(
        admin_url(Organization, "changelist"),
        {"action": "archive", "_selected_action": [Organization.objects.get(slug="apep").pk]},
    )
    drafts = factories.OrganizationFactory.create_batch(
        2, publication_status="draft", sources=[itc.sources.first()]
    )
    staff_client.post(
        admin_url(Organization, "changelist"),
        {"action": "publish", "_selected_action": [draft.pk for draft in drafts]},
    )
    event = Event.objects.get(slug="elgazala-technopark-study-visit-2017")
    staff_client.post(admin_url(Event, "delete", event.pk), {"post": "yes"})

    before = database_rows()
    call_command("migrate", verbosity=0)  # what `make run` does on every start
    call_command("seed_ecosystem", verbosity=0)
    assert database_rows() == before

    itc.refresh_from_db()
    assert (itc.acronym, itc.hq_city) == ("CCI", "Genève")
    assert ntf_v.roles.filter(organization=asepex, role="partner").exists()
    assert Organization.objects.get(slug="apep").publication_status == "archived"
    assert not Event.objects.filter(slug=event.slug).exists()
    # Every change is listed with its old and new values.
    page = staff_client.get(
        admin_url(Organization, "history", itc.pk), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "<strong>Acronym</strong>: ITC → CCI" in page
    assert "<strong>Headquarters city</strong>: Geneva → Genève" in page
    assert "seed: ecosystem.yaml" in page  # the first version, and who made it
