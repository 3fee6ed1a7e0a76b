"""Search engines and link previews: sitemap with hreflang, robots.txt, canonical links,
JSON-LD and OpenGraph on detail pages, an Atom feed."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.sites.requests import RequestSite
from django.core.cache import cache
from django.template import loader

from ecosystem.site.sitemaps import DirectorySitemap, Urlset, sitemaps
from tests import factories
from tests.helpers import html, url

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def sitemap_entries(client):
    """The <url> entries of every sitemap the index at /sitemap.xml names."""
    index = ET.fromstring(client.get("/sitemap.xml").content)
    entries = []
    for location in index.findall("s:sitemap/s:loc", NS):
        response = client.get(location.text.removeprefix("http://testserver"))
        assert response.status_code == 200
        entries += ET.fromstring(response.content).findall("s:url", NS)
    return entries


def test_the_sitemap_lists_published_pages_in_both_languages(client, world):
    entries = sitemap_entries(client)
    locations = {entry.find("s:loc", NS).text for entry in entries}
    for path in (
        "/en/programmes/agri-senegal/",
        "/fr/programmes/agri-senegal/",
        "/en/organizations/optic/",
        "/fr/evenements/consultation-dakar/",
        "/en/countries/sn/",
        "/fr/secteurs/it-bpo/",
        "/en/",
        "/fr/programmes/",
    ):
        assert f"http://testserver{path}" in locations
    assert not any("draft" in location or "hidden-org" in location for location in locations)
    assert "http://testserver/en/countries/bf/" not in locations  # empty hub
    entry = next(
        u for u in entries if u.find("s:loc", NS).text.endswith("/en/programmes/agri-senegal/")
    )
    alternates = {link.get("hreflang"): link.get("href") for link in entry.findall("x:link", NS)}
    assert alternates["fr"] == "http://testserver/fr/programmes/agri-senegal/"
    assert entry.find("s:lastmod", NS) is not None


def test_robots_points_at_the_sitemap(client, db):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /admin/" in body


def json_ld(page):
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(block)


def test_detail_pages_describe_themselves(client, world):
    page = html(client.get(url("events:event-detail", "en", slug="consultation-dakar")))
    data = json_ld(page)
    assert data["@type"] == "Event"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["location"]["address"]["addressCountry"] == "SN"
    assert data["startDate"].endswith("-07-04")
    assert '<link rel="canonical" href="http://testserver/en/events/consultation-dakar/">' in page
    assert (
        '<link rel="alternate" hreflang="fr" '
        'href="http://testserver/fr/evenements/consultation-dakar/">'
    ) in page
    assert '<meta property="og:title" content="Sector consultation in Dakar">' in page

    programme = json_ld(
        html(client.get(url("programmes:programme-detail", "fr", slug="agri-senegal")))
    )
    assert programme["@type"] == "Project"
    assert programme["funder"][0]["url"] == "http://testserver/fr/organisations/afd/"
    organization = json_ld(html(client.get(url("members:organization-detail", "en", slug="optic"))))
    assert organization["@type"] == "Organization"


def test_json_ld_cannot_be_closed_by_content(client, world):
    world["optic"].summary_en = "</script><script>alert(1)</script>"
    world["optic"].save()
    page = html(client.get(url("members:organization-detail", "en", slug="optic")))
    assert "</script><script>alert(1)" not in page
    assert json_ld(page)["description"] == "</script><script>alert(1)</script>"


def test_the_atom_feed(client, world):
    response = client.get(url("feed", "fr"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    atom = {"a": "http://www.w3.org/2005/Atom"}
    titles = [entry.find("a:title", atom).text for entry in root.findall("a:entry", atom)]
    assert "Agri Sénégal" in titles
    assert not any("draft" in (title or "").lower() for title in titles)


def test_structured_dates_keep_their_precision(client, world):
    data = json_ld(html(client.get(url("events:event-detail", "en", slug="sipen-next"))))
    year = int(data["startDate"][:4])
    assert data["startDate"] == data["endDate"] == f"{year}-05"  # known to the month
    programme = json_ld(
        html(client.get(url("programmes:programme-detail", "en", slug="digital-mali")))
    )
    assert len(programme["foundingDate"]) == 4  # a year
    assert "dateModified" not in programme and "inLanguage" not in programme


def test_the_sitemap_leaves_out_what_robots_disallow(client, world):
    locations = [entry.find("s:loc", NS).text for entry in sitemap_entries(client)]
    assert locations and not any("/search/" in location for location in locations)


def test_a_large_section_is_split_into_files(client, world):
    DirectorySitemap.limit, limit = 2, DirectorySitemap.limit
    try:
        index = client.get("/sitemap.xml").content.decode()
        assert "/sitemap-programmes.xml?p=2" in index
        entries = sitemap_entries(client)
    finally:
        DirectorySitemap.limit = limit
    locations = {entry.find("s:loc", NS).text for entry in entries}
    assert "http://testserver/en/programmes/agri-senegal/" in locations


def test_files_of_any_size_list_each_page_once_in_each_language(client, world, monkeypatch):
    whole = sorted(entry.find("s:loc", NS).text for entry in sitemap_entries(client))
    # Three URLs per file: a record's two languages fall in different files.
    monkeypatch.setattr(DirectorySitemap, "limit", 3)
    cache.clear()  # the answers kept for the first reading
    split = sorted(entry.find("s:loc", NS).text for entry in sitemap_entries(client))
    assert split == whole
    assert len(split) == len(set(split))


def test_each_sitemap_file_is_what_django_s_template_writes(rf, world):
    """The files are written without the template engine (Urlset), byte for byte as
    Django's sitemap.xml template writes them: escaping, dates and alternates included."""
    factories.OpportunityFactory()  # the world has none: its file would be empty
    site = RequestSite(rf.get("/sitemap-programmes.xml"))
    template = loader.get_template("sitemap.xml")
    for name, sitemap in sitemaps().items():
        urls = sitemap.get_urls(page=1, site=site, protocol="http")
        assert urls, name
        assert Urlset().render({"urlset": urls}) == template.render({"urlset": urls}), name
