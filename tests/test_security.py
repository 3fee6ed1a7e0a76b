"""Secure by default in production (DEBUG off, as the tests run): the headers and cookies
real answers carry, HTTPS only, proxies believed only when trusted, links built from
SITE_URL whatever Host a client sends, and the open data shared with other sites."""

import xml.etree.ElementTree as ET

import pytest

from ecosystem.project.middleware import client_address, networks
from tests.test_settings import REAL_KEY, start
from tests.test_suggestions import NEW_SME

pytestmark = pytest.mark.django_db

PAGES = ["/en/", "/fr/programmes/", "/en/programmes/agri-senegal/", "/en/nowhere/"]
OPEN_DATA = [
    "/api/v1/programmes/",
    "/api/v1/programmes/agri-senegal/",
    "/api/v1/schema/",
    "/en/feed.atom",
    "/events.ics",
    "/en/programmes/export.csv",
]
NOT_SHARED = ["/en/", "/fr/proposer/", "/admin/login/", "/healthz", "/api/v1/docs/"]


@pytest.fixture
def public_address(settings):
    settings.SITE_URL = "https://directory.example.org"
    settings.ALLOWED_HOSTS = ["directory.example.org", "testserver"]


@pytest.mark.parametrize("path", [*PAGES, *OPEN_DATA, "/static/css/site.css"])
def test_every_answer_carries_the_security_headers(client, world, public_address, path):
    response = client.get(path, secure=True)
    assert response.status_code in {200, 404}, path
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Resource-Policy"] in {"same-origin", "cross-origin"}
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    # A year, with subdomains and preload, on by default.
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.parametrize("path", OPEN_DATA)
def test_other_sites_may_read_the_open_data(client, world, path):
    response = client.get(path, HTTP_ORIGIN="https://partner.example")
    assert response.status_code == 200, path
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"


@pytest.mark.parametrize("path", NOT_SHARED)
def test_pages_forms_and_the_admin_are_not_shared(client, world, path):
    response = client.get(path, HTTP_ORIGIN="https://partner.example")
    assert response.status_code == 200, path
    assert "Access-Control-Allow-Origin" not in response
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_plain_http_is_redirected_to_the_public_address(client, world, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_SSL_HOST = "directory.example.org"
    response = client.get("/en/programmes/?country=SN", HTTP_HOST="testserver:8080")
    assert response.status_code == 301
    assert response["Location"] == "https://directory.example.org/en/programmes/?country=SN"
    # Load balancers probe the health check over plain http.
    assert client.get("/healthz").status_code == 200


def test_a_forwarded_scheme_is_believed_only_from_a_trusted_proxy(
    client, world, settings, public_address
):
    settings.SECURE_SSL_REDIRECT = True
    behind_proxy = client.get(
        "/en/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="testserver"
    )
    assert behind_proxy.status_code == 200
    assert "Strict-Transport-Security" in behind_proxy
    spoofed = client.get("/en/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https")
    assert spoofed.status_code == 301


def test_cookies_are_secure_and_bound_to_the_host(client, django_user_model):
    django_user_model.objects.create_superuser("staff", "staff@example.org", "pw")
    page = client.get("/admin/login/")
    csrf = page.cookies["__Host-csrftoken"]
    assert csrf["secure"] and csrf["path"] == "/" and not csrf["domain"]
    response = client.post(
        "/admin/login/", {"username": "staff", "password": "pw", "next": "/admin/"}
    )
    assert response.status_code == 302
    session = response.cookies["__Host-sessionid"]
    assert session["secure"] and session["httponly"] and session["path"] == "/"
    assert not session["domain"]
    assert session["samesite"] == "Lax"


def test_links_use_the_public_address_whatever_host_was_sent(client, world, public_address):
    host = {"HTTP_HOST": "testserver:6666"}  # an allowed name, a port of the client's choice
    site = "https://directory.example.org"
    sitemap = ET.fromstring(client.get("/sitemap-programmes.xml", **host).content)
    locations = [element.text for element in sitemap.iter() if element.tag.endswith("loc")]
    assert locations and all(location.startswith(site + "/") for location in locations)
    assert client.get("/api/v1/programmes/agri-senegal/", **host).json()["url"] == (
        site + "/fr/programmes/agri-senegal/"
    )
    feed = client.get("/en/feed.atom", **host).content.decode()
    assert f'href="{site}/en/' in feed and "6666" not in feed
    page = client.get("/fr/programmes/agri-senegal/", **host).content.decode()
    assert f'<link rel="canonical" href="{site}/fr/programmes/agri-senegal/">' in page
    assert "6666" not in page
    assert f"Sitemap: {site}/sitemap.xml" in client.get("/robots.txt", **host).content.decode()
    assert "6666" not in client.get("/events.ics", **host).content.decode()


def test_a_host_not_allowed_is_refused(client, world, public_address):
    assert client.get("/en/", HTTP_HOST="evil.example").status_code == 400


def test_the_client_address_is_the_one_the_proxies_saw():
    trusted = networks(("127.0.0.1", "10.0.0.0/8"))
    # The client wrote the first address itself; the proxies appended the rest.
    assert client_address("127.0.0.1", "1.2.3.4, 198.51.100.7, 10.0.0.5", trusted) == (
        "198.51.100.7"
    )
    assert client_address("203.0.113.9", "1.2.3.4", trusted) == "203.0.113.9"
    assert client_address("127.0.0.1", "not-an-address", trusted) == "not-an-address"


def test_the_suggestion_limit_counts_each_client_behind_the_proxy(client, seeded):
    def suggest(**headers):
        return client.post("/en/suggest/", NEW_SME, **headers)

    for _ in range(5):
        assert suggest(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code
    assert suggest(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == (
        429
    )
    # Another visitor behind the same proxy is not blocked by the first one...
    assert suggest(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == (
        302
    )
    # ...and a client not behind the proxy cannot dodge the limit by naming addresses.
    for number in range(5):
        suggest(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    assert suggest(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == (
        429
    )


PRODUCTION = {"DEBUG": "0", "SECRET_KEY": REAL_KEY, "ALLOWED_HOSTS": "directory.example.org"}
DEPLOY_CHECK = (
    "from django.core.management import execute_from_command_line;"
    "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
)


def test_the_documented_production_settings_pass_the_deployment_checks():
    result = start(DEPLOY_CHECK, **PRODUCTION, SITE_URL="https://directory.example.org")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("setting", "warning"),
    [
        ({"SECURE_HSTS_PRELOAD": "0"}, "security.W021"),
        ({"SECURE_SSL_REDIRECT": "0"}, "security.W008"),
        ({"SITE_URL": "http://directory.example.org"}, "ecosystem.W001"),
    ],
)
def test_turning_a_protection_off_is_reported(setting, warning):
    result = start(
        DEPLOY_CHECK, **{"SITE_URL": "https://directory.example.org", **PRODUCTION, **setting}
    )
    assert result.returncode != 0
    assert warning in result.stderr
