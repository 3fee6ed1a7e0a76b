"""Who does what where: the programmes by country and main sector, each cell with its
programmes and funders, the gaps marked, for a period and statuses; the page (en, fr),
its CSV and its API read the same grouped queries."""

import csv
import datetime

import pytest

from tests import factories
from tests.helpers import count_queries, html, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def ecosystem(senegal):
    mali = factories.CountryFactory(code="ML")
    digital = factories.SectorFactory(
        slug="digital-technology", name_en="Digital technology", name_fr="Technologies numériques"
    )
    it_bpo = factories.SectorFactory(
        slug="it-bpo", name_en="IT & BPO", name_fr="IT", parent=digital
    )
    agri = factories.SectorFactory(
        slug="agribusiness", name_en="Agribusiness", name_fr="Agro-industrie"
    )
    afd = factories.OrganizationFactory(
        slug="afd",
        acronym="AFD",
        name_en="French Development Agency",
        name_fr="Agence française de développement",
    )
    hub = factories.ProgrammeFactory(
        slug="hub-iit",
        name_en="Hub IIT",
        name_fr="Hub IIT",
        countries=[senegal, mali],
        sectors=[agri],
        start=datetime.date(2015, 1, 1),
        start_precision="year",
        end=datetime.date(2018, 12, 31),
        end_precision="year",
    )
    factories.ProgrammeRoleFactory(programme=hub, organization=afd)
    ntf = factories.ProgrammeFactory(
        slug="ntf-v",
        name_en="Trust Fund V",
        name_fr="Fonds fiduciaire V",
        countries=[senegal],
        sectors=[digital, it_bpo],
        start=datetime.date(2021, 7, 1),
        end=datetime.date(2027, 6, 30),
    )
    factories.ProgrammeRoleFactory(programme=ntf, role="implementing")
    factories.ProgrammeFactory(
        slug="draft", countries=[senegal], sectors=[agri], publication_status="draft"
    )
    return {"senegal": senegal, "mali": mali, "digital": digital, "agri": agri, "afd": afd}


def cell(page, country, sector):
    """The text of a cell: the country's row, the sector's column."""
    return (
        page.split(f'id="country-{country}"')[1]
        .split("</tr>")[0]
        .split(f'data-label="{sector}"')[1]
        .split("</td>")[0]
    )


@pytest.mark.parametrize(
    ("language", "path", "gap", "programmes"),
    [
        ("en", "/en/who-does-what-where/", "Gap", "1 programme"),
        ("fr", "/fr/qui-fait-quoi-ou/", "Manque", "1 programme"),
    ],
)
def test_the_page_shows_programmes_and_funders_by_country_and_sector(
    client, ecosystem, language, path, gap, programmes
):
    assert url("iati:who-does-what-where", language) == path
    page = html(client.get(path))
    digital = "Digital technology" if language == "en" else "Technologies numériques"
    agri = "Agribusiness" if language == "en" else "Agro-industrie"
    senegal_agri = cell(page, "sn", agri)
    assert programmes in senegal_agri and "Hub IIT" in senegal_agri and ">AFD</a>" in senegal_agri
    assert "draft" not in page
    # NTF V is in a main sector and its sub-sector: counted once, under the main one.
    ntf = "Trust Fund V" if language == "en" else "Fonds fiduciaire V"
    assert "1 programme" in cell(page, "sn", digital) and ntf in cell(page, "sn", digital)
    assert cell(page, "ml", digital).strip().endswith(gap)
    assert "?country=SN&amp;sector=agribusiness" in senegal_agri


def test_period_and_status_narrow_the_cells(client, ecosystem):
    page = html(client.get("/en/who-does-what-where/", {"period": "2020-2023"}))
    assert "Trust Fund V" in page and "Hub IIT" not in page
    page = html(client.get("/en/who-does-what-where/", {"period": "2016"}))
    assert "Hub IIT" in page and "Trust Fund V" not in page
    assert "?country=SN&amp;sector=agribusiness&amp;year=2016" in page
    page = html(client.get("/en/who-does-what-where/", {"status": "past_planned_end"}))
    assert "Hub IIT" in page and "Trust Fund V" not in page


