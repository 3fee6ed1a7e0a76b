"""Unknown or malformed parameters never cause a server error: the page says what it
ignored and still shows results."""

import pytest

from tests.helpers import html, shown, url

pytestmark = pytest.mark.django_db

LISTS = [
    "programmes:programme-list",
    "members:organization-list",
    "members:sme-list",
    "events:event-list",
]
BAD = [
    "?country=XX",
    "?country=%00",
    "?sector=nope",
    "?year=abc",
    "?year=99999",
    "?page=abc",
    "?page=0",
    "?page=999",
    "?page=-1",
    "?sort=sideways",
    "?status=finished",
    "?kind=guild",
    "?funder=nobody",
    "?parent=nope",
    "?series=nope",
    "?programme=nope",
    "?when=soon",
    "?q=" + "x" * 300,
    "?country=SN&country=SN",
    "?q=%27%22%3C%3E%3B--",
    "?q=:*%26|!()",
    "?country=" + "A" * 1000,
]


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("query", BAD)
def test_no_server_error(client, world, name, query):
    for language in ("en", "fr"):
        assert client.get(url(name, language) + query).status_code == 200


def test_an_unknown_country_is_named_and_the_known_one_kept(client, world):
    response = client.get(url("programmes:programme-list") + "?country=XX&country=ML")
    assert set(shown(response)) == {"digital-mali", "digital-sahel"}
    page = html(response)
    assert "Some of the request could not be used and was ignored:" in page
    assert "Country: “XX”" in page


def test_a_malformed_year_and_page_are_named(client, world):
    page = html(client.get(url("programmes:programme-list", "fr") + "?year=abc&page=zz"))
    assert "4 résultats" in page
    assert "« abc »" in page or "“abc”" in page
    assert "“zz”" in page or "« zz »" in page


def test_an_over_long_query_is_ignored_and_every_record_shown(client, world):
    response = client.get(url("programmes:programme-list") + "?q=" + "x" * 300)
    assert len(shown(response)) == 4
    assert "Search: “xxxxxxxx" in html(response)


@pytest.mark.parametrize(
    "path",
    [
        "/en/programmes/nope/",
        "/fr/organisations/nope/",
        "/en/events/nope/",
        "/en/countries/xx/",
        "/en/countries/senegal/",
        "/en/countries/us/",
        "/fr/secteurs/nope/",
        "/en/nowhere/",
    ],
)
def test_unknown_pages_are_a_helpful_404(client, world, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode() or "Page introuvable" in (
        response.content.decode()
    )


def test_a_page_number_with_a_leading_zero_is_not_called_ignored(client, world):
    page = html(client.get(url("programmes:programme-list") + "?page=01"))
    assert "could not be used" not in page


@pytest.mark.parametrize(
    "path",
    [
        "/en/countries/%00%00/",
        "/api/v1/countries/%00%00/",
        "/api/v1/sectors/%00/",
        "/api/v1/programmes/%00/",
        "/en/programmes/%00/",
        "/api/v1/countries/sen/",
    ],
)
def test_odd_lookups_are_404_on_every_database(client, db, path):
    assert client.get(path).status_code == 404
