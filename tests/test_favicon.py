"""Every page names its icon, and /favicon.ico (which browsers ask for whatever a page
says) leads to it: no 404 in every browser's console (issue 20)."""

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.ico"
    with open(finders.find("favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file's signature


@pytest.mark.parametrize("path", ["/en/", "/fr/", "/en/nowhere/", "/admin/login/"])
def test_pages_link_their_icon(client, path):
    response = client.get(path)
    page = response.content.decode()
    assert '<link rel="icon" href="/static/favicon.ico"' in page
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    assert finders.find("favicon.svg")


def test_the_icon_is_served_with_its_type(client, settings):
    settings.WHITENOISE_USE_FINDERS = True
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
