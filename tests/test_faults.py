"""A database that is down, frozen or locked: pages answer a clear 503 in both languages,
the API and the health check a JSON 503, within 3 seconds; when the database returns,
the next request succeeds with no restart. First in-process, then against gunicorn
serving the site as in production, its database cut off by a relay the test controls."""

import http.client
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.db.backends import utils
from django.test import Client

from tests.e2e.server import ROOT, Relay, free_port, gunicorn, production_env

# The site gives up after 2 s (DATABASE_CONNECT_TIMEOUT); the margin is for a CI machine
# running three suites at once. Without the bounds these requests never end.
WITHIN = 5


@pytest.fixture
def visitor():
    """A visitor's browser: it sees the answer of a failed request, never the exception."""
    return Client(raise_request_exception=False)


@contextmanager
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')

    with monkeypatch.context() as patch:
        patch.setattr(utils.CursorWrapper, "_execute", refuse)
        yield


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "first", "second"),
    [
        ("/en/programmes/", "The directory is unavailable for a moment", "L’annuaire"),
        ("/fr/programmes/", "L’annuaire est momentanément indisponible", "The directory"),
    ],
)
def test_pages_answer_503_in_both_languages_while_the_database_is_down(
    visitor, world, monkeypatch, path, first, second
):
    with database_down(monkeypatch):
        response = visitor.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert f"<h1>{first}</h1>" in page
    assert second in page  # the other language below
    assert '<a href="/en/">Back to the home page</a>' in page
    assert '<a href="/fr/">Retour à l’accueil</a>' in page
    # It heals: the next request, the database back, is served.
    assert visitor.get(path).status_code == 200


