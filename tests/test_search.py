"""One search box on every page, across every kind of record, grouped by kind; case,
accents and typographic apostrophes fold on SQLite and PostgreSQL alike."""

import re

import pytest
from django.core.management import call_command
from django.db import connection

from ecosystem.core.search import fold
from tests import factories
from tests.helpers import count_queries, html, url

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ranking by relevance is PostgreSQL's"
)


def search(client, query, language="en"):
    return html(client.get(url("search", language), {"q": query}))


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Côte d’Ivoire", "cote d'ivoire"),
        ("Sénégalaise", "senegalaise"),
        ("THIÈS", "thies"),
        ("  N’Djamena\n", "n'djamena"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("senegalaise", "/en/organizations/optic/"),
        ("SÉNÉGALAISE", "/en/organizations/optic/"),
        ("cote d'ivoire", "/en/programmes/ivorian-programme/"),
        ("Côte d’Ivoire", "/en/programmes/ivorian-programme/"),
        ("thies", "/en/organizations/agro-thies/"),
        ("cote divoire", "/en/programmes/ivorian-programme/"),
        ("ndjamena", "/en/events/ndjamena-meetup/"),
        ("centre du commerce", "/en/organizations/itc/"),  # French name on an English page
        ("consultation dakar", "/en/events/consultation-dakar/"),
        ("mali", "/en/programmes/digital-mali/"),  # by its country's name
        ("informatique", "/en/programmes/digital-mali/"),  # by its sector's French name
    ],
)
def test_it_finds_across_languages_and_accents(client, world, query, found):
    factories.ProgrammeFactory(
        slug="ivorian-programme", name_en="Ivorian programme", countries=[world["CI"]]
    )
    factories.EventFactory(slug="ndjamena-meetup", name_en="Meetup in N’Djamena")
    assert f'href="{found}"' in search(client, query)


def test_results_are_grouped_by_kind(client, world):
    page = search(client, "senegal")
    # In the navigation's order: programmes first, the directory's main records.
    assert (
        page.index("<h2>Programmes")
        < page.index("<h2>Organizations")
        < page.index("<h2>SMEs")
        < page.index("<h2>Events")
    )
    assert "hidden-org" not in page  # a draft


def test_a_word_in_a_description_is_found(client, world):
    factories.ProgrammeFactory(
        slug="zz-description-only", name_en="Other", description_en="agri agri agri"
    )
    assert "/zz-description-only/" in search(client, "agri")


@on_postgresql
def test_ranked_by_relevance_on_postgresql(client, world):
    # "agri" is in a name and in a description: the name's record comes first.
    factories.ProgrammeFactory(
        slug="zz-description-only", name_en="Other", description_en="agri agri agri"
    )
    page = search(client, "agri")
    assert page.index("/programmes/agri-senegal/") < page.index("/zz-description-only/")


def test_nothing_found_says_so(client, world):
    page = search(client, "zzzz", "fr")
    assert "Rien dans l’annuaire ne correspond à « zzzz »." in page


def test_an_over_long_query_is_ignored_with_a_message(client, world):
    page = search(client, "x" * 500)
    assert "longer than 200 characters and was ignored" in page


def test_queries_do_not_grow_with_the_results(client, world):
    before = count_queries(lambda: search(client, "senegal"))
    for number in range(5):
        factories.ProgrammeFactory(slug=f"senegal-{number}", countries=[world["SN"]])
    assert count_queries(lambda: search(client, "senegal")) == before


# The copies search reads never go stale ---------------------------------------------


def finds(client, query):
    return 'href="/en/programmes/mali-fund/"' in search(client, query)


@pytest.fixture
def mali_fund(world):
    return factories.ProgrammeFactory(
        slug="mali-fund", name_en="Fund", countries=[world["ML"]], sectors=[world["agrifood"]]
    )


def test_a_country_cleared_from_its_side_is_no_longer_found(client, world, mali_fund):
    assert finds(client, "mali")
    world["ML"].programmes.clear()
    assert not finds(client, "mali")


def test_a_deleted_sector_is_no_longer_found(client, world, mali_fund):
    name = world["agrifood"].name_en
    assert finds(client, name)
    world["agrifood"].children.all().delete()
    world["agrifood"].delete()
    assert not finds(client, name)


def test_rebuild_search_mends_what_a_bulk_update_left_stale(client, world, mali_fund):
    type(mali_fund).objects.filter(pk=mali_fund.pk).update(name_en="Zanzibar")
    assert not finds(client, "zanzibar")
    call_command("rebuild_search", verbosity=0)
    assert finds(client, "zanzibar")
    mali_fund.refresh_from_db()
    assert mali_fund.sort_en == "zanzibar"


def test_quotes_around_a_word_are_not_part_of_it(client, world):
    assert 'href="/en/organizations/optic/"' in html(client.get(url("search"), {"q": "'OPTIC'"}))


def test_a_description_mention_is_found(client, seeded):
    page = html(client.get(url("search"), {"q": "hub iit"}))
    programmes = re.findall(r'<h3><a href="/en/programmes/([\w-]+)/">', page)
    assert "fisong" in programmes  # its description mentions the HUB-IIT


