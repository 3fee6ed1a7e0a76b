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
