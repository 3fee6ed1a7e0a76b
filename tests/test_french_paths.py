"""French pages have French addresses (/fr/organisations/optic/), English pages English
ones; an address in the other language's words answers 301 to the same page in the
prefix's words, query string kept; what is no page stays a 404. Links, the language
switcher, hreflang alternates, the sitemap, the feed, calendars and JSON-LD follow."""

import json
import re
import xml.etree.ElementTree as ET

import pytest

from tests.helpers import count_queries, html, url
from tests.test_seo import NS, sitemap_entries

pytestmark = pytest.mark.django_db

# The same page in English and in French words, and a word only it shows.
PAGES = [
    ("/en/organizations/", "/fr/organisations/", "OPTIC"),
    ("/en/organizations/optic/", "/fr/organisations/optic/", "OPTIC"),
    ("/en/smes/", "/fr/pme/", "Agro Thi"),
    ("/en/programmes/", "/fr/programmes/", "agri-senegal"),
    ("/en/programmes/agri-senegal/", "/fr/programmes/agri-senegal/", "AFD"),
    ("/en/events/", "/fr/evenements/", "consultation-dakar"),
    ("/en/events/consultation-dakar/", "/fr/evenements/consultation-dakar/", "SN"),
    ("/en/series/", "/fr/series/", "SIPEN"),
    ("/en/series/sipen/", "/fr/series/sipen/", "SIPEN"),
    ("/en/countries/", "/fr/pays/", "/sn/"),
    ("/en/countries/sn/", "/fr/pays/sn/", "OPTIC"),
    ("/en/sectors/", "/fr/secteurs/", "/it-bpo/"),
    ("/en/sectors/it-bpo/", "/fr/secteurs/it-bpo/", "OPTIC"),
    ("/en/search/?q=optic", "/fr/recherche/?q=optic", "OPTIC"),
    ("/en/suggest/", "/fr/proposer/", "<form"),
]


@pytest.mark.parametrize(("english", "french", "shown"), PAGES)
def test_each_page_answers_at_its_address_in_each_language(client, world, english, french, shown):
    english_page = html(client.get(english))
    french_page = html(client.get(french))
    assert '<html lang="en">' in english_page
    assert '<html lang="fr">' in french_page
    assert shown in english_page
    assert shown in french_page


def test_the_site_links_the_french_addresses(client, world):
    page = html(client.get("/fr/"))
    for address in ("/fr/organisations/", "/fr/pme/", "/fr/evenements/", "/fr/pays/"):
        assert f'href="{address}"' in page
    assert 'action="/fr/recherche/"' in page
    assert "/fr/organizations/" not in page and "/fr/events/" not in page
    english = html(client.get("/en/"))
    assert 'href="/en/organizations/"' in english and 'action="/en/search/"' in english
    assert url("members:organization-detail", "fr", slug="optic") == "/fr/organisations/optic/"
    assert url("events:event-calendar", "fr", slug="sipen-next") == "/fr/evenements/sipen-next.ics"
    assert url("members:sme-export", "fr") == "/fr/pme/export.csv"


def test_exports_and_calendars_answer_at_the_french_addresses(client, world):
    csv = client.get("/fr/organisations/export.csv?country=SN")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    text = csv.getvalue().decode()
    assert "http://testserver/fr/organisations/optic/" in text
    calendar = client.get("/fr/evenements/consultation-dakar.ics")
    assert calendar.status_code == 200
    unfolded = calendar.content.decode().replace("\r\n ", "")
    assert "URL:http://testserver/fr/evenements/consultation-dakar/" in unfolded


@pytest.mark.parametrize(
    ("asked", "answer"),
    [
        ("/fr/organizations/optic/?x=1", "/fr/organisations/optic/?x=1"),
        ("/fr/organizations/?country=SN&sector=it", "/fr/organisations/?country=SN&sector=it"),
        ("/fr/organizations", "/fr/organisations/"),
        ("/fr/organizations/export.csv?country=SN", "/fr/organisations/export.csv?country=SN"),
        ("/fr/smes/", "/fr/pme/"),
        ("/fr/events/consultation-dakar/", "/fr/evenements/consultation-dakar/"),
        ("/fr/events/consultation-dakar.ics", "/fr/evenements/consultation-dakar.ics"),
        ("/fr/countries/sn/", "/fr/pays/sn/"),
        ("/fr/sectors/it-bpo/", "/fr/secteurs/it-bpo/"),
        ("/fr/search/?q=thi%C3%A8s", "/fr/recherche/?q=thi%C3%A8s"),
        ("/fr/suggest/", "/fr/proposer/"),
        # French words under /en/ answer with the English words.
        ("/en/organisations/optic/", "/en/organizations/optic/"),
        ("/en/pme/", "/en/smes/"),
        ("/en/evenements/?when=upcoming", "/en/events/?when=upcoming"),
        ("/en/pays/ml/", "/en/countries/ml/"),
        ("/en/secteurs/", "/en/sectors/"),
        ("/en/recherche/?q=optic", "/en/search/?q=optic"),
        ("/en/proposer/", "/en/suggest/"),
    ],
)
def test_the_other_languages_words_answer_301(client, world, asked, answer):
    response = client.get(asked)
    assert response.status_code == 301
    assert response["Location"] == answer
    assert client.get(answer).status_code == 200


