"""Fetching an IATI file (iati/fetching.py) from a server of the test's own serving the
fixtures: only from allowed hosts, each redirect checked, within bytes and seconds."""

import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from iati import fetching
from iati.reading import IatiFileError
from programmes.models import Programme

FILES = Path(__file__).parent / "iati"
PORT = 8740
BASE = f"http://127.0.0.1:{PORT}"


class Handler(SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(FILES), **kwargs)

    def do_GET(self):  # noqa: N802 - the name http.server calls
        if self.path == "/elsewhere":
            self.send_response(302)
            self.send_header("Location", f"http://localhost:{PORT}/afd.xml")
            self.end_headers()
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/afd.xml")
            self.end_headers()
        elif self.path == "/endless":
            self.send_response(200)
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"<a>" * 10_000)
            except OSError:
                pass
        else:
            super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield BASE
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def allowed(settings):
    settings.IATI_ALLOWED_HOSTS = ["127.0.0.1"]


def test_a_file_on_an_allowed_host_is_imported(server, seeded):
    call_command("import_iati", f"{server}/afd.xml", verbosity=0)
    assert Programme.objects.filter(iati_identifier="FR-6-CSN1234").exists()


def test_a_redirect_on_the_same_host_is_followed(server):
    with fetching.fetch(f"{server}/moved") as body:
        assert b"FR-6-CSN1234" in body.read()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "is not on a host the directory fetches IATI files from (127.0.0.1)."),
        ("fr", "n’est pas sur un hôte d’où l’annuaire récupère des fichiers IATI (127.0.0.1)."),
    ],
)
def test_another_host_is_never_asked(server, language, message):
    with translation.override(language), pytest.raises(IatiFileError) as refused:
        fetching.fetch(f"http://localhost:{PORT}/afd.xml")
    assert str(refused.value) == f"http://localhost:{PORT}/afd.xml {message}"


def test_a_redirect_to_another_host_is_refused(server):
    with pytest.raises(IatiFileError, match="localhost"):
        fetching.fetch(f"{server}/elsewhere")


def test_a_body_past_the_limit_is_cut_off(server):
    with translation.override("en"), pytest.raises(IatiFileError) as refused:
        fetching.fetch(f"{server}/endless", max_bytes=100_000)
    assert refused.value.too_large
    assert str(refused.value) == "The file is larger than 97.7\xa0KB."


def test_a_file_declared_too_large_is_not_read(server):
    with pytest.raises(IatiFileError) as refused:
        fetching.fetch(f"{server}/afd.xml", max_bytes=100)
    assert refused.value.too_large


def test_an_answer_that_is_not_the_file_says_so(server):
    with translation.override("en"), pytest.raises(IatiFileError, match="answered HTTP 404"):
        fetching.fetch(f"{server}/missing.xml")


def test_the_command_names_what_it_refused(server, db):
    with translation.override("en"), pytest.raises(CommandError, match="not on a host"):
        call_command("import_iati", "https://example.org/afd.xml", verbosity=0)
