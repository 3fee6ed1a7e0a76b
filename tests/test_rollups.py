"""An umbrella programme's page (HUB-IIT) rolls up its phases: each organization once with
its roles and the phases it held them in, each site once with the phases it served, a
source cited by every row of a list given one note, and long lists folded on a phone."""

import re

import pytest

from tests import factories
from tests.helpers import html, in_language

pytestmark = pytest.mark.django_db

NOTE = re.compile(r'<sup class="note"><a href="#source-(\d+)"')


def organization_page(slug, language):
    return in_language(f"/en/organizations/{slug}/", language)


def section(page, heading):
    start = page.index(f"<h2>{heading}</h2>")
    return page[start : page.index("</section>", start)]


def rows(part, tag="li"):
    return re.findall(rf"<{tag}>.*?</{tag}>", part, re.S)


@pytest.mark.parametrize(
    ("language", "involved", "funder", "phases"),
    [
        ("en", "Who is involved", "funder", "phases:"),
        ("fr", "Qui est impliqué", "bailleur de fonds", "phases :"),
    ],
)
def test_the_umbrella_names_each_organization_once_with_its_phases(
    client, seeded, language, involved, funder, phases
):
    page = html(client.get(f"/{language}/programmes/hub-iit/"))
    part = section(page, involved)
    part = part[part.index('<ul class="involved">') :]  # the graph above links them too
    for slug in ["afd", "tech-dev", "fondation-avril", "apep"]:
        assert part.count(f'href="{organization_page(slug, language)}"') == 1, slug
    (afd,) = [row for row in rows(part) if "/afd/" in row]
    assert f"— {funder} " in afd
    assert phases in afd  # AFD funded the umbrella, its pilot and its deployment
    assert f'href="/{language}/programmes/hub-iit-pilot/"' in afd
    assert f'href="/{language}/programmes/hub-iit-deployment/"' in afd
    (avril,) = [row for row in rows(part) if "/fondation-avril/" in row]
    assert "hub-iit-deployment" in avril and "hub-iit-pilot" not in avril


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_umbrella_lists_each_site_once_with_the_phases_it_served(client, seeded, language):
    page = html(client.get(f"/{language}/programmes/hub-iit/"))
    table = page[page.index("<table") : page.index("</table>")]
    sites = rows(table, "tr")[1:]  # the heading row first
    names = [re.search(r'data-label="Site">([^<]+?) ?<', row).group(1) for row in sites]
    assert len(names) == len(set(names)) == 7
    (bamako,) = [row for row in sites if "Hub-IIT Bamako" in row]
    assert "hub-iit-pilot" in bamako and "hub-iit-deployment" in bamako
    assert bamako.count(f'href="{organization_page("apep", language)}"') == 1  # its host, once
    (sikasso,) = [row for row in sites if "Hub-IIT Sikasso" in row]
    assert "hub-iit-deployment" in sikasso and "hub-iit-pilot" not in sikasso


@pytest.mark.parametrize(
    ("language", "every_row"), [("en", "Source of every row:"), ("fr", "Source de chaque ligne :")]
)
def test_a_source_every_row_cites_has_one_note_above_the_list(client, seeded, language, every_row):
    page = html(client.get(f"/{language}/programmes/hub-iit/"))
    for heading in (
        ["Who is involved", "Sites"] if language == "en" else ["Qui est impliqué", "Sites"]
    ):
        part = section(page, heading)
        above = part[part.index('<p class="list-source">') :]
        above = above[: above.index("</p>")]
        assert every_row in above
        listed = part[part.index("</p>", part.index('<p class="list-source">')) :]
        listed = re.sub(r"<figure.*?</figure>", "", listed, flags=re.S)
        assert NOTE.findall(listed) == []  # not once per row
        (number, *_rest) = NOTE.findall(above)
        assert f'id="source-{number}"' in page
    # The Hub-IIT document is one source: one number wherever the page cites it.
    title = "Le réseau des dispositifs HUB-IIT se déploie au Sahel"
    cited = re.findall(rf'href="#source-(\d+)" title="Source \d+\s?: {title}"', page)
    assert len(cited) > 1 and len(set(cited)) == 1


def test_rows_citing_different_sources_keep_their_own_notes(client, db):
    umbrella = factories.ProgrammeFactory(slug="umbrella")
    phase = factories.ProgrammeFactory(slug="phase-1", parent=umbrella)
    first, second = factories.SourceFactory(title="First"), factories.SourceFactory(title="Second")
    funder = factories.OrganizationFactory(slug="funder")
    for programme in (umbrella, phase):
        factories.ProgrammeRoleFactory(programme=programme, organization=funder, source=first)
    factories.ProgrammeRoleFactory(programme=phase, source=second)
    page = html(client.get("/en/programmes/umbrella/"))
    part = section(page, "Who is involved")
    assert "Source of every row:" not in part
    (row,) = [row for row in rows(part) if "/funder/" in row]
    assert len(NOTE.findall(row)) == 1  # cited by two rows, numbered once
    assert all(len(NOTE.findall(row)) == 1 for row in rows(part))


@pytest.mark.parametrize(
    ("language", "summary"),
    [("en", "The 7 sites"), ("fr", "Les 7 sites")],
)
def test_long_lists_fold_behind_a_summary(client, seeded, language, summary):
    page = html(client.get(f"/{language}/programmes/hub-iit/"))
    assert f'<details class="fold"><summary>{summary}</summary>' in page
    assert page.index('<details class="fold">') < page.index("<table")
    assert " style=" not in page and "<script>" not in page
    # A short list (NTF V's three organizations) does not fold.
    ntf = html(client.get(f"/{language}/programmes/ntf-v/"))
    assert 'class="fold"' not in ntf
