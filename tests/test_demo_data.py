"""Synthetic demo data for benchmarks: realistic, published, marked as synthetic, and
removed without touching the real records."""

import io

import pytest
from django.core.management import CommandError, call_command

from events.models import Event, EventSeries
from members.models import Membership, Organization
from programmes.models import Programme
from tests.helpers import database_rows, html, url

pytestmark = pytest.mark.django_db


def generate(**counts):
    out = io.StringIO()
    call_command("generate_demo_data", stdout=out, stderr=io.StringIO(), **counts)
    return out.getvalue()


def test_demo_records_read_like_the_region_and_say_they_are_synthetic(client, seeded):
    out = generate(smes=300, organizations=20, programmes=30, events=40)
    assert "SMEs: 300" in out and "Created" in out
    sme = Organization.objects.smes().filter(slug__startswith="demo-sme-").first()
    assert sme.is_published and sme.name_fr and sme.summary_en and sme.hq_city
    assert 1 <= sme.countries.count() <= 3 and 1 <= sme.sectors.count() <= 3
    assert list(sme.sources.values_list("title", flat=True)) == [
        "Synthetic demo data (not real records)"
    ]
    programme = Programme.objects.filter(slug__startswith="demo-").first()
    assert programme.roles.count() == 3
    assert Event.objects.filter(slug__startswith="demo-", series__isnull=False).count() == 40
    assert Membership.objects.filter(member__slug__startswith="demo-sme-").exists()
    # Found by search and by the country filter, like any record.
    word = sme.name_en.split()[0]
    assert "demo-" in html(client.get(url("search"), {"q": word}))
    assert "300" in html(client.get(url("members:sme-list")))


def test_delete_removes_the_demo_data_and_nothing_else(seeded):
    before = database_rows()
    generate(smes=50, organizations=5, programmes=5, events=5)
    assert Organization.objects.count() > 50
    out = io.StringIO()
    call_command("generate_demo_data", delete=True, stdout=out)
    assert "Removed" in out.getvalue()
    assert database_rows() == before
    assert not EventSeries.objects.filter(slug__startswith="demo-").exists()


def test_it_needs_the_seeded_countries_and_sectors(db):
    with pytest.raises(CommandError, match="run seed_ecosystem first"):
        generate(smes=1)


def test_a_negative_count_is_a_message(seeded):
    with pytest.raises(CommandError, match="--smes must be 0 or more"):
        generate(smes=-1)
