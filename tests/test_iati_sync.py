"""The weekly sync of saved IATI sources (iati/sync.py), against an HTTP server of the
test's own serving the fixtures of tests/iati/: nothing leaves the machine (any name but
loopback's is unknown). A sync writes what the publisher changed, keeps what staff
changed as a conflict, and its result reaches the staff dashboard."""

import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.utils import translation

from ecosystem.core.digest import digest
from ecosystem.jobs.schedule import SCHEDULES
from iati import sync
from iati.models import Activity, Conflict, SyncSource
from programmes.models import Programme
from tests.helpers import admin_url, edit, html, run_jobs

FILES = Path(__file__).parent / "iati"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def newer_afd():
    """afd.xml as AFD publishes it a year later: a new English title."""
    text = (FILES / "afd.xml").read_text(encoding="utf-8")
    return (
        text.replace("2024-02-15T09:30:00Z", "2025-02-15T09:30:00Z")
        .replace("Support to Senegal’s digital SMEs", "Digital SMEs of Senegal and Mali")
        .encode()
    )


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = self.server.files.get(self.path)
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, *args):
        pass


@pytest.fixture(autouse=True)
def only_loopback(monkeypatch, settings):
    """Any name but loopback's is unknown, and loopback is the one host allowed."""
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if host not in LOOPBACK:
            raise socket.gaierror(socket.EAI_NONAME, f"{host} is not loopback (test guard)")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    settings.IATI_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.IATI_FETCH_SECONDS = 5


@pytest.fixture
def publisher_site():
    """A publisher's site: /afd.xml and /eu.xml, the fixtures; the test may change them."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.files = {f"/{name}": (FILES / name).read_bytes() for name in ("afd.xml", "eu.xml")}
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def source(site, path, publisher):
    return SyncSource.objects.create(url=f"{site.url}{path}", publisher=publisher)


def dashboard(client, language):
    return html(client.get("/admin/", HTTP_ACCEPT_LANGUAGE=language))


def test_the_weekly_job_imports_each_source_and_the_dashboard_says_how_it_went(
    seeded, staff_client, publisher_site
):
    afd = source(publisher_site, "/afd.xml", "AFD")
    eu = source(publisher_site, "/eu.xml", "EU")
    source(publisher_site, "/gone.xml", "Nobody")  # a 404: the others still sync

    sync.sync_iati.enqueue()
    run_jobs()

    afd.refresh_from_db()
    eu.refresh_from_db()
    assert (afd.last_ok, eu.last_ok) == (True, True)
    programme = Programme.objects.get(iati_identifier="FR-6-CSN1234")
    assert programme.name_en == "Support to Senegal’s digital SMEs"
    assert programme.iati_activity.sync_source == afd
    english, french = dashboard(staff_client, "en"), dashboard(staff_client, "fr")
    assert "IATI syncs" in english
    assert "2 created, 0 updated, 0 unchanged" in english
    assert "2 créés, 0 mis à jour, 0 inchangés" in french
    assert "IATI sources whose last sync failed</a> (1)" in english
    assert "Sources IATI dont la dernière synchronisation a échoué</a> (1)" in french
    assert "answered HTTP 404" in english


def test_a_newer_file_updates_what_staff_left_and_keeps_what_they_changed(
    seeded, staff_client, publisher_site, django_user_model
):
    afd = source(publisher_site, "/afd.xml", "AFD")
    sync.sync(afd)
    programme = Programme.objects.get(iati_identifier="FR-6-CSN1234")
    edit(staff_client, programme, name_en="Senegal’s digital SMEs (staff’s title)")
    publisher_site.files["/afd.xml"] = newer_afd()

    result = sync.sync(afd)

    programme.refresh_from_db()
    assert programme.name_en == "Senegal’s digital SMEs (staff’s title)"  # staff's, kept
    assert result["conflicts"] == 1
    conflict = Conflict.objects.get(activity__programme=programme)
    assert conflict.publisher_value == "Digital SMEs of Senegal and Mali"
    assert "IATI conflicts to resolve</a> (1)" in dashboard(staff_client, "en")
    assert "Conflits IATI à résoudre</a> (1)" in dashboard(staff_client, "fr")
    # The weekly digest (in the site's language, French) carries the same work.
    mail = digest(django_user_model.objects.get(username="staff"))
    assert "Conflits IATI à résoudre" in mail.body


def test_a_failed_fetch_writes_nothing_and_says_why(seeded, publisher_site):
    missing = source(publisher_site, "/missing.xml", "AFD")
    publisher_site.files["/broken.xml"] = b"<iati-activities version='2.03'><iati-activity>"
    broken = source(publisher_site, "/broken.xml", "AfDB")
    before = Programme.objects.count()

    sync.sync_sources([missing, broken])

    assert Programme.objects.count() == before
    assert not Activity.objects.exists()
    missing.refresh_from_db()
    broken.refresh_from_db()
    assert (missing.last_ok, broken.last_ok) == (False, False)
    with translation.override("en"):
        assert "answered HTTP 404" in sync.described(missing)
        assert sync.described(broken).startswith("Nothing imported: ")
    with translation.override("fr"):
        assert sync.described(broken).startswith("Rien d’importé : ")


def test_only_the_allowed_hosts_are_saved_or_fetched(staff_client, settings, publisher_site):
    page = html(
        staff_client.post(
            admin_url(SyncSource, "add"),
            {"publisher": "Elsewhere", "url": "https://example.org/file.xml", "enabled": "on"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    )
    assert "is not on a host the directory fetches IATI files from (127.0.0.1)" in page
    assert not SyncSource.objects.exists()
    # One saved before its host was taken off the list is refused when fetched.
    saved = source(publisher_site, "/afd.xml", "AFD")
    settings.IATI_ALLOWED_HOSTS = ["datastore.iatistandard.org"]
    assert "error" in sync.sync(saved)
    assert not Activity.objects.exists()


def test_staff_sync_now_and_the_week_does_it_again(db, client, django_user_model, publisher_site):
    user = django_user_model.objects.create_user("pub", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Publisher"))
    client.force_login(user)
    afd = source(publisher_site, "/afd.xml", "AFD")
    response = client.post(
        admin_url(SyncSource, "changelist"),
        {"action": "sync_now", "_selected_action": [afd.pk]},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 302
    page = html(client.get(admin_url(SyncSource, "changelist"), HTTP_ACCEPT_LANGUAGE="fr"))
    assert "1 source sera synchronisée par une tâche" in page
    schedule = SCHEDULES[sync.sync_iati.module_path]
    assert schedule.every == timedelta(weeks=1)
