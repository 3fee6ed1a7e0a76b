"""Relations read both ways: what an organization's page says about a programme (the
event series it took part in through it, its events, its roles) the programme's page
says too, from the same rows."""

import pytest

from events.models import EventSeriesRole
from members.models import Organization
from tests import factories
from tests.helpers import html, in_language

pytestmark = pytest.mark.django_db

NTF_V_SERIES = ["sipen", "vivatech", "africarena", "gitex-international"]


def organization_page(slug, language):
    return in_language(f"/en/organizations/{slug}/", language)


def event_page(slug, language):
    return in_language(f"/en/events/{slug}/", language)


@pytest.mark.parametrize(
    ("language", "heading", "delegation"),
    [
        ("en", "Event series supported", "sent a delegation to"),
        ("fr", "Séries d’événements soutenues", "a envoyé une délégation à"),
    ],
)
def test_ntf_v_links_the_series_it_supported(client, seeded, language, heading, delegation):
    page = html(client.get(f"/{language}/programmes/ntf-v/"))
    part = page[page.index(f"<h2>{heading}</h2>") :]
    part = part[: part.index("</section>")]
    for slug in NTF_V_SERIES:
        assert f'href="/{language}/series/{slug}/"' in part, slug
    assert f'href="{organization_page("optic", language)}"' in part
    assert delegation in part
    # OPTIC is named once for its four delegations.
    assert part.count(f'href="{organization_page("optic", language)}"') == 1


@pytest.mark.parametrize("language", ["en", "fr"])
def test_what_an_organization_page_says_of_a_programme_its_page_says_too(client, seeded, language):
    """Every series, event and programme role an organization's page ties to a
    programme is on that programme's page, with the organization."""
    checked = 0
    for organization in Organization.objects.published():
        page = html(client.get(organization_page(organization.slug, language)))
        for row in EventSeriesRole.objects.public().filter(organization=organization):
            if row.through is None:
                continue
            assert f'href="/{language}/programmes/{row.programme.slug}/"' in page
            programme = html(client.get(f"/{language}/programmes/{row.programme.slug}/"))
            assert f'href="/{language}/series/{row.series.slug}/"' in programme
            assert f'href="{organization_page(organization.slug, language)}"' in programme
            checked += 1
        for role in organization.event_roles.filter(
            event__publication_status="published", event__programme__publication_status="published"
        ).select_related("event__programme"):
            assert f'href="{event_page(role.event.slug, language)}"' in page
            programme = html(client.get(role.event.programme.get_absolute_url()))
            assert f'href="{event_page(role.event.slug, language)}"' in programme
            checked += 1
        for role in organization.programme_roles.filter(
            programme__publication_status="published"
        ).select_related("programme"):
            assert f'href="/{language}/programmes/{role.programme.slug}/"' in page
            programme = html(client.get(f"/{language}/programmes/{role.programme.slug}/"))
            assert f'href="{organization_page(organization.slug, language)}"' in programme
            checked += 1
    assert checked >= 4 + 1  # NTF V's four series and the 2018 consultation at least


@pytest.mark.parametrize(("language", "phase"), [("en", "phase:"), ("fr", "phase :")])
def test_a_phase_s_series_show_on_its_umbrella_and_the_organization_links_it(
    client, db, language, phase
):
    umbrella = factories.ProgrammeFactory(slug="umbrella", acronym="UMB")
    child = factories.ProgrammeFactory(slug="child", parent=umbrella, acronym="CHILD")
    series = factories.EventSeriesFactory(slug="fair")
    factories.EventSeriesRoleFactory(
        series=series, organization=factories.OrganizationFactory(slug="org"), programme=child
    )
    page = html(client.get(f"/{language}/programmes/umbrella/"))
    assert f'href="/{language}/series/fair/"' in page
    supported = page[page.index('<ul class="supported">') :]
    assert f'{phase} <a href="/{language}/programmes/child/"' in supported
    organization = html(client.get(organization_page("org", language)))
    assert f'href="/{language}/programmes/child/"' in organization  # "(through CHILD)"


def test_a_draft_organization_s_part_shows_on_neither_page(client, db):
    programme = factories.ProgrammeFactory(slug="prog")
    hidden = factories.OrganizationFactory(slug="hidden", publication_status="draft")
    factories.EventSeriesRoleFactory(
        series=factories.EventSeriesFactory(slug="fair"), organization=hidden, programme=programme
    )
    page = html(client.get("/en/programmes/prog/"))
    assert "/series/fair/" not in page and "/organizations/hidden/" not in page