def test_a_redirect_reads_nothing_but_the_datas_version(client, world):
    """The 301 is worked out from the addresses alone, whatever the number of records."""
    assert count_queries(lambda: client.get("/fr/organizations/optic/")) <= 1


@pytest.mark.parametrize(
    "asked",
    [
        "/fr/organisations/nope/",  # French words, no such record
        "/fr/programmes/nope/",  # the same word in both languages: no loop
        "/en/programmes/nope/",
        "/fr/pays/zz/",
        "/fr/nowhere/",
        "/en/nowhere/",
        "/fr/organizations/optic/more/",
        "/de/organizations/optic/",
        "/organisations/optic/x/",
    ],
)
def test_what_is_no_page_stays_a_404(client, world, asked):
    assert client.get(asked).status_code == 404


def test_an_english_address_of_a_missing_record_ends_in_a_404(client, world):
    response = client.get("/fr/organizations/nope/", follow=True)
    assert response.redirect_chain == [("/fr/organisations/nope/", 301)]
    assert response.status_code == 404


def test_a_form_sent_to_the_other_words_is_not_redirected(client, world):
    assert client.post("/fr/suggest/", {"name": "x"}).status_code == 404


def test_the_language_switcher_lands_on_the_translated_address(client, world):
    french = html(client.get("/fr/organisations/?country=SN"))
    assert 'href="/en/organizations/?country=SN" hreflang="en"' in french
    english = html(client.get("/en/events/consultation-dakar/"))
    assert 'href="/fr/evenements/consultation-dakar/" hreflang="fr"' in english
    english = html(client.get("/en/search/?q=optic"))
    assert 'href="/fr/recherche/?q=optic" hreflang="fr"' in english


def test_hreflang_and_canonical_links_use_each_languages_words(client, world):
    page = html(client.get("/fr/pays/sn/"))
    assert '<link rel="canonical" href="http://testserver/fr/pays/sn/">' in page
    assert '<link rel="alternate" hreflang="fr" href="http://testserver/fr/pays/sn/">' in page
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/countries/sn/">' in page
    page = html(client.get("/en/organizations/optic/"))
    assert (
        '<link rel="alternate" hreflang="fr" href="http://testserver/fr/organisations/optic/">'
    ) in page


def test_the_sitemap_lists_the_french_addresses_of_french_pages(client, world):
    entries = sitemap_entries(client)
    locations = {entry.find("s:loc", NS).text for entry in entries}
    for path in (
        "/fr/organisations/",
        "/fr/organisations/optic/",
        "/fr/pme/",
        "/fr/evenements/consultation-dakar/",
        "/fr/series/sipen/",
        "/fr/pays/sn/",
        "/fr/secteurs/it-bpo/",
        "/en/organizations/optic/",
        "/en/countries/sn/",
    ):
        assert f"http://testserver{path}" in locations
    english_words = re.compile(r"/fr/(organizations|smes|events|countries|sectors)/")
    assert not [location for location in locations if english_words.search(location)]
    entry = next(
        e for e in entries if e.find("s:loc", NS).text.endswith("/en/organizations/optic/")
    )
    alternates = {link.get("hreflang"): link.get("href") for link in entry.findall("x:link", NS)}
    assert alternates["fr"] == "http://testserver/fr/organisations/optic/"


def test_the_feed_and_json_ld_use_the_french_addresses(client, world):
    feed = ET.fromstring(client.get("/fr/feed.atom").content)
    atom = {"a": "http://www.w3.org/2005/Atom"}
    links = {link.get("href") for link in feed.findall("a:entry/a:link", atom)}
    assert "http://testserver/fr/organisations/optic/" in links
    assert not [link for link in links if "/fr/organizations/" in link]
    page = html(client.get("/fr/programmes/agri-senegal/"))
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert json.loads(block)["funder"][0]["url"] == "http://testserver/fr/organisations/afd/"


def test_robots_keeps_search_out_in_both_languages(client, db):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /en/search/" in body
    assert "Disallow: /fr/recherche/" in body


def test_the_api_keeps_its_addresses(client, world):
    response = client.get("/api/v1/organizations/optic/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert response.json()["url"] == "http://testserver/fr/organisations/optic/"
    english = client.get("/api/v1/organizations/optic/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["url"] == "http://testserver/en/organizations/optic/"
    assert client.get("/api/v1/organisations/").status_code == 404
