"""The counts per country and sector are kept in a table and recounted where a record
changes: after any change, they equal a count made from nothing."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from ecosystem.core import counts
from ecosystem.core.counts import HubCount
from programmes.models import Programme
from tests import factories
from tests.helpers import admin_url, edit, html

pytestmark = pytest.mark.django_db


def kept():
    """The counts, but a type's zero total: a type nothing has touched yet (no
    opportunity in this world) has none until a recount writes 0, the same to a page."""
    rows = HubCount.objects.exclude(hub_kind=counts.ALL, count=0)
    return sorted(rows.values_list("record_type", "hub_kind", "hub", "count"))


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


def test_a_record_s_own_changes_move_the_counts_by_one_without_a_count(world, monkeypatch):
    """Publishing, unpublishing, deleting a record and changing its own countries and
    sectors add or take one where it counts, in the same transaction: nothing is counted
    again, and the counts agree with a count made from nothing after each."""
    count = counts.count_now

    def refused(*args):
        raise AssertionError("counted again")

    def exact():
        before = kept()
        count(None, None, None)
        assert kept() == before

    monkeypatch.setattr(counts, "count_now", refused)
    active, sme = world["active"], world["sme"]
    draft = Programme.objects.get(slug="draft-programme")
    steps = [
        lambda: setattr(draft, "publication_status", "published") or draft.save(),
        lambda: setattr(active, "publication_status", "archived") or active.save(),
        lambda: setattr(active, "publication_status", "published") or active.save(),
        lambda: active.countries.add(world["BF"], world["CI"]),
        lambda: active.countries.remove(world["BF"], world["ML"]),  # ML was not linked
        lambda: active.sectors.add(world["it-bpo"]),  # its main sector counts it once
        lambda: active.sectors.add(world["digital"]),
        lambda: active.sectors.remove(world["it-bpo"]),
        lambda: active.sectors.clear(),
        lambda: active.countries.set([world["ML"]]),
        lambda: setattr(sme, "kind", "association") or sme.save(),  # an SME no more
        lambda: sme.sectors.add(world["it-bpo"]),
        lambda: world["phase"].delete(),
        lambda: draft.delete(),
        lambda: factories.ProgrammeFactory(countries=[world["SN"]], sectors=[world["it-bpo"]]),
    ]
    for step in steps:
        step()
        exact()
    assert ("organizations", "sector", str(world["digital"].pk), 2) in kept()


def test_a_hub_s_own_list_of_records_is_counted_again(world):
    """From the country's side, any number of records at once: that hub is counted."""
    world["SN"].programmes.add(world["closed"])
    assert_exact()
    world["SN"].programmes.remove(world["active"], world["phase"])
    assert_exact()
    world["agrifood"].organizations.clear()
    assert_exact()


def test_the_recount_command_repairs_drift(world, caplog):
    HubCount.objects.filter(record_type="programmes", hub_kind="all").update(count=99)
    call_command("recount", verbosity=0)
    assert_exact()
    assert ("programmes", "all", "", 4) in kept()


def test_a_list_filtered_by_one_hub_reads_its_total_from_the_kept_counts(client, world):
    """One country (or sector) and nothing else: the total kept for it, without a count
    over the link table; with any other filter, or for programmes (whose list leaves
    out those only hoped for, which the counts hold), a count."""
    assert "3 results" in html(client.get("/en/programmes/?country=SN"))
    smes = html(client.get("/en/smes/?country=SN"))
    shown = int(smes.split('class="result-count">')[1].split(" ")[0])
    assert shown == HubCount.objects.get(record_type="smes", hub_kind="country", hub="SN").count
    HubCount.objects.filter(record_type="smes", hub_kind="country", hub="SN").update(count=4)
    cache.clear()  # the counts are kept in the cache too
    assert "4 results" in html(client.get("/en/smes/?country=SN&sort=-updated"))
    assert "4 résultats" in html(client.get("/fr/pme/?country=SN&sort=-updated"))
    with_text = html(client.get("/en/smes/?country=SN&q=zzz"))
    assert "0 results" in with_text
