"""Country and sector pages, and their indexes."""

import re

import pytest
from django.core.cache import cache

from tests import factories
from tests.helpers import ROW_LINK, count_queries, html, shown, url

pytestmark = pytest.mark.django_db


def test_a_country_page_lists_what_is_there(client, world):
    response = client.get(url("country-detail", "en", code="sn"))
    assert set(shown(response)) == {
        "agri-senegal",
        "agri-senegal-2",
        "digital-sahel",
        "afd",
        "optic",
        "agro-thies",
        "consultation-dakar",
        "sipen-next",
    }
    page = html(response)
    assert "<h1>Senegal</h1>" in page
    assert 'href="/en/programmes/?country=SN"' in page


def test_a_country_page_in_french_and_upper_case(client, world):
    page = html(client.get(url("country-detail", "fr", code="ML")))
    assert "<h1>Mali</h1>" in page
    assert "Afrique de l’Ouest" in page


def test_a_sector_page_includes_its_sub_sectors(client, world):
    response = client.get(url("sector-detail", "en", slug="digital-technology"))
    assert set(shown(response)) == {
        "digital-mali",
        "digital-sahel",
        "optic",
        "consultation-dakar",
        "sipen-next",
    }


def test_hub_pages_do_not_grow_with_rows(client, world):
    pages = [url("country-detail", "en", code="sn"), url("sector-detail", "en", slug="agri-food")]
    factories.SiteFactory(
        programme=world["active"], name="Hub", country=world["SN"], latitude=14, longitude=-17
    )
    assert all(client.get(page).status_code == 200 for page in pages)
    before = [count_queries(lambda page=page: client.get(page)) for page in pages]
    for number in range(6):
        factories.ProgrammeFactory(
            slug=f"more-{number}", countries=[world["SN"]], sectors=[world["agrifood"]]
        )
        factories.EventFactory(slug=f"event-{number}", countries=[world["SN"]])
        # Its hubs and sites, listed and drawn, each once however many phases it served.
        for programme in (world["active"], world["phase"]):
            factories.SiteFactory(
                programme=programme,
                name=f"Hub {number}",
                country=world["SN"],
                host=factories.OrganizationFactory(),
                latitude=14 + number / 10,
                longitude=-16,
            )
    assert [count_queries(lambda page=page: client.get(page)) for page in pages] == before


def test_the_country_index_counts_published_records(client, world):
    page = html(client.get(url("country-list", "en")))
    # Senegal: 3 programmes, 2 organizations, 1 SME, no call, 2 events.
    assert (
        '<a href="/en/countries/sn/">Senegal</a></th><td data-label="Programmes">3</td>'
        '<td data-label="Organizations">2</td><td data-label="SMEs">1</td>'
        '<td data-label="Calls">0</td><td data-label="Events">2</td>'
    ) in page
    assert "/en/countries/bf/" not in page  # nothing there yet


def test_the_sector_index(client, world):
    page = html(client.get(url("sector-list", "fr")))
    assert "Technologies numériques" in page
    # Digital technology counts its IT & BPO programme too.
    assert (
        '<a href="/fr/secteurs/digital-technology/">Technologies numériques</a></th>'
        '<td data-label="Programmes">2</td>'
    ) in page


def test_the_indexes_count_in_a_fixed_number_of_queries(client, world):
    pages = [url("country-list", "en"), url("sector-list", "en")]
    before = [count_queries(lambda page=page: client.get(page)) for page in pages]
    for number in range(10):
        factories.ProgrammeFactory(
            slug=f"counted-{number}", countries=[world["ML"]], sectors=[world["it-bpo"]]
        )
        factories.OrganizationFactory(slug=f"org-{number}", countries=[world["BF"]])
    assert [count_queries(lambda page=page: client.get(page)) for page in pages] == before


def test_a_country_page_shows_a_sample_and_links_to_the_whole_list(client, world):
    for number in range(25):
        factories.ProgrammeFactory(slug=f"many-{number:02}", countries=[world["SN"]])
    page = html(client.get(url("country-detail", "en", code="sn")))
    shown_programmes = [slug for slug in ROW_LINK.findall(page) if slug.startswith("many-")]
    assert len(shown_programmes) < 25
    assert 'href="/en/programmes/?country=SN">See all 28 in the list</a>' in page
    french = html(client.get(url("country-detail", "fr", code="sn")))
    assert "Voir les 28 fiches dans la liste" in french