@pytest.mark.parametrize(
    ("language", "said"), [("en", "Period: “1800-2018”"), ("fr", "Période : « 1800-2018 »")]
)
def test_a_bad_period_is_set_aside_and_named_on_the_page(client, ecosystem, language, said):
    response = client.get(url("iati:who-does-what-where", language), {"period": "1800-2018"})
    page = html(response)
    assert f"<li>{said}</li>" in page
    assert "/hub-iit/" in page and "/ntf-v/" in page


@pytest.mark.parametrize("period", ["2023-2101", "soon", "1800", "20188"])
def test_the_api_refuses_a_bad_period_naming_it(client, ecosystem, period):
    response = client.get("/api/v1/who-does-what-where/", {"period": period})
    assert response.status_code == 400
    assert list(response.json()) == ["period"]
    assert client.get("/api/v1/who-does-what-where/", {"status": "asleep"}).status_code == 400


def test_a_period_given_backwards_is_the_same_period(client, ecosystem):
    data = client.get("/api/v1/who-does-what-where/", {"period": "2030-2015"}).json()
    assert data["period"] == [2015, 2030]


def test_the_api_gives_the_cells(client, ecosystem):
    data = client.get("/api/v1/who-does-what-where/", {"period": "2015-2030"}).json()
    assert data["period"] == [2015, 2030]
    assert [s["slug"] for s in data["sectors"]] == ["agribusiness", "digital-technology"]
    senegal = next(c for c in data["countries"] if c["code"] == "SN")
    assert senegal["programmes_count"] == 2
    agri = next(c for c in senegal["cells"] if c["sector"] == "agribusiness")
    assert agri["programmes_count"] == 1 and not agri["gap"]
    assert agri["programmes"][0]["slug"] == "hub-iit"
    assert agri["programmes"][0]["url"].endswith("/programmes/hub-iit/")
    assert agri["funders"] == [
        {
            "slug": "afd",
            "name_en": "French Development Agency",
            "name_fr": "Agence française de développement",
            "programmes_count": 1,
        }
    ]
    mali = next(c for c in data["countries"] if c["code"] == "ML")
    assert next(c for c in mali["cells"] if c["sector"] == "digital-technology")["gap"]
    assert data["gaps"] == 1


@pytest.mark.parametrize(
    ("language", "header", "yes"), [("en", "Gap", "yes"), ("fr", "Manque", "oui")]
)
def test_the_csv_has_a_row_per_cell(client, ecosystem, language, header, yes):
    response = client.get(url("iati:who-does-what-where-export", language))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(response.content.decode("utf-8-sig").splitlines()))
    assert len(rows) == 4  # Mali and Senegal by two main sectors
    gaps = [row for row in rows if row[header] == yes]
    assert len(gaps) == 1


def grow(ecosystem, count):
    for number in range(count):
        programme = factories.ProgrammeFactory(
            countries=[ecosystem["senegal"], ecosystem["mali"]],
            sectors=[ecosystem["digital"], ecosystem["agri"]],
            start=datetime.date(2010 + number % 10, 1, 1),
        )
        factories.ProgrammeRoleFactory(
            programme=programme, organization=factories.OrganizationFactory()
        )


@pytest.mark.parametrize(
    "address",
    [
        "/en/who-does-what-where/?status=active",
        "/fr/qui-fait-quoi-ou/export.csv",
        "/api/v1/who-does-what-where/",
    ],
)
def test_queries_do_not_grow_with_the_programmes(client, ecosystem, address):
    grow(ecosystem, 3)
    few = count_queries(lambda: client.get(address))
    grow(ecosystem, 30)
    assert count_queries(lambda: client.get(address)) == few


def test_home_country_and_sector_pages_link_it(client, ecosystem):
    for path, language in [("/en/", "en"), ("/fr/", "fr")]:
        assert f'href="{url("iati:who-does-what-where", language)}"' in html(client.get(path))
    assert 'href="/en/who-does-what-where/#country-sn"' in html(
        client.get(url("country-detail", code="SN"))
    )
    assert 'href="/fr/qui-fait-quoi-ou/"' in html(
        client.get(url("sector-detail", "fr", slug="agribusiness"))
    )
