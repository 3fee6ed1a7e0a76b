"""Nothing on a page is more certain or more current than its source: statuses say as of
when, every fact has a numbered note pointing to its source, outside facts say so."""

import datetime
import re

import pytest
from django.core.management import CommandError, call_command

from ecosystem.opendata import seeding
from programmes.models import Programme, ProgrammeStatus
from tests import factories
from tests.helpers import count_queries, html, in_language, url
from tests.test_seed import write

NOTE = re.compile(r'<sup class="note"><a href="#source-(\d+)"')


def notes_point_to_sources(fragment, page):
    """The note numbers in `fragment`, each checked to name an item of the page's list."""
    numbers = NOTE.findall(fragment)
    for number in numbers:
        assert f'id="source-{number}"' in page
    return numbers


@pytest.mark.parametrize(
    ("language", "status", "planned", "announced"),
    [
        (
            "en",
            "Last reported active, January 2019",
            "planned (as of January 2019)",
            "announced (as of January 2019)",
        ),
        (
            "fr",
            "En cours selon les dernières informations (janvier 2019)",
            "prévu (état connu en janvier 2019)",
            "annoncé (état connu en janvier 2019)",
        ),
    ],
)
def test_an_old_source_never_makes_a_status_current(
    client, seeded, language, status, planned, announced
):
    page = html(client.get(f"/{language}/programmes/hub-iit/"))
    kind = page[page.index('<p class="kind">') :]
    assert kind.startswith(f'<p class="kind">{status}')
    sites = page[page.index("<table") : page.index("</table>")]
    assert sites.count(planned) == 6  # every hub but Bamako was planned in January 2019
    assert announced in page  # the June 2019 mission, as the January article announced it
    # The home page's active programmes: only what is known to be running today.
    home = html(client.get(f"/{language}/"))
    heading = "Active programmes" if language == "en" else "Programmes en cours"
    section = home[home.index(heading) :]
    section = section[: section.index("</section>")]
    assert "/programmes/hub-iit/" not in section
    empty = "known to be running today" if language == "en" else "connu pour être en cours"
    assert empty in section


def test_the_status_filter_and_the_api_say_last_reported_active(client, seeded):
    listed = html(client.get("/en/programmes/?status=reported_active"))
    assert 'href="/en/programmes/hub-iit/"' in listed
    assert 'href="/en/programmes/hub-iit/"' not in html(client.get("/en/programmes/?status=active"))
    data = client.get("/api/v1/programmes/hub-iit/").json()
    assert data["status"] == "reported_active"
    assert data["status_as_of"] == "2019-01-17"
    deployment = client.get("/api/v1/programmes/hub-iit-deployment/").json()
    sites = {site["name"]: site for site in deployment["sites"]}
    ziguinchor = sites["Hub-IIT Ziguinchor"]
    assert (ziguinchor["status"], ziguinchor["status_as_of"]) == ("planned", "2019-01-17")
    assert ziguinchor["source"] == "hub-iit-techdev"
    assert sites["Hub-IIT Dakar/Thiès"]["location_source"] == "geonames"
    event = client.get("/api/v1/events/hub-iit-mission-burkina-faso-2019/").json()
    assert (event["status"], event["status_as_of"]) == ("announced", "2019-01-17")


def test_a_recent_verification_makes_an_open_ended_programme_active(db, settings):
    settings.VERIFIED_RECENTLY_MONTHS = 18
    today = datetime.date(2026, 11, 30)
    programme = factories.ProgrammeFactory(start=datetime.date(2015, 1, 1), start_precision="year")
    for verified, expected in [
        (None, ProgrammeStatus.REPORTED_ACTIVE),
        (datetime.date(2025, 5, 30), ProgrammeStatus.ACTIVE),  # 18 months ago to the day
        (datetime.date(2025, 5, 29), ProgrammeStatus.REPORTED_ACTIVE),
    ]:
        programme.last_verified = verified
        programme.save()
        assert programme.status_on(today) == expected
        found = Programme.objects.with_status(expected, today=today)
        assert found.filter(pk=programme.pk).exists()


def test_a_programme_with_no_dated_source_has_an_unknown_status(client, db):
    factories.ProgrammeFactory(
        slug="undated", start=datetime.date(2015, 1, 1), start_precision="year"
    )
    assert "Status unknown" in html(client.get("/en/programmes/undated/"))
    assert "Statut inconnu" in html(client.get("/fr/programmes/undated/"))


