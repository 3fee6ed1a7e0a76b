import pytest
from django.core.exceptions import ImproperlyConfigured

from ecosystem.core.registry import registry
from tests import factories
from tests.helpers import count_queries, html, shown, url

pytestmark = pytest.mark.django_db


def organizations(client, query="", language="en"):
    return client.get(url("members:organization-list", language) + query)


def smes(client, query="", language="en"):
    return client.get(url("members:sme-list", language) + query)


def test_support_organizations_without_smes_or_drafts(client, world):
    assert set(shown(organizations(client))) == {"afd", "itc", "optic"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?kind=funder", {"afd"}),
        ("?kind=funder&kind=association", {"afd", "optic"}),
        ("?country=SN", {"afd", "optic"}),
        ("?sector=digital-technology", {"optic"}),
        ("?programme=agri-senegal", {"afd", "optic"}),
        ("?programme=digital-mali&kind=international_agency", {"itc"}),
        ("?q=senegalaise", {"optic"}),
        ("?q=centre du commerce", {"itc"}),
        ("?kind=sme", {"afd", "itc", "optic"}),  # not a kind here: ignored
    ],
)
def test_organization_filters(client, world, query, expected):
    assert set(shown(organizations(client, query))) == expected


def test_smes_have_their_own_list(client, world):
    assert shown(smes(client)) == ["agro-thies"]
    assert shown(smes(client, "?programme=agri-senegal")) == ["agro-thies"]
    assert shown(smes(client, "?country=ML")) == []
    assert shown(smes(client, "?q=thies")) == ["agro-thies"]
    # The SME list has no kind filter to offer.
    assert 'name="kind"' not in html(smes(client))


def test_rows_and_facets_in_french(client, world):
    page = html(organizations(client, "?country=SN", "fr"))
    before = count_queries(lambda: organizations(client, "?country=SN", "fr"))
    assert "2 résultats" in page
    assert "Bailleur de fonds" in page or "bailleur de fonds" in page
    assert 'href="/fr/pays/sn/">Sénégal</a>' in page
    for number in range(8):
        factories.OrganizationFactory(slug=f"more-{number}", countries=[world["SN"]])
    assert len(shown(organizations(client, "?country=SN", "fr"))) == 10
    assert count_queries(lambda: organizations(client, "?country=SN", "fr")) == before


def test_the_programme_list_offers_the_most_recent_and_accepts_any(client, world, monkeypatch):
    from ecosystem.core import filters

    monkeypatch.setattr(filters, "MAX_OFFERED", 1)
    page = html(smes(client))
    # Digital Sahel is the most recent programme; the others are not offered...
    assert '<option value="digital-sahel">' in page
    assert '<option value="agri-senegal">' not in page
    assert '<option value="digital-mali">' not in page
    # ...but understood.
    assert shown(smes(client, "?programme=agri-senegal")) == ["agro-thies"]
    assert set(shown(organizations(client, "?programme=digital-mali"))) == {"afd", "itc"}


def test_a_programme_finds_the_partners_of_its_phases(client, world):
    factories.ProgrammeRoleFactory(
        programme=world["phase"], organization=world["itc"], role="implementing"
    )
    assert set(shown(organizations(client, "?programme=agri-senegal"))) == {"afd", "itc", "optic"}
    assert shown(organizations(client, "?programme=agri-senegal-2", "fr")) == ["itc"]
    api = client.get("/api/v1/organizations/?programme=agri-senegal").json()
    assert {record["slug"] for record in api["results"]} == {"afd", "itc", "optic"}


@pytest.mark.parametrize(
    ("language", "empty", "unmatched"),
    [
        ("en", "No SME here yet.", "Nothing matches all these filters."),
        ("fr", "Aucune PME ici pour l’instant.", "Aucune fiche ne correspond à tous ces filtres."),
    ],
)
def test_an_empty_list_says_why(client, db, language, empty, unmatched):
    page = html(smes(client, "", language))
    assert empty in page and unmatched not in page
    filtered = html(smes(client, "?q=nothing", language))
    assert unmatched in filtered and empty not in filtered


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_programme_filter_programmes_attach_comes_before_the_sort(client, world, language):
    """Programmes give both lists ?programme= through the registry (members import no
    programme): the form shows it among the filters, before the sort."""
    for page in (organizations(client, "", language), smes(client, "", language)):
        text = html(page)
        assert 'name="programme"' in text
        assert text.index('name="programme"') < text.index('name="sort"')


def test_a_list_refuses_a_second_filter_of_the_same_name():
    with pytest.raises(ImproperlyConfigured, match="already has a filter 'programme'"):
        registry.attach_filter("smes", "programme", None)
