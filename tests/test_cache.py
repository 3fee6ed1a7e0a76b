"""Costly counts are cached, and every way staff change the data makes them new."""

import pytest
from django.core.management import call_command

from ecosystem.core import cache
from programmes.models import Programme
from tests import factories
from tests.helpers import admin_url, count_queries, edit, html, url

pytestmark = pytest.mark.django_db


def home(client):
    return html(client.get(url("home", "en")))


def test_the_home_counts_are_cached(client, world):
    client.get(url("home", "en"))
    warm = count_queries(lambda: client.get(url("home", "en")))
    cache.bump()
    cold = count_queries(lambda: client.get(url("home", "en")))
    assert warm < cold


def test_an_admin_edit_makes_the_counts_new(client, staff_client, world):
    assert "4 programmes" in home(client)
    draft = Programme.objects.get(slug="draft-programme")
    draft.sources.add(factories.SourceFactory())
    edit(staff_client, draft, publication_status="published")
    assert "5 programmes" in home(client)


def test_a_bulk_action_makes_the_counts_new(client, staff_client, world):
    assert "4 programmes" in home(client)
    staff_client.post(
        admin_url(Programme, "changelist"),
        {"action": "archive", "_selected_action": [world["active"].pk]},
    )
    assert "3 programmes" in home(client)


def test_a_seed_and_demo_data_make_the_counts_new(client, db):
    assert "0 programmes" in home(client)
    call_command("seed_ecosystem", verbosity=0)
    assert "12 programmes" in home(client)
    call_command("generate_demo_data", programmes=3, smes=0, organizations=0, events=0, verbosity=0)
    assert "15 programmes" in home(client)
