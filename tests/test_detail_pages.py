"""Detail pages show everything the data holds, published records only, in both
languages, in a number of queries that does not grow with the related rows."""

import datetime

import pytest

from tests import factories
from tests.helpers import count_queries, html, url

pytestmark = pytest.mark.django_db


def test_the_root_redirects_by_the_browsers_language(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en").url == "/en/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr-SN,fr").url == "/fr/"


def test_a_programme_page_shows_what_the_data_holds(client, seeded):
    response = client.get(url("programmes:programme-detail", "en", slug="ntf-v"))
    html = response.content.decode()
    assert "July 2021 – June 2025" in html
    assert 'href="/en/organizations/itc/"' in html
    assert 'href="/en/countries/ml/"' in html
    assert "Netherlands Trust Fund" in html
    response = client.get(url("programmes:programme-detail", "fr", slug="ntf-v"))
    assert "juillet 2021 – juin 2025" in response.content.decode()


def test_a_funder_page_lists_what_it_funds(client, seeded):
    response = client.get(url("members:organization-detail", "fr", slug="afd"))
    html = response.content.decode()
    assert 'href="/fr/programmes/hub-iit-deployment/"' in html
    assert "Bailleur de fonds" in html  # its role, in plain words


def test_an_event_page(client, seeded):
    slug = "it-bpo-sector-consultation-1-dakar-2018"
    response = client.get(url("events:event-detail", "en", slug=slug))
    html = response.content.decode()
    assert "4–5 July 2018" in html
    assert 'href="/en/organizations/asepex/"' in html


def test_detail_queries_do_not_grow_with_related_rows(client, db):
    senegal = factories.CountryFactory()
    programme = factories.ProgrammeFactory(slug="p", countries=[senegal])
    phase = factories.ProgrammeFactory(slug="p-phase", parent=programme)
    page = url("programmes:programme-detail", "en", slug="p")

    def add_rows(count):
        for _ in range(count):
            organization = factories.OrganizationFactory()
            for record in (programme, phase):  # rolled up: each organization once
                factories.ProgrammeRoleFactory(programme=record, organization=organization)
                factories.SiteFactory(
                    programme=record, host=organization, name=f"Hub of {organization.slug}"
                )
            factories.IndicatorFactory(programme=programme, source=factories.SourceFactory())
            factories.EventFactory(programme=phase)
            factories.EventSeriesRoleFactory(
                organization=organization, programme=phase, source=factories.SourceFactory()
            )

    add_rows(1)
    before = count_queries(lambda: client.get(page))
    add_rows(9)  # tenfold
    assert count_queries(lambda: client.get(page)) == before


def test_organization_and_event_pages_do_not_grow_with_related_rows(client, db):
    organization = factories.OrganizationFactory(slug="o")
    event = factories.EventFactory(slug="e")
    pages = [
        url("members:organization-detail", "en", slug="o"),
        url("events:event-detail", "en", slug="e"),
    ]

    def add_rows(count):
        for _ in range(count):
            programme = factories.ProgrammeFactory()
            factories.ProgrammeRoleFactory(programme=programme, organization=organization)
            factories.EventRoleFactory(event=factories.EventFactory(), organization=organization)
            factories.EventSeriesRoleFactory(organization=organization, programme=programme)
            factories.EventRoleFactory(event=event, source=factories.SourceFactory())

    add_rows(1)
    before = [count_queries(lambda page=page: client.get(page)) for page in pages]
    add_rows(9)  # tenfold
    assert [count_queries(lambda page=page: client.get(page)) for page in pages] == before


def test_drafts_are_not_public(client):
    draft = factories.ProgrammeFactory(slug="secret", publication_status="draft")
    public = factories.ProgrammeFactory(slug="public", start=datetime.date(2020, 1, 1))
    factories.ProgrammeRoleFactory(
        programme=public,
        organization=factories.OrganizationFactory(slug="hidden-org", publication_status="review"),
    )
    assert client.get(url("programmes:programme-detail", "en", slug=draft.slug)).status_code == 404
    html = client.get(url("programmes:programme-detail", "en", slug="public")).content.decode()
    assert "hidden-org" not in html


def test_the_language_switcher_keeps_the_page(client, seeded):
    html = client.get(url("programmes:programme-detail", "en", slug="ntf-v") + "?x=1").content
    assert b'href="/fr/programmes/ntf-v/?x=1"' in html


def test_health_check(client, db):
    response = client.get("/healthz")
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_every_response_carries_a_strict_content_security_policy(client, db):
    for path in ("/fr/", "/api/v1/", "/admin/login/", "/sitemap.xml"):
        policy = client.get(path)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy


def test_draft_relations_do_not_leak(client, world):
    draft_host = factories.OrganizationFactory(
        slug="secret-host", name_en="Secret host", publication_status="draft"
    )
    factories.SiteFactory(
        programme=world["active"], name="Hub X", host=draft_host, country=world["SN"]
    )
    draft_parent = factories.ProgrammeFactory(
        slug="secret-parent", name_en="Secret parent", publication_status="draft"
    )
    child = factories.ProgrammeFactory(slug="child", parent=draft_parent)
    world["mission"].programme = world["draft"]
    world["mission"].save()

    page = html(client.get(url("programmes:programme-detail", "en", slug="agri-senegal")))
    assert "Secret host" not in page and "Hub X" in page
    assert "Secret parent" not in html(
        client.get(url("programmes:programme-detail", "en", slug="child"))
    )
    api = client.get("/api/v1/programmes/agri-senegal/").json()
    assert {site["name"]: site["host"] for site in api["sites"]}["Hub X"] is None
    assert client.get(f"/api/v1/programmes/{child.slug}/").json()["parent"] is None
    assert client.get("/api/v1/events/mission-bamako/").json()["programme"] is None
    csv = b"".join(client.get(url("events:event-export", "en")).streaming_content).decode()
    assert "draft-programme" not in csv and world["draft"].name_en not in csv


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_title_that_holds_its_acronym_does_not_repeat_it(client, db, language):
    factories.ProgrammeFactory(
        slug="ntf-v",
        name_en="Netherlands Trust Fund, phase V (NTF V)",
        name_fr="Fonds fiduciaire néerlandais, 5e volet (NTF V)",
        acronym="NTF V",
    )
    page = html(client.get(f"/{language}/programmes/ntf-v/"))
    heading = page[page.index("<h1>") : page.index("</h1>")]
    assert heading.count("NTF V") == 1
    assert page[page.index("<title>") : page.index("</title>")].count("NTF V") == 1
    factories.OrganizationFactory(slug="itc", name_en="International Trade Centre", acronym="ITC")
    page = html(client.get(url("members:organization-detail", language, slug="itc")))
    assert '<span class="acronym">(ITC)</span>' in page


@pytest.mark.parametrize(("language", "shown"), [("en", "more than 100"), ("fr", "plus de 100")])
def test_a_figure_says_more_than_as_the_source_does(client, seeded, language, shown):
    page = html(client.get(f"/{language}/programmes/hub-iit-pilot/"))
    assert shown in page
    assert "at least 100" not in page and "au moins 100" not in page


@pytest.mark.parametrize(
    ("language", "shown", "no_address"),
    [
        ("en", ", International Trade Centre, in English", "no known web address"),
        ("fr", ", International Trade Centre, en anglais", "pas d’adresse web connue"),
    ],
)
def test_a_source_shows_its_language_and_never_a_file_name(
    client, seeded, language, shown, no_address
):
    page = html(client.get(f"/{language}/programmes/ntf-v/"))
    assert "000_a24fd8ffef3c98a1.txt" not in page
    assert shown in page
    assert no_address in page


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_hub_iit_page_shows_its_whole_network(client, seeded, language):
    page = html(client.get(f"/{language}/programmes/hub-iit/"))
    sites = page[page.index("<table") : page.index("</table>")]
    for city in ["Bamako", "Sikasso", "Dakar/Thiès", "Ziguinchor", "Ouagadougou", "Bobo-Dioulasso"]:
        assert city in sites
    assert "Djamena" in sites
    assert f'href="/{language}/programmes/hub-iit-deployment/"' in sites  # marked by phase
    assert ("more than" if language == "en" else "plus de") + " <strong>100</strong>" in page
    # A target follows its figure: "7 hubs (target)", never "objectif 7".
    assert (
        "7</strong> hubs (target)" if language == "en" else "7</strong> Hub-IIT (objectif)"
    ) in page


def test_a_phase_s_events_show_on_its_umbrella_page(client, world):
    factories.EventFactory(
        slug="phase-training", name_en="Phase training", programme=world["phase"]
    )
    page = html(client.get("/en/programmes/agri-senegal/"))
    assert 'href="/en/events/phase-training/"' in page
