"""Counts and pages stop at MAX_RESULTS, so that neither grows with the directory: the
page says "more than", a page past the last offered one is named and explained, and the
API refuses it with a clear message."""

import pytest

from ecosystem.core import listing
from tests import factories
from tests.helpers import html, shown

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(monkeypatch, db):
    """Nine programmes; two per page; counting stops at six, so three pages."""
    monkeypatch.setattr(listing, "PER_PAGE", 2)
    monkeypatch.setattr(listing, "MAX_RESULTS", 6)
    for number in range(9):
        factories.ProgrammeFactory(slug=f"p-{number}", name_en=f"P {number}", name_fr=f"P {number}")


def test_a_list_past_the_cap_says_more_than(client, many):
    english = html(client.get("/en/programmes/"))
    assert "More than 6 results" in english
    assert "Page 1 of 3" in english
    french = html(client.get("/fr/programmes/"))
    assert "Plus de 6 résultats" in french
    assert "Page 1 sur 3" in french


def test_the_last_offered_page_has_no_next_link(client, many):
    page = client.get("/en/programmes/?page=3")
    assert shown(page) == ["p-4", "p-5"]
    assert 'rel="next"' not in html(page)
    assert 'rel="prev"' in html(page)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Only the first 6 results can be browsed page by page"),
        ("fr", "Seuls les 6 premiers résultats se parcourent page par page"),
    ],
)
def test_a_page_past_the_cap_is_explained(client, many, language, message):
    page = client.get(f"/{language}/programmes/?page=4")
    assert shown(page) == ["p-4", "p-5"]  # the last page offered
    assert message in html(page)


def test_under_the_cap_the_count_is_exact(client, monkeypatch, many):
    monkeypatch.setattr(listing, "MAX_RESULTS", 100)
    page = html(client.get("/en/programmes/"))
    assert "9 results" in page and "More than" not in page
    assert "Page 1 of 5" in page


def test_the_api_says_its_count_is_capped_and_refuses_deeper_pages(client, many):
    body = client.get("/api/v1/programmes/?page_size=2&page=3").json()
    assert body["count"] == 7 and body["count_capped"] is True
    assert body["next"] is None
    assert [record["slug"] for record in body["results"]] == ["p-4", "p-5"]
    refused = client.get("/api/v1/programmes/?page_size=2&page=4")
    assert refused.status_code == 404
    assert "Pages stop at result 6" in refused.json()["page"][0]
    beyond_everything = client.get("/api/v1/programmes/?page=99")
    assert beyond_everything.status_code == 404


def test_search_says_more_than_past_the_cap(client, many):
    english = html(client.get("/en/search/?q=p"))
    assert 'Programmes <span class="count">(6+)</span>' in english
    assert "See more than 6 results in the list" in english
    french = html(client.get("/fr/recherche/?q=p"))
    assert "Voir plus de 6 résultats dans la liste" in french


@pytest.mark.parametrize(
    ("language", "note"),
    [
        ("en", "Too many results to count each value’s"),
        ("fr", "Trop de résultats pour compter ceux de chaque valeur"),
    ],
)
def test_facets_past_the_cap_offer_values_without_counts(client, many, language, note):
    page = html(client.get(f"/{language}/programmes/?q=p"))
    assert note in page
    assert 'name="status" value="active"' in page  # offered...
    status = page[
        page.index("<legend>Status") if language == "en" else page.index("<legend>Statut") :
    ]
    assert 'class="count"' not in status[: status.index("</fieldset>")]  # ...not counted
    # Under the cap, the same list counts them.
    assert note not in html(client.get(f"/{language}/programmes/?q=p+1"))