@pytest.mark.django_db
def test_the_api_and_the_health_check_answer_json_503(visitor, world, monkeypatch):
    with database_down(monkeypatch):
        api = visitor.get("/api/v1/programmes/", HTTP_ACCEPT_LANGUAGE="en")
        health = visitor.get("/healthz")
    assert api.status_code == 503
    assert "unavailable" in api.json()["detail"]
    assert health.status_code == 503
    assert health["Retry-After"] == "30"
    assert health.json() == {"status": "unavailable", "database": "down: OperationalError"} | {
        "cache": "ok"
    }
    assert visitor.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_a_bug_is_a_500_not_an_outage(visitor, world, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr("ecosystem.core.listing.Listing.__init__", broken)
    response = visitor.get("/en/programmes/")
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in response.content.decode()
    assert "Retry-After" not in response


# --- Against gunicorn, as in production ---


def get(url):
    """(status, body, seconds) of a GET that must be answered within the bound."""
    started = time.monotonic()
    request = urllib.request.Request(url, headers={"Accept-Language": "en"})
    try:
        with urllib.request.urlopen(request, timeout=WITHIN) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    return status, body.decode(), time.monotonic() - started


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    static = tmp_path_factory.mktemp("static")
    env = {**os.environ, "DEBUG": "1", "STATIC_ROOT": str(static)}
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return static


@contextmanager
def site(tmp_path, static, database_url, **extra):
    port = free_port()
    env = production_env(tmp_path, port, database_url) | {"STATIC_ROOT": str(static), **extra}
    # One worker, one thread: the request after a fault reuses the connection it left.
    with gunicorn(env, tmp_path, port, "--workers", "1", "--threads", "1"):
        yield f"http://127.0.0.1:{port}"


def assert_unavailable(base):
    status, page, seconds = get(base + "/fr/")
    assert status == 503, page
    assert "<h1>L’annuaire est momentanément indisponible</h1>" in page
    assert "The directory is unavailable for a moment" in page
    status, body, _ = get(base + "/api/v1/programmes/")
    assert status == 503 and "unavailable" in json.loads(body)["detail"]
    status, body, _ = get(base + "/healthz")
    assert status == 503 and json.loads(body)["database"].startswith("down")
    return seconds


def test_an_unreachable_database_answers_503_at_once(tmp_path, collected_static):
    with site(
        tmp_path, collected_static, f"postgres://postgres@127.0.0.1:{free_port()}/none"
    ) as base:
        assert_unavailable(base)  # the worker's first request also loads the site's code
        assert assert_unavailable(base) < 1


def test_a_database_server_that_never_answers_is_given_up_within_3_seconds(
    tmp_path, collected_static
):
    silent = socket.create_server(("127.0.0.1", 0))  # accepts, never says a word
    accepted = []
    threading.Thread(target=lambda: accepted.append(silent.accept()), daemon=True).start()
    with site(
        tmp_path, collected_static, f"postgres://x@127.0.0.1:{silent.getsockname()[1]}/x"
    ) as base:
        assert_unavailable(base)
    silent.close()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own test")
def test_the_site_heals_when_postgresql_returns(tmp_path, collected_static):
    database = connection.settings_dict
    relay = Relay(int(database["PORT"] or 5432))
    url = f"postgres://{database['USER']}@127.0.0.1:{relay.port}/{database['NAME']}"
    try:
        with site(tmp_path, collected_static, url) as base:
            assert get(base + "/healthz")[0] == 200  # the worker now holds a connection
            relay.freeze()
            assert assert_unavailable(base) < WITHIN
            relay.state = "up"
            assert get(base + "/healthz")[0] == 200  # no restart
            assert get(base + "/en/")[0] == 200
            relay.stop()
            assert assert_unavailable(base) < 1
            relay.state = "up"
            assert get(base + "/en/programmes/")[0] == 200
    finally:
        relay.stop()  # no session left open on the test database


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own test")
def test_an_export_the_database_fails_during_ends_with_an_error_not_a_clean_end(
    tmp_path, collected_static
):
    database = connection.settings_dict
    relay = Relay(int(database["PORT"] or 5432))
    url = f"postgres://{database['USER']}@127.0.0.1:{relay.port}/{database['NAME']}"
    try:
        with site(tmp_path, collected_static, url) as base:
            assert get(base + "/healthz")[0] == 200  # the worker now holds a connection
            # The export reads its rows a batch at a time, each a query in the list's order
            # (exports.in_batches): the database freezes as the export asks for a batch,
            # its answer under way.
            relay.freeze_on = b'ORDER BY "members_organization"."sort_en"'
            started = time.monotonic()
            export = http.client.HTTPConnection("127.0.0.1", int(base.rsplit(":", 1)[1]))
            export.timeout = WITHIN + 5
            export.request("GET", "/en/organizations/export.csv")
            response = export.getresponse()
            assert response.status == 200  # sent before the rows
            assert response.getheader("Transfer-Encoding") == "chunked"
            with pytest.raises(http.client.IncompleteRead):
                response.read()  # no clean end: the client knows the file is cut short
            assert time.monotonic() - started < WITHIN
            export.close()
            relay.state = "up"
            assert get(base + "/en/organizations/export.csv")[0] == 200
    finally:
        relay.stop()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own test")
def test_a_locked_sqlite_database_answers_503(tmp_path, collected_static):
    path = tmp_path / "locked.sqlite3"
    # The health check's table is enough: under the lock, every read fails alike.
    with sqlite3.connect(path) as database:
        database.execute("CREATE TABLE django_migrations (id integer PRIMARY KEY, name text)")
    with site(tmp_path, collected_static, f"sqlite:///{path}", DATABASE_QUERY_TIMEOUT="1") as base:
        assert get(base + "/healthz")[0] == 200
        writer = sqlite3.connect(path, isolation_level=None)
        writer.execute("BEGIN EXCLUSIVE")  # a long import holding the file
        assert_unavailable(base)
        writer.execute("ROLLBACK")
        assert get(base + "/healthz")[0] == 200


def test_the_timeouts_must_be_positive_seconds():
    result = subprocess.run(
        [sys.executable, "-c", "import ecosystem.project.settings"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_QUERY_TIMEOUT": "soon"},
        capture_output=True,
        text=True,
    )
    assert "DATABASE_QUERY_TIMEOUT must be a positive number of seconds, not 'soon'" in (
        result.stderr
    )