@pytest.mark.parametrize(
    ("language", "west", "central"),
    [("en", "West Africa", "Central Africa"), ("fr", "Afrique de l’Ouest", "Afrique centrale")],
)
def test_the_country_index_is_grouped_by_region_west_africa_first(
    client, world, language, west, central
):
    chad = factories.CountryFactory(code="TD", region="central_africa")
    factories.ProgrammeFactory(slug="chad-programme", countries=[chad])
    page = html(client.get(url("country-list", language)))
    order = re.findall(r'href="/\w\w/(?:countries|pays)/(\w\w)/"', page.split("<table")[1])
    assert order == ["ml", "sn", "td"]  # Mali, Senegal; then Chad, in its own region
    mali = url("country-detail", language, code="ML")
    assert page.index(west) < page.index(mali) < page.index(central)


def status_cell(row):
    return re.search(r'<td data-label="(?:Status|Statut)">(.*?)</td>', row).group(1)


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Hubs and sites"), ("fr", "Hubs et sites")]
)
def test_the_mali_page_lists_its_hubs_and_draws_them(client, seeded, language, heading):
    page = html(client.get(url("country-detail", language, code="ML")))
    part = page[page.index(f"<h2>{heading}</h2>") :]
    part = part[: part.index("</section>")]
    table = part[part.index("<table") :]
    rows = re.findall(r"<tr><td.*?</tr>", table, re.S)
    assert [re.search(r'data-label="[^"]+">([^<]+)</td>', row).group(1) for row in rows] == [
        "Hub-IIT Bamako",  # once, though the pilot and the deployment both list it
        "Hub-IIT Sikasso",
    ]
    bamako, sikasso = rows
    assert f'href="/{language}/programmes/hub-iit-pilot/"' in bamako
    assert f'href="/{language}/programmes/hub-iit-deployment/"' in bamako
    # Its status as the programme's page says it ("planned (as of January 2019)").
    deployment = url("programmes:programme-detail", language, slug="hub-iit-deployment")
    programme = html(client.get(deployment))
    (listed,) = [row for row in re.findall(r"<tr><td.*?</tr>", programme) if "Sikasso" in row]
    assert status_cell(sikasso) == status_cell(listed) != ""
    svg = part[part.index("<svg") : part.index("</svg>")]
    assert svg.count('<g class="site-marker">') == 2  # numbered, named in the key below
    key = part[part.index('<ol class="map-key"') : part.index("</ol>")]
    assert "Hub-IIT Bamako" in key and "Hub-IIT Sikasso" in key
    mali = url("country-detail", language, code="ML")
    assert f'<a href="{mali}"' in svg  # the country drawn, shaded


def test_a_country_without_sites_has_no_sites_section(client, world):
    page = html(client.get(url("country-detail", "en", code="sn")))
    assert "Hubs and sites" not in page and 'class="picture map"' not in page
    factories.SiteFactory(
        programme=world["active"], name="Hub Thiès", city="Thiès", country=world["SN"]
    )
    page = html(client.get(url("country-detail", "en", code="sn")))
    assert "Hub Thiès" in page and "Hubs and sites" in page
    assert 'class="picture map"' not in page  # no coordinates: listed, not drawn


@pytest.mark.parametrize(
    ("language", "note"),
    [
        ("en", "The first 2 sites opened; each programme’s page lists all of its sites."),
        ("fr", "Les 2 premiers sites ouverts ; la page de chaque programme liste tous ses sites."),
    ],
)
def test_a_country_page_lists_its_first_sites_and_says_so(
    client, world, monkeypatch, language, note
):
    from ecosystem.site import views

    monkeypatch.setattr(views, "HUB_SITES", 2)
    for number, year in enumerate((2019, 2017, 2018)):
        for programme in (world["active"], world["phase"]):  # each place once
            factories.SiteFactory(
                programme=programme,
                name=f"Hub {number}",
                country=world["SN"],
                opened=f"{year}-01-01",
            )
    page = html(client.get(url("country-detail", language, code="sn")))
    assert "Hub 1" in page and "Hub 2" in page and "Hub 0" not in page
    assert note in page
    monkeypatch.setattr(views, "HUB_SITES", 3)
    cache.clear()
    page = html(client.get(url("country-detail", language, code="sn")))
    assert "Hub 0" in page and note.split(";")[0][:9] not in page