SEEDED_PAGES = [
    *(
        f"/programmes/{slug}/"
        for slug in ["hub-iit", "hub-iit-deployment", "ntf-iv", "ntf-v", "ptn-diamniadio"]
    ),
    "/events/it-bpo-sector-consultation-1-dakar-2018/",
    "/organizations/optic/",
    "/organizations/afd/",
]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("path", SEEDED_PAGES)
def test_every_role_site_and_figure_has_a_note_pointing_to_its_source(
    client, seeded, language, path
):
    page = html(client.get(in_language(f"/en{path}", language)))
    roles = "".join(re.findall(r'<dl class="roles">.*?</dl>', page, re.S))
    for fragment in re.findall(r"<dd>.*?</dd>", roles):
        assert notes_point_to_sources(fragment, page), fragment
    # A programme's lists (who is involved, sites, series supported): a row's note is
    # given once above the list when every row cites the same source.
    for section in re.findall(r"<section>.*?</section>", page, re.S):
        above = re.search(r'<p class="list-source">(.*?)</p>', section, re.S)
        shared = notes_point_to_sources(above.group(1), page) if above else []
        lists = re.findall(r'<ul class="(?:involved|supported)">.*?</ul>', section, re.S)
        rows = [*re.findall(r"<li>.*?</li>", "".join(lists), re.S)]
        rows += re.findall(r"<tr><td[^>]*>.*?</tr>", section, re.S)  # sites
        for fragment in rows:
            assert notes_point_to_sources(fragment, page) or shared, fragment
    figures = re.search(r'<ul class="indicators">(.*?)</ul>', page, re.S)
    for fragment in re.findall(r"<li>.*?</li>", figures.group(1) if figures else ""):
        assert notes_point_to_sources(fragment, page), fragment


@pytest.mark.parametrize(
    ("language", "outside"), [("en", "outside source"), ("fr", "source extérieure")]
)
def test_dates_from_an_outside_source_say_so(client, seeded, language, outside):
    page = html(client.get(f"/{language}/programmes/ntf-iv/"))
    kind = page[page.index('<p class="kind">') : page.index("</p>", page.index('<p class="kind">'))]
    (number,) = NOTE.findall(kind)
    assert f"[{number}, {outside}]" in kind
    listed = page[page.index(f'id="source-{number}"') :]
    assert listed[: listed.index("</li>")].count("Agence Ecofin") == 1


@pytest.mark.parametrize("language", ["en", "fr"])
def test_dakar_thies_and_diamniadio_are_on_the_maps(client, seeded, language):
    senegal = {"en": "Senegal", "fr": "Sénégal"}[language]
    home = html(client.get(f"/{language}/"))
    # Each site is a numbered marker on the map, named by the list under it.
    key = home[home.index('<ol class="map-key"') :]
    key = key[: key.index("</ol>")]
    assert f"Hub-IIT Dakar/Thiès, {senegal}</li>" in key
    assert f"Parc des technologies numériques de Diamniadio, {senegal}</li>" in key
    page = html(client.get(f"/{language}/programmes/hub-iit/"))
    # The umbrella's map holds its phases' sites.
    assert re.search(rf"<title>\d+\. Hub-IIT Dakar/Thiès, {senegal}</title>", page)
    assert "geonames.org" in page  # the coordinates cite where they come from


@pytest.mark.parametrize(
    ("language", "partner", "inverse"),
    [("en", "Partner of", "Partner"), ("fr", "Partenaire de", "Partenaire")],
)
def test_relations_between_organizations_show_on_both_pages(
    client, seeded, language, partner, inverse
):
    optic_url, sen_startup_url, consortium_url = (
        url("members:organization-detail", language, slug=slug)
        for slug in ("optic", "sen-startup", "digital-senegal-consortium")
    )
    optic = html(client.get(optic_url))
    assert f'href="{sen_startup_url}"' in optic
    assert f'href="{consortium_url}"' in optic
    assert partner in optic
    sen_startup = html(client.get(sen_startup_url))
    assert f'href="{optic_url}"' in sen_startup
    assert inverse in sen_startup
    consortium = html(client.get(consortium_url))
    assert f'href="{optic_url}"' in consortium


@pytest.mark.parametrize(
    ("language", "patronage"), [("en", "Under the aegis of"), ("fr", "Sous l’égide de")]
)
def test_the_2018_consultation_was_held_under_the_ministry_s_aegis(
    client, seeded, language, patronage
):
    consultation = "it-bpo-sector-consultation-1-dakar-2018"
    page = html(client.get(url("events:event-detail", language, slug=consultation)))
    roles = page[page.index('<dl class="roles">') :]
    heading = roles.index(patronage)
    assert roles.index("senegal-ministry-commerce-smes") > heading
    assert ">Host<" not in roles and ">Hôte<" not in roles


def test_the_api_and_the_csv_carry_the_sources(client, seeded):
    programme = client.get("/api/v1/programmes/ntf-iv/").json()
    keys = {source["key"] for source in programme["sources"]}
    assert programme["dates_source"] == "ecofin-ntf-v-2021"
    funder = next(role for role in programme["roles"] if role["role"] == "funding")
    assert funder["source"] == "ecofin-ntf-iv-2018"
    assert all(role["source"] for role in programme["roles"])
    assert "it-bpo-consultation-2018" in keys
    published = {source["key"]: source["published"] for source in programme["sources"]}
    assert published["it-bpo-consultation-2018"] == "2018"  # at its precision
    csv = client.get("/en/programmes/export.csv?q=NTF+IV").getvalue().decode()
    header, *rows = csv.splitlines()
    assert "Sources" in header and "Last verified" in header
    assert "https://www.lejecos.com/" in csv


