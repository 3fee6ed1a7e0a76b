"""The map, the timeline and the relationship graphs, as the server draws them."""

import re

import pytest
from django.utils import timezone

from ecosystem.pictures import BAR_WIDTH, LABEL_WIDTH
from tests import factories
from tests.helpers import html, url

pytestmark = pytest.mark.django_db


def test_the_home_map_shades_countries_and_places_sites(client, world):
    factories.SiteFactory(
        programme=world["active"],
        name="Hub Thiès",
        city="Thiès",
        country=world["SN"],
        latitude=14.79,
        longitude=-16.93,
    )
    page = html(client.get(url("home", "fr")))
    svg = page[page.index("<svg viewBox=") : page.index("</svg>")]
    # Senegal has the most records: darkest; a country with none stays neutral.
    assert re.search(
        r'<a href="/fr/pays/sn/" aria-label="Sénégal : 3 programmes, 2 organisations, 1 PME, '
        r'2 événements, 0 série d’événements"><path class="country shade-4"',
        svg,
    )
    assert '<path class="country other"' in svg  # a country not in the directory
    assert "Thiès" in svg and "Hub Thiès, Sénégal" in page
    # Decimal commas would break SVG coordinates on French pages.
    assert not re.search(r'c[xy]="\d+,\d', svg)
    assert "La carte en texte" in page
    # Burkina Faso has nothing yet: drawn, neither linked nor listed.
    assert "/fr/pays/bf/" not in page


def test_the_timeline_respects_precision(client, world):
    year = timezone.localdate().year
    page = html(client.get(url("programmes:programme-list", "en")))
    svg = page[page.index('class="timeline-svg"') :]
    svg = svg[: svg.index("</svg>")]
    # Digital Mali ran from January (year-8) to December (year-4): a bar of 5 whole years.
    bar = re.search(
        r'<rect class="bar status-closed" x="([\d.]+)" y="[\d.]+" '
        r'width="([\d.]+)"[^>]*><title>Digital Mali: (\d+)–(\d+)</title>',
        svg,
    )
    assert bar and bar.group(3) == str(year - 8) and bar.group(4) == str(year - 4)
    years = [int(y) for y in re.findall(r'class="year"[^>]*>(\d{4})<', svg)]
    span_years = (year + 3 + 1) - (year - 8)  # up to the end of Agri Senegal, inclusive
    per_year = BAR_WIDTH / span_years
    assert abs(float(bar.group(2)) - 5 * per_year) < per_year / 12
    assert float(bar.group(1)) == pytest.approx(LABEL_WIDTH, abs=1)
    assert years[0] == year - 8
    # The open-ended and planned programmes are drawn apart.
    assert 'class="bar status-planned open-ended"' in svg
    # The past consultation is a dot on its programme's row.
    assert "Sector consultation in Dakar" in svg


def test_the_map_frames_west_and_central_africa_and_lists_the_rest(client, world):
    ethiopia = factories.CountryFactory(code="ET", region="east_africa")
    factories.ProgrammeFactory(slug="addis-hub", name_en="Addis hub", countries=[ethiopia])
    page = html(client.get(url("home", "en")))
    x, y, width, height = (
        float(number) for number in re.search(r'<svg viewBox="([^"]+)"', page)[1].split()
    )
    # Not the whole geometry (763 by 510 units): Dakar to N'Djamena fill the width.
    assert x > 0 and width < 500 and height < 400
    # Ethiopia is drawn outside the frame: named and linked under the map.
    assert re.search(r'Outside the map: <a href="/en/countries/et/">Ethiopia</a></p>', page)


def test_relationship_graphs(client, world):
    page = html(client.get(url("programmes:programme-detail", "en", slug="agri-senegal")))
    # A box's link is named by what it shows, its role then its name ("label in name").
    assert re.search(
        r'class="role">funder</text><text text-anchor="middle"><tspan [^>]*>AFD<', page
    )
    assert re.search(
        r'<a href="/en/organizations/optic/"><g class="node role-partner">'
        r'<rect [^>]*/><text [^>]*class="role">partner</text><text text-anchor="middle">'
        r"<tspan [^>]*>OPTIC</tspan></text></g></a>",
        page,
    )
    organization = html(client.get(url("members:organization-detail", "fr", slug="itc")))
    assert "qui y est lié, et comment" in organization
    assert 'href="/fr/programmes/digital-mali/"' in organization


def test_no_picture_without_data(client, db):
    page = html(client.get(url("programmes:programme-list", "en")))
    assert "timeline-svg" not in page


def test_a_crowded_graph_keeps_its_boxes_apart(client, world):
    for number in range(12):
        factories.ProgrammeRoleFactory(
            programme=world["active"],
            role="beneficiary",
            organization=factories.OrganizationFactory(slug=f"sme-{number}", kind="sme"),
        )
    page = html(client.get(url("programmes:programme-detail", "en", slug="agri-senegal")))
    graph = page[page.index('class="graph-svg"') :]
    graph = graph[: graph.index("</svg>")]
    assert graph.count('<g class="node role-') == 10
    assert "7 more" in graph  # 3 roles, a phase and 12 beneficiaries: 9 shown
    # Every beneficiary is still listed in words.
    assert page.count('href="/en/organizations/sme-') >= 12


def test_graph_boxes_wrap_names_instead_of_cutting_them(client, world):
    factories.ProgrammeRoleFactory(
        programme=world["active"],
        role="funding",
        organization=factories.OrganizationFactory(
            slug="nl-ministry", name_en="Netherlands Ministry of Foreign Affairs"
        ),
    )
    page = html(client.get(url("programmes:programme-detail", "en", slug="agri-senegal")))
    graph = page[page.index('class="graph-svg"') :]
    graph = graph[: graph.index("</svg>")]
    lines = re.findall(r"<tspan [^>]*>([^<]*)</tspan>", graph)
    assert "Netherlands Ministry" in lines and "of Foreign Affairs" in lines
    assert "…" not in graph
