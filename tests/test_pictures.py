"""The map, the timeline and the relationship graphs, as the server draws them."""

import itertools
import re

import pytest
from django.utils import timezone

from ecosystem.pictures.timeline import BAR_WIDTH, LABEL_WIDTH
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
        r'0 opportunité, 2 événements, 0 série d’événements"><path class="country shade-4"',
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
    svg = page[page.index('class="timeline-svg wide"') :]
    svg = svg[: svg.index("</svg>")]
    # Digital Mali ran from January (year-8) to December (year-4): a bar of 5 whole years,
    # drawn as past its planned end (no source written since says it ended).
    bar = re.search(
        r'<rect class="bar status-past_planned_end" x="([\d.]+)" y="[\d.]+" '
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


def markers(page):
    """The map's viewBox (left, top, right, bottom) and its markers: [(number, place,
    centre x, centre y, radius)], as the page draws them."""
    left, top, width, height = (
        float(number)
        for number in re.search(r'class="picture map">\s*<svg viewBox="([^"]+)"', page)[1].split()
    )
    found = [
        (int(number), place, float(x), float(y), float(r))
        for number, place, x, y, r in re.findall(
            r'<g class="site-marker"><title>(\d+)\. ([^<]+)</title>'
            r'<circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"/>',
            page,
        )
    ]
    return (left, top, left + width, top + height), found


def assert_apart_and_inside(frame, found):
    """No two markers' boxes overlap (as a browser measures them) and none leaves the map."""
    left, top, right, bottom = frame
    for index, (_number, place, x, y, r) in enumerate(found):
        assert left <= x - r and x + r <= right and top <= y - r and y + r <= bottom, place
        for _number, other, other_x, other_y, other_r in found[index + 1 :]:
            assert max(abs(x - other_x), abs(y - other_y)) >= r + other_r, (place, other)


@pytest.mark.parametrize(("language", "senegal"), [("en", "Senegal"), ("fr", "Sénégal")])
@pytest.mark.parametrize("path", ["/{language}/", "/{language}/programmes/hub-iit/"])
def test_the_seeded_sites_are_numbered_apart_inside_the_map(
    client, seeded, language, senegal, path
):
    page = html(client.get(path.format(language=language)))
    frame, found = markers(page)
    assert_apart_and_inside(frame, found)
    # Numbered from 1, in order, and each number named once in the list under the map.
    assert [number for number, *_rest in found] == list(range(1, len(found) + 1))
    key = page[page.index('<ol class="map-key"') : page.index("</ol>", page.index("map-key"))]
    names = re.findall(
        r'<span class="map-number" aria-hidden="true">(\d+)</span> ([^<]+)</li>', key
    )
    assert names == [(str(number), place) for number, place, *_rest in found]
    assert f"Hub-IIT Ziguinchor, {senegal}" in dict(names).values()
    key_name = {"en": "Sites on the map", "fr": "Sites sur la carte"}[language]
    assert f'<ol class="map-key" aria-label="{key_name}">' in page
    assert {"en": "Each numbered marker", "fr": "Chaque repère numéroté"}[language] in page
    assert len(found) >= 7  # Dakar/Thiès, Ziguinchor, Bamako, Sikasso, N’Djamena and more
    # Dakar/Thiès, Diamniadio and Ziguinchor lie within a few units of each other: a
    # crowded marker stands aside, joined to its dot by a line.
    assert '<line class="leader"' in page


def test_crowded_sites_at_the_edge_stand_apart_inside_the_map(client, world):
    """Six sites in one city, and one at the frame's edge: every marker finds room."""
    for number in range(6):
        factories.SiteFactory(
            programme=world["active"],
            name=f"Dakar site {number}",
            city="Dakar",
            country=world["SN"],
            latitude=14.69,
            longitude=-17.44,
        )
    factories.SiteFactory(
        programme=world["active"],
        name="Hub far east",
        city="Edge",
        country=world["SN"],
        latitude=0.5,
        longitude=24.9,
    )
    for language in ("en", "fr"):
        page = html(client.get(url("home", language)))
        frame, found = markers(page)
        assert len(found) == 7
        assert_apart_and_inside(frame, found)
        # One marker may sit on the shared dot; the five others are led back to it.
        assert page.count('<line class="leader" x1="') == 5


def test_on_a_phone_the_timeline_fits_with_each_name_above_its_bar(client, world):
    page = html(client.get(url("programmes:programme-list", "fr")))
    narrow = page[page.index('class="timeline-svg narrow"') :]
    narrow = narrow[: narrow.index("</svg>")]
    width = float(
        re.search(r'<svg viewBox="0 0 ([\d.]+) [^>]*class="timeline-svg narrow"', page)[1]
    )
    # 360 units: a phone's 358 px frame holds it whole, with 13 px names (site.css).
    assert width == 360
    bars = [
        (float(x), float(w))
        for x, w in re.findall(
            r'<rect class="bar[^"]*" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', narrow
        )
    ]
    assert bars and all(x >= 0 and x + w <= width for x, w in bars)
    # A name's baseline is above its bar's top, and starts at the left edge.
    rows = re.findall(
        r'<text class="label" x="([\d.]+)" y="([\d.]+)">[^<]+</text><rect [^>]* y="([\d.]+)"',
        narrow,
    )
    assert rows and all(float(text_y) <= float(bar_y) for _x, text_y, bar_y in rows)
    # Year labels 40 units apart at least, the first and last inside the drawing.
    ticks = [float(x) for x in re.findall(r'<text class="year" x="([\d.]+)" y="12"', narrow)]
    assert all(b - a >= 40 for a, b in itertools.pairwise(ticks))
    assert ticks[0] - 14 >= 0 and ticks[-1] + 14 <= width
    assert 'href="/fr/programmes/digital-mali/"' in narrow and 'class="today"' in narrow