def test_a_seeded_fact_without_its_source_is_refused(tmp_path, db):
    data = seeding.read()
    del data["programmes"][0]["roles"][0]["source"]
    with pytest.raises(CommandError, match="roles, field 'source': every seeded fact cites"):
        call_command("seed_ecosystem", file=write(tmp_path, data), verbosity=0)


@pytest.mark.parametrize(
    ("language", "took_part", "through"),
    [("en", "Delegation", "through NTF V"), ("fr", "Délégation", "grâce au programme NTF V")],
)
def test_a_series_is_a_record_with_its_page(client, seeded, language, took_part, through):
    page = html(client.get(f"/{language}/series/sipen/"))
    assert "SIPEN" in page
    roles = page[page.index('<dl class="roles">') :]
    assert took_part in roles and through in roles
    optic_url = url("members:organization-detail", language, slug="optic")
    assert f'href="{optic_url}"' in roles
    assert NOTE.search(roles)  # the participation cites its source
    listed = html(client.get(f"/{language}/series/"))
    for slug in ["sipen", "vivatech", "africarena", "gitex-international", "thematic-breakfasts"]:
        assert f'href="/{language}/series/{slug}/"' in listed
    optic = html(client.get(optic_url))
    assert f'href="/{language}/series/gitex-international/"' in optic
    consultations = html(client.get(f"/{language}/series/it-bpo-export-strategy-consultations/"))
    event_url = url("events:event-detail", language, slug="it-bpo-sector-consultation-1-dakar-2018")
    assert f'href="{event_url}"' in consultations
    event = html(client.get(event_url))
    assert f'href="/{language}/series/it-bpo-export-strategy-consultations/"' in event


def test_series_are_in_the_api_the_sitemap_and_the_csv(client, seeded):
    series = client.get("/api/v1/series/sipen/").json()
    assert series["events"].endswith("/api/v1/events/?series=sipen")
    assert series["roles"] == [
        {"organization": "optic", "role": "delegation", "source": "optic-ntf-v", "through": "ntf-v"}
    ]
    assert client.get("/api/v1/series/?country=FR").json()["count"] == 1  # VivaTech
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "sitemap-series.xml" in sitemap
    assert "/en/series/sipen/" in client.get("/sitemap-series.xml").content.decode()
    csv = client.get("/en/series/export.csv").getvalue().decode()
    assert "GITEX International" in csv


def test_a_draft_series_is_not_public(client, seeded):
    from events.models import EventSeries

    EventSeries.objects.filter(slug="sipen").update(publication_status="draft")
    assert client.get("/en/series/sipen/").status_code == 404
    assert "sipen" not in html(client.get("/en/series/"))
    assert "/series/sipen/" not in html(client.get("/en/search/?q=sipen"))


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("mali", ("country-detail", {"code": "ML"})),
        # the Dakar/Thiès hub, on its page
        ("thies", ("programmes:programme-detail", {"slug": "hub-iit-deployment"})),
        ("sipen", ("events:series-detail", {"slug": "sipen"})),
        ("agritech", ("sector-detail", {"slug": "agritech"})),
        ("lejecos", "https://www.lejecos.com/"),  # a source, by its publisher
    ],
)
def test_search_finds_everything(client, seeded, language, query, found):
    page = html(client.get(url("search", language), {"q": query}))
    if isinstance(found, tuple):
        name, kwargs = found
        found = url(name, language, **kwargs)
    assert f'href="{found}' in page


def test_search_marks_the_matched_words_and_keeps_one_box(client, seeded):
    page = html(client.get("/en/search/?q=thies"))
    assert "<mark>Thiès</mark>" in page
    assert page.count('type="search"') == 1
    assert "<mark>&lt;" not in html(client.get("/en/search/?q=%3Cb%3E"))  # never markup


@pytest.mark.parametrize(
    ("language", "did_you_mean"), [("en", "Did you mean:"), ("fr", "Vouliez-vous dire :")]
)
def test_a_misspelt_query_gets_a_did_you_mean(client, seeded, language, did_you_mean):
    page = html(client.get(url("search", language), {"q": "sipem"}))
    assert did_you_mean in page
    assert 'href="?q=SIPEN"' in page  # as the series writes its name
    assert did_you_mean not in html(client.get(url("search", language), {"q": "zzzzqqq"}))


def test_country_names_take_the_typographic_apostrophe(db):
    from ecosystem.core.models import Country

    country = Country(code="CI", region="west_africa")
    country.save()
    assert (country.name_en, country.name_fr) == ("Côte d’Ivoire", "Côte d’Ivoire")


def test_a_series_page_lists_its_latest_editions_in_fixed_queries(client, db):
    series = factories.EventSeriesFactory(slug="forum")
    page_of_series = "/en/series/forum/"
    factories.EventFactory(slug="forum-0", series=series)
    one = count_queries(lambda: client.get(page_of_series))
    for number in range(1, 25):  # more than tenfold, past the 20 shown
        factories.EventFactory(slug=f"forum-{number}", series=series)
    assert count_queries(lambda: client.get(page_of_series)) == one
    page = html(client.get(page_of_series))
    assert page.count('<li class="record">') == 20
    assert 'href="/en/events/?series=forum"' in page
