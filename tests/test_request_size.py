"""Every request body is bounded before Django reads it: a POST past MAX_REQUEST_BYTES
(the largest upload the site takes, a 5 MB import, with room for the form around it)
is refused with 413 and a message, whoever sends it, before the CSRF check parses it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.helpers import url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "message", "limit"),
    [
        ("en", "This request is too large", "1.0\xa0MB"),
        ("fr", "Cette requête est trop volumineuse", "1,0\xa0Mio"),
    ],
)
def test_a_body_past_the_limit_is_refused_before_it_is_read(
    client, language, message, limit, settings
):
    settings.MAX_REQUEST_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("big.csv", b"Name\n" + b"x" * 1_100_000, "text/csv")
    response = client.post(url("suggestions:suggest", language), {"file": upload})
    assert response.status_code == 413
    assert message in response.content.decode()
    assert limit in response.content.decode()


def test_a_declared_length_past_the_limit_is_refused_without_reading(staff_client, settings):
    settings.MAX_REQUEST_BYTES = 1024 * 1024
    # The client claims 50 MB and sends 1 byte: nothing waits for the rest.
    response = staff_client.post(
        "/admin/import/",
        data=b"x",
        content_type="application/octet-stream",
        CONTENT_LENGTH="50000000",
    )
    assert response.status_code == 413


def test_a_body_within_the_limit_goes_through(client):
    response = client.post("/en/suggest/", {"name": "x" * 100})
    assert response.status_code != 413
