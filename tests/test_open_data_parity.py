"""For every filter parameter, the page, its CSV export and the API return the same
records for the same query: one FilterSet serves all three."""

import csv
import io

import pytest
from django.utils import timezone

from tests.helpers import shown, url

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
QUERIES = {
    "programmes": [
        "",
        "?country=ML",
        "?country=SN&country=BF",
        "?sector=digital-technology",
        "?country=SN&sector=digital-technology",
        "?status=active",
        "?status=closed&status=planned",
        "?funder=afd",
        "?implementer=itc",
        "?partner=optic",
        f"?year={YEAR}",
        "?parent=agri-senegal",
        "?q=senegal",
        "?q=numerique&country=ML",
        "?sort=-start",
        "?sort=name",
    ],
    "organizations": [
        "",
        "?kind=funder",
        "?country=SN",
        "?sector=it-bpo",
        "?programme=agri-senegal",
        "?q=senegalaise",
        "?sort=-updated",
    ],
    "smes": ["", "?country=SN", "?programme=agri-senegal", "?q=thies"],
    "events": [
        "",
        "?when=upcoming",
        "?when=past",
        "?kind=consultation",
        "?series=sipen",
        "?programme=digital-mali",
        "?country=ML",
        f"?year={YEAR - 5}",
        "?sector=digital-technology&when=past",
        "?q=dakar",
        "?sort=start",
    ],
}
PAGES = {
    "programmes": "programmes:programme",
    "organizations": "members:organization",
    "smes": "members:sme",
    "events": "events:event",
}


def from_page(client, kind, query):
    # follow: the page redirects ?sort=<default> to its shorter URL.
    return shown(client.get(url(f"{PAGES[kind]}-list") + query, follow=True))


def from_csv(client, kind, query):
    response = client.get(url(f"{PAGES[kind]}-export") + query)
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return [
        row["Page"].rstrip("/").rsplit("/", 1)[-1] for row in csv.DictReader(io.StringIO(content))
    ]


def from_api(client, kind, query):
    separator = "&" if query else "?"
    # The API speaks the language asked for, and sorts names in it, as the page does.
    response = client.get(
        f"/api/v1/{kind}/{query}{separator}page_size=500", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200, response.content
    return [record["slug"] for record in response.json()["results"]]


@pytest.mark.parametrize(
    ("kind", "query"), [(kind, query) for kind, queries in QUERIES.items() for query in queries]
)
def test_page_csv_and_api_agree(client, world, kind, query):
    page = from_page(client, kind, query)
    assert from_csv(client, kind, query) == page
    assert from_api(client, kind, query) == page