@on_postgresql
def test_names_outrank_descriptions_on_postgresql(client, seeded):
    page = html(client.get(url("search"), {"q": "hub iit"}))
    programmes = re.findall(r'<h3><a href="/en/programmes/([\w-]+)/">', page)
    assert programmes[0].startswith("hub-iit")
    assert programmes.index("fisong") > programmes.index("hub-iit")


@pytest.mark.parametrize(
    ("language", "query", "link", "name"),
    [
        ("en", "mali", "/en/countries/ml/", "Mali"),
        ("fr", "senegal", "/fr/pays/sn/", "Sénégal"),
        ("fr", "numeriques", "/fr/secteurs/digital-technology/", "Technologies numériques"),
        ("en", "digital", "/en/sectors/digital-technology/", "Digital technology"),
    ],
)
def test_search_finds_countries_and_sectors(client, world, language, query, link, name):
    page = html(client.get(url("search", language), {"q": query}))
    assert f'<a href="{link}">{name}</a>' in page


# Did you mean -----------------------------------------------------------------------

SUGGESTION = re.compile(r'<p class="suggestion">[^<]*<a href="([^"]*)">([^<]*)</a>')


def suggested(client, query, language="en"):
    """(the suggestion as the page writes it, its link) or ("", "") when none."""
    found = SUGGESTION.search(search(client, query, language))
    return (found.group(2), found.group(1)) if found else ("", "")


@pytest.fixture
def places(world):
    """Names found nowhere but in a site, a series, a sector or an acronym."""
    hubs = factories.ProgrammeFactory(slug="hub-network", name_en="Hub network", name_fr="Réseau")
    factories.SiteFactory(programme=hubs, name="Hub-IIT Bamako", city="Bamako", country=world["ML"])
    factories.SiteFactory(programme=hubs, name="Hub-IIT Sikasso", city="", country=world["ML"])
    factories.SiteFactory(programme=hubs, name="Hub-IIT Dakar", city="Thiès", country=world["SN"])
    factories.SiteFactory(programme=hubs, name="Hub-IIT 4", city="Koutiala", country=world["ML"])
    factories.EventSeriesFactory(slug="africarena", name_en="Africarena", name_fr="Africarena")
    factories.OrganizationFactory(
        slug="apix",
        name_en="Investment Promotion Agency",
        name_fr="Agence de promotion des investissements",
        acronym="APIX",
        kind="government_agency",
    )
    # Drafts: never offered.
    secret = factories.ProgrammeFactory(slug="secret", publication_status="draft")
    factories.SiteFactory(programme=secret, name="Hub Tombouctou", city="Tombouctou")
    factories.OrganizationFactory(slug="zorglub", acronym="ZORGLUB", publication_status="draft")
    return world


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bamko", "Bamako"),  # a site's city
        ("sikaso", "Sikasso"),  # a site's name
        ("tiess", "Thiès"),  # a city, accents folded
        ("kutiala", "Koutiala"),  # a site's city
        ("africarna", "Africarena"),  # an event series
        ("appix", "APIX"),  # an organization's acronym
        ("senegl", {"en": "Senegal", "fr": "Sénégal"}),  # a country, in the page's language
        ("procesing", {"en": "processing", "fr": "processing"}),  # a sector
        ("agroalimantaire", {"en": "agroalimentaire", "fr": "agroalimentaire"}),
        ("investisements", {"en": "investissements", "fr": "investissements"}),
    ],
)
def test_did_you_mean_suggests_a_name_that_finds_results(client, places, language, query, expected):
    if isinstance(expected, dict):
        expected = expected[language]
    suggestion, link = suggested(client, query, language)
    assert suggestion == expected
    # The link searches for the suggestion, and finds something.
    page = html(client.get(url("search", language) + link))
    assert f'value="{expected}"' in page
    assert 'class="empty"' not in page
    assert "<h2>" in page.split("</form>")[1]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("query", ["bamako", "Sikasso", "thies", "senegal", "APIX"])
def test_nothing_is_suggested_for_a_query_that_finds_something(client, places, language, query):
    page = search(client, query, language)
    assert 'class="suggestion"' not in page
    assert 'class="empty"' not in page


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("query", ["tombouctu", "zorglob"])
def test_drafts_are_never_suggested(client, places, language, query):
    assert suggested(client, query, language) == ("", "")


def test_did_you_mean_in_french_says_so(client, places):
    page = search(client, "sikaso", "fr")
    assert '<p class="suggestion">Vouliez-vous dire : <a href="?q=Sikasso">Sikasso</a>' in page


def test_did_you_mean_works_without_a_cache(client, places, settings):
    # As with Redis down (ecosystem/project/redis_cache.py): a cache that keeps nothing.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert suggested(client, "bamko")[0] == "Bamako"


def test_did_you_mean_does_not_grow_with_rows(client, places):
    before = count_queries(lambda: suggested(client, "bamko"))
    for number in range(10):
        factories.SiteFactory(programme=places["active"], name=f"Hub {number}", city="Kayes")
        factories.OrganizationFactory(slug=f"org-{number}", acronym=f"ORG{number}")
    assert count_queries(lambda: suggested(client, "bamko")) == before


def test_only_a_few_unknown_words_are_corrected(client, places):
    # Many unknown words are not a misspelling: nothing is suggested, and nothing costly
    # is tried.
    assert suggested(client, "bamko sikaso tiess senegl appix")[0] == ""
    assert suggested(client, "bamko sikaso")[0] == "Bamako Sikasso"
