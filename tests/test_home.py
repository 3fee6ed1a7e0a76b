import pytest
from django.utils import timezone

from tests import factories
from tests.helpers import count_queries, html, url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "4 programmes",
                "3 organizations",
                "1 SME",
                "3 events",
                "Active programmes",
                'href="/en/programmes/agri-senegal/"',
                'href="/en/events/sipen-next/"',
                'href="/en/countries/sn/">Senegal</a>',
            ],
        ),
        (
            "fr",
            [
                "4 programmes",
                "3 organisations",
                "1 PME",
                "3 événements",
                "Programmes en cours",
                'href="/fr/evenements/consultation-dakar/"',
                'href="/fr/pays/sn/">Sénégal</a>',
            ],
        ),
    ],
)
def test_home(client, world, language, expected):
    page = html(client.get(url("home", language)))
    for text in expected:
        assert text in page
    assert "draft-programme" not in page


def test_home_does_not_grow_with_rows(client, world):
    before = count_queries(lambda: client.get(url("home", "en")))
    for number in range(6):
        factories.EventFactory(slug=f"event-{number}", countries=[world["SN"]])
        factories.ProgrammeFactory(slug=f"programme-{number}", countries=[world["SN"]])
    assert count_queries(lambda: client.get(url("home", "en"))) == before


# A home page that invites: it leads with what exists ---------------------------------


def section(page, css_class):
    """The HTML of the home page's element with this class (its first)."""
    start = page.index(f'class="{css_class}"')
    return page[start : page.index("</section>", start)]


@pytest.mark.parametrize(("language", "zero"), [("en", "0 SMEs"), ("fr", "0 PME")])
def test_no_zero_is_headlined(client, world, language, zero):
    world["sme"].publication_status = "draft"
    world["sme"].save()
    page = html(client.get(url("home", language)))
    counts = page[page.index('<ul class="counts">') : page.index("</ul>", page.index("counts"))]
    # (The map's folded text lists every country's figures, zeros included.)
    figure = page.index('<figure class="picture map">')
    assert zero not in page[:figure] + page[page.index("</figure>", figure) :]
    assert f'href="{url("members:sme-list", language)}"' not in counts
    assert f'href="{url("programmes:programme-list", language)}"' in counts


@pytest.mark.parametrize(
    ("language", "country", "sector", "three", "two", "results"),
    [
        ("en", "Senegal", "Agri-food processing", "3 programmes", "2 programmes", "results"),
        (
            "fr",
            "Sénégal",
            "Transformation agroalimentaire",
            "3 programmes",
            "2 programmes",
            "résultats",
        ),
    ],
)
def test_programmes_by_country_and_by_sector_link_to_the_filtered_lists(
    client, world, language, country, sector, three, two, results
):
    page = html(client.get(url("home", language)))
    programmes = url("programmes:programme-list", language)
    by_country = section(page, "by-country")
    assert f'<a href="{url("country-detail", language, code="sn")}">{country}</a>' in by_country
    assert f'href="{programmes}?country=SN">{three}</a>' in by_country
    assert f'href="{programmes}?country=ML">{two}</a>' in by_country
    # A country with no programme is not listed with a zero.
    assert url("country-detail", language, code="bf") not in by_country
    by_sector = section(page, "by-sector")
    assert f'<a href="{url("sector-detail", language, slug="agri-food")}">{sector}</a>' in by_sector
    assert f'href="{programmes}?sector=agri-food">{two}</a>' in by_sector
    # The filtered list shows as many as the link says.
    listed = html(client.get(f"{programmes}?country=SN"))
    assert f'class="result-count">{three.replace("programmes", results)}</h2>' in listed


@pytest.mark.parametrize(
    ("language", "verified", "added"),
    [("en", "verified on", "added on"), ("fr", "vérifiée le", "ajoutée le")],
)
def test_recent_and_verified_records_lead(client, world, language, verified, added):
    world["optic"].last_verified = timezone.localdate()
    world["optic"].save()
    page = html(client.get(url("home", language)))
    latest = section(page, "latest")
    assert latest.index("/optic/") < latest.index(added)
    assert verified in latest
    assert "draft-programme" not in latest
    # Before the lists of what is running or coming.
    assert page.index('class="latest"') < page.index(
        "<h2>" + ("Active programmes" if language == "en" else "Programmes en cours")
    )


@pytest.mark.parametrize(
    ("language", "empty"),
    [("en", "No upcoming event is listed yet."), ("fr", "Aucun événement à venir")],
)
def test_an_empty_events_section_says_what_a_visitor_can_do(client, world, language, empty):
    world["future-event"].publication_status = "draft"
    world["future-event"].save()
    page = html(client.get(url("home", language)))
    upcoming = page[page.index(empty) :]
    upcoming = upcoming[: upcoming.index("</section>")]
    assert f'href="{url("events-calendar", language)}"' in upcoming
    assert f'href="{url("suggestions:suggest", language)}?type=events"' in upcoming
    # The calendar and the suggestion form answer.
    assert client.get(url("events-calendar", language)).status_code == 200
    assert client.get(url("suggestions:suggest", language) + "?type=events").status_code == 200


@pytest.mark.parametrize(
    ("language", "today"),
    [("en", "known to be running today"), ("fr", "aujourd’hui")],
)
def test_no_running_programme_stays_qualified_as_today_and_invites(client, world, language, today):
    for programme in ("active", "phase"):
        world[programme].publication_status = "draft"
        world[programme].save()
    page = html(client.get(url("home", language)))
    assert today in page
    assert f'href="{url("suggestions:suggest", language)}?type=programmes"' in page
    # What exists comes before what is missing.
    assert page.index('class="by-country"') < page.index(today)


def test_home_with_more_rows_and_verified_ones_runs_the_same_queries(client, world):
    before = count_queries(lambda: client.get(url("home", "fr")))
    for number in range(10):
        factories.OrganizationFactory(
            slug=f"org-{number}", countries=[world["ML"]], last_verified=timezone.localdate()
        )
        factories.ProgrammeFactory(slug=f"programme-{number}", sectors=[world["agrifood"]])
        factories.EventFactory(slug=f"event-{number}", countries=[world["BF"]])
    assert count_queries(lambda: client.get(url("home", "fr"))) == before
