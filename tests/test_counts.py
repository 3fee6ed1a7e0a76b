"""The counts per country and sector are kept in a table and recounted where a record
changes: after any change, they equal a count made from nothing."""

import pytest
from django.core.management import call_command

from ecosystem.core import counts
from ecosystem.core.counts import HubCount
from programmes.models import Programme
from tests import factories
from tests.helpers import admin_url, edit, html

pytestmark = pytest.mark.django_db


def kept():
    return sorted(HubCount.objects.values_list("record_type", "hub_kind", "hub", "count"))


def assert_exact():
    before = kept()
    counts.recount()
    assert kept() == before


def test_the_world_is_counted_exactly(world):
    assert_exact()
    assert ("programmes", "country", "SN", 3) in kept()


def test_every_kind_of_change_is_recounted(world):
    active, sme = world["active"], world["sme"]
    active.countries.add(world["BF"])
    assert_exact()
    active.sectors.clear()
    assert_exact()
    world["it-bpo"].programmes.add(active)  # from the sector's side
    assert_exact()
    active.publication_status = "archived"
    active.save()
    assert_exact()
    world["SN"].organizations.remove(sme)
    assert_exact()
    world["SN"].organizations.clear()
    assert_exact()
    world["phase"].delete()
    assert_exact()
    world["it-bpo"].parent = None  # a sub-sector becomes a main sector
    world["it-bpo"].save()
    assert_exact()
    world["ML"].delete()
    assert_exact()
    world["agrifood"].delete()
    assert_exact()


def test_an_admin_form_and_a_bulk_action_are_recounted(staff_client, world):
    draft = Programme.objects.get(slug="draft-programme")
    draft.sources.add(factories.SourceFactory())
    edit(staff_client, draft, publication_status="published")
    assert_exact()
    staff_client.post(
        admin_url(Programme, "changelist"),
        {"action": "archive", "_selected_action": [world["active"].pk, world["closed"].pk]},
    )
    assert_exact()


def test_bulk_commands_recount(client, db):
    call_command("seed_ecosystem", verbosity=0)
    assert_exact()
    call_command(
        "generate_demo_data", smes=30, programmes=3, events=5, organizations=2, verbosity=0
    )
    assert_exact()
    assert "30 SMEs" in html(client.get("/en/"))
    call_command("generate_demo_data", delete=True, verbosity=0)
    assert_exact()


def test_an_empty_table_is_counted_on_first_read(client, world):
    HubCount.objects.all().delete()  # as after the migration that made the table
    page = html(client.get("/en/countries/"))
    assert '<a href="/en/countries/sn/">Senegal</a>' in page
    assert kept() != []
    assert_exact()


def test_an_unfiltered_list_reads_its_facets_from_the_kept_counts(client, world):
    senegal = 'value="SN"> Senegal <span class="count">(3)</span>'
    assert senegal in html(client.get("/en/programmes/"))
    assert 'value="SN"> Sénégal <span class="count">(3)</span>' in html(
        client.get("/fr/programmes/")
    )
