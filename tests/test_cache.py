"""Costly counts are cached, and every way staff change the data makes them new."""

import re

import pytest
from django.core.management import call_command
from django.test import Client

from ecosystem.core import cache
from programmes.models import Programme
from tests import factories
from tests.helpers import admin_url, count_queries, edit, html, url

pytestmark = pytest.mark.django_db


def home(client):
    return html(client.get(url("home", "en")))


def test_the_home_counts_are_cached(client, world):
    client.get(url("home", "en"))
    warm = count_queries(lambda: client.get(url("home", "en")), cold=False)
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


def headline_counts(client):
    page = home(client)
    if 'class="counts"' not in page:
        return []
    return re.findall(r">(\d+ \w+)</a>", page.split('class="counts"')[1].split("</ul>")[0])


def test_a_seed_and_demo_data_make_the_counts_new(client, db):
    assert headline_counts(client) == []  # nothing yet: no zero headlined
    call_command("seed_ecosystem", verbosity=0)
    # 12 programmes in the seed, one of them only hoped for (NTF VI): 11 exist.
    assert "11 programmes" in headline_counts(client)
    call_command("generate_demo_data", programmes=3, smes=0, organizations=0, events=0, verbosity=0)
    assert "14 programmes" in headline_counts(client)


# Whole answers, for visitors (ecosystem.core.cache.page_cache).

PUBLIC = [
    "/en/programmes/",
    "/fr/programmes/?country=SN",
    "/fr/programmes/agri-senegal/",
    "/api/v1/programmes/?country=SN",
    "/en/feed.atom",
    "/sitemap.xml",
    "/events.ics",
]


@pytest.mark.parametrize("path", PUBLIC)
def test_a_repeat_visit_costs_one_query_and_a_304_with_the_etag(client, world, path):
    first = client.get(path)
    assert first.status_code == 200
    assert first["ETag"].startswith('W/"')
    assert "max-age=0" in first["Cache-Control"]  # browsers ask each time
    assert count_queries(lambda: client.get(path), cold=False) == 1
    again = client.get(path)
    assert again.content == first.content
    not_modified = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304
    assert not_modified.content == b""


def test_an_etag_from_before_an_edit_gets_the_new_page(staff_client, world):
    world["active"].sources.add(factories.SourceFactory())
    visitor = Client()
    page = "/en/programmes/agri-senegal/"
    etag = visitor.get(page)["ETag"]
    edit(staff_client, world["active"], name_en="Renamed programme")
    response = visitor.get(page, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "Renamed programme" in html(response)


def test_each_language_has_its_own_copy(client, world):
    english = client.get("/api/v1/countries/", HTTP_ACCEPT_LANGUAGE="en")
    french = client.get("/api/v1/countries/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Senegal" in english.content.decode()
    assert "Sénégal" in french.content.decode()
    assert english["ETag"] != french["ETag"]


def test_staff_and_exports_are_never_served_a_kept_copy(staff_client, world):
    visitor = Client()
    page = "/en/programmes/"
    assert "ETag" in visitor.get(page)
    assert "ETag" not in staff_client.get(page)
    assert "ETag" not in visitor.get("/en/programmes/export.csv")


def test_a_bad_etag_is_ignored(client, world):
    page = "/en/programmes/"
    assert client.get(page, HTTP_IF_NONE_MATCH='"nonsense", W/""').status_code == 200


@pytest.mark.parametrize("change", ["save", "delete", "link", "unlink"])
def test_a_change_outside_a_request_makes_cached_results_new(world, change):
    """A shell, a command or a job changes a record with no request around it (so no
    middleware): what was cached is computed again all the same."""
    record = factories.OrganizationFactory(countries=[world["SN"]])
    computed = []

    def compute():
        computed.append(1)
        return len(computed)

    assert cache.cached("probe", compute) == cache.cached("probe", compute) == 1
    if change == "save":
        record.summary_en = "Changed in a shell."
        record.save()
    elif change == "delete":
        record.delete()
    elif change == "link":
        record.countries.add(world["ML"])
    else:
        record.countries.remove(world["SN"])
    assert cache.cached("probe", compute) == 2
