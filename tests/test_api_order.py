"""The API lists records in one order whatever the request's language (the English name,
then the record's key), so that a client pages through a list without meeting a record
twice or missing one; ?sort= still chooses another order."""

import datetime

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

# Absent, French, English: the language a client sends does not move a record.
LANGUAGES = [{}, {"HTTP_ACCEPT_LANGUAGE": "fr"}, {"HTTP_ACCEPT_LANGUAGE": "en"}]


def slugs(client, path, headers, **params):
    response = client.get(f"/api/v1/{path}", params, **headers)
    assert response.status_code == 200
    return [record["slug"] for record in response.json()["results"]]


def every_page(client, path, headers, page_size, **params):
    pages, page = [], 1
    while True:
        response = client.get(
            f"/api/v1/{path}", {**params, "page": page, "page_size": page_size}, **headers
        )
        assert response.status_code == 200
        body = response.json()
        pages.append([record["slug"] for record in body["results"]])
        if not body["next"]:
            return pages
        page += 1


@pytest.fixture
def organizations(db):
    # The English and French names sort the other way round; three share their names.
    for slug, english, french in [
        ("zebra", "Zebra Fund", "Abeille"),
        ("apple", "Apple Hub", "Zénith"),
        ("eagle", "Éagle Labs", "Mangue"),
    ]:
        factories.OrganizationFactory(slug=slug, name_en=english, name_fr=french)
    for number in range(3):
        factories.OrganizationFactory(slug=f"same-{number}", name_en="Same", name_fr="Même")


def test_the_default_order_is_the_same_in_every_language(client, organizations):
    orders = [slugs(client, "organizations/", headers) for headers in LANGUAGES]
    # English names, accents aside ("Éagle" with the E's), then the oldest record first.
    assert orders == [["apple", "eagle", "same-0", "same-1", "same-2", "zebra"]] * 3


@pytest.mark.parametrize("sort", ["name", "-updated"])
def test_every_sort_is_the_same_in_every_language(client, organizations, sort):
    orders = [slugs(client, "organizations/", headers, sort=sort) for headers in LANGUAGES]
    assert orders[0] == orders[1] == orders[2]
    assert sorted(orders[0]) == ["apple", "eagle", "same-0", "same-1", "same-2", "zebra"]


@pytest.mark.parametrize("headers", LANGUAGES, ids=["none", "fr", "en"])
@pytest.mark.parametrize("sort", [None, "name", "-updated"])
def test_pages_neither_repeat_nor_skip_a_record(client, organizations, headers, sort):
    params = {"sort": sort} if sort else {}
    whole = slugs(client, "organizations/", headers, page_size=50, **params)
    pages = every_page(client, "organizations/", headers, 2, **params)
    assert [slug for page in pages for slug in page] == whole
    assert len(set(whole)) == len(whole) == 6


def test_events_on_the_same_day_keep_one_order_across_pages(client):
    day = datetime.date(2024, 5, 2)
    for number, (english, french) in enumerate(
        [("Beta", "Alpha"), ("Alpha", "Beta"), ("Gamma", "Alpha"), ("Alpha", "Gamma")]
    ):
        factories.EventFactory(slug=f"event-{number}", name_en=english, name_fr=french, start=day)
    orders = [
        [slug for page in every_page(client, "events/", headers, 3) for slug in page]
        for headers in LANGUAGES
    ]
    assert orders == [["event-1", "event-3", "event-0", "event-2"]] * 3
