"""Counts and pages stop at MAX_RESULTS, so that neither grows with the directory: the
page says "more than", a page past the last offered one is named and explained, and the
API refuses it with a clear message."""

from functools import partial

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ecosystem.core import listing
from members.admin import OrganizationAdmin
from members.models import Organization
from tests import factories
from tests.helpers import admin_url, html, shown

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


def page_queries(client, path):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        names = shown(client.get(path))
    return names, [query["sql"] for query in queries]


@pytest.mark.parametrize("query", ["", "&sort=-updated", "&sort=-start", "&q=p"])
def test_a_deep_page_sorts_and_skips_ids_then_fetches_its_rows(client, monkeypatch, many, query):
    """Pages 2 and 3 show the records found at those places of the list, in every order
    (relevance too); the query that skips reads ids only, the rows' query skips nothing."""
    pages = [shown(client.get(f"/en/programmes/?page={n}{query}")) for n in (1, 2, 3)]
    names, sql = page_queries(client, f"/en/programmes/?page=3{query}")
    monkeypatch.setattr(listing, "PER_PAGE", 6)
    cache.clear()  # the first page again, in one page of six
    assert sum(pages, []) == shown(client.get(f"/en/programmes/?page=1{query}"))
    assert names == pages[2]
    skipping = [statement for statement in sql if "OFFSET" in statement]
    assert len(skipping) == 1
    assert skipping[0].split(" FROM ")[0] == 'SELECT "programmes_programme"."id" AS "pk"'


def test_a_deep_page_of_the_api_is_the_same_records(client, many):
    body = client.get("/api/v1/programmes/?page_size=2&page=2").json()
    everything = client.get("/api/v1/programmes/?page_size=6").json()
    assert [r["slug"] for r in body["results"]] == [r["slug"] for r in everything["results"]][2:4]


@pytest.fixture
def staff_many(staff_client, monkeypatch, db):
    """Seven SMEs named "Shop"; the admin's counting stops at five, two a page."""
    monkeypatch.setattr(OrganizationAdmin, "paginator", partial(listing.CappedPaginator, cap=5))
    monkeypatch.setattr(OrganizationAdmin, "list_per_page", 2)
    for number in range(7):
        # Both names given: the factory's French one carries a sequence number ("Fiche
        # 16") that a search for "shop 6" would find too.
        factories.OrganizationFactory(
            slug=f"shop-{number}", name_en=f"Shop {number}", name_fr=f"Boutique {number}"
        )
    return staff_client


@pytest.mark.parametrize(
    ("language", "more_than"), [("en", "More than 5 results"), ("fr", "Plus de 5 résultats")]
)
def test_the_admin_counts_a_search_no_further_than_the_cap(
    staff_many, monkeypatch, language, more_than
):
    staff_many.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    changelist = admin_url(Organization, "changelist")
    with CaptureQueriesContext(connection) as queries:
        page = html(staff_many.get(changelist, {"q": "shop"}))
    assert page.count(more_than) == 2  # beside the search box and under the list
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"]]
    assert counts and all("LIMIT 6" in sql for sql in counts)
    # Two pages of two: the rows of the second follow the first's; a third is refused.
    first, second = (
        [
            o.slug
            for o in staff_many.get(changelist, {"q": "shop", "p": p}).context["cl"].result_list
        ]
        for p in ("1", "2")
    )
    monkeypatch.setattr(OrganizationAdmin, "list_per_page", 4)
    assert first + second == [
        o.slug for o in staff_many.get(changelist, {"q": "shop"}).context["cl"].result_list
    ]
    assert staff_many.get(changelist, {"q": "shop", "p": "3"}).status_code == 302
    # Under the cap, the count is exact.
    exact = html(staff_many.get(changelist, {"q": "shop 6"}))
    assert more_than not in exact
    assert ("1 result" if language == "en" else "1 résultat") in exact


def test_the_admin_counts_to_a_thousand_only(staff_client, db):
    factories.OrganizationFactory(slug="shop", name_en="Shop")
    with CaptureQueriesContext(connection) as queries:
        staff_client.get(admin_url(Organization, "changelist"), {"q": "shop"})
    assert [q["sql"] for q in queries if "COUNT(" in q["sql"] and "LIMIT 1001" in q["sql"]]
