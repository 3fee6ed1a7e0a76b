"""Link checks (issue 23): the checker asks servers of the test's own on loopback, never
anything outside (a guard refuses any other host as an unknown one), and what it finds
reaches the staff dashboard, the admin and, after two failures in a row, the public page."""

import shutil
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from ecosystem.core.links.checker import check, check_links
from ecosystem.core.links.models import LinkCheck, Outcome
from ecosystem.templatetags.directory import long_date
from tests import factories
from tests.helpers import count_queries, html, url

pytestmark = pytest.mark.django_db

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@pytest.fixture(autouse=True)
def only_loopback(monkeypatch, settings):
    """Any name but loopback's is unknown: nothing leaves the machine."""
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if host not in LOOPBACK:
            raise socket.gaierror(socket.EAI_NONAME, f"{host} is not loopback (test guard)")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    settings.LINK_CHECK_INTERVAL = 0.01
    settings.LINK_CHECK_TIMEOUT = 2


class Handler(BaseHTTPRequestHandler):
    ROUTES = {
        "/ok": (200, None),
        "/moved": (301, "/ok"),
        "/loop-a": (301, "/loop-b"),
        "/loop-b": (301, "/loop-a"),
        "/missing": (404, None),
        "/far": (302, "/far1"),
        **{f"/far{n}": (302, f"/far{n + 1}") for n in range(1, 10)},
    }

    def answer(self):
        self.server.asked.append((time.monotonic(), self.command, self.headers["Host"], self.path))
        path = self.path.split("?")[0]
        if path == "/no-head":
            status, location = (405 if self.command == "HEAD" else 200), None
        else:
            status, location = self.ROUTES.get(path, (404, None))
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = do_GET = answer

    def log_message(self, *args):
        pass


def serve(server):
    server.asked = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture
def site():
    server = serve(ThreadingHTTPServer(("127.0.0.1", 0), Handler))
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def silent():
    """A server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    listener.close()


@pytest.fixture
def self_signed(tmp_path):
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    serve(server)
    yield f"https://127.0.0.1:{server.server_address[1]}/ok"
    server.shutdown()
    server.server_close()


def cite(address):
    """A published organization whose website is `address`."""
    return factories.OrganizationFactory(website=address)


def outcome_of(address):
    return LinkCheck.objects.get(address=address)


def test_each_answer_is_recorded_with_its_outcome(site):
    addresses = {
        "ok": f"{site.url}/ok",
        "moved": f"{site.url}/moved",
        "loop": f"{site.url}/loop-a",
        "missing": f"{site.url}/missing",
        "far": f"{site.url}/far",
        "no-head": f"{site.url}/no-head",
    }
    for address in addresses.values():
        cite(address)
    summary = check_links()
    assert (summary.checked, summary.ok, summary.redirected, summary.broken) == (6, 2, 1, 3)
    ok = outcome_of(addresses["ok"])
    assert (ok.outcome, ok.status, ok.consecutive_failures) == (Outcome.OK, 200, 0)
    moved = outcome_of(addresses["moved"])
    assert (moved.outcome, moved.final_address) == (Outcome.REDIRECTED, f"{site.url}/ok")
    loop = outcome_of(addresses["loop"])
    assert (loop.outcome, loop.detail) == (Outcome.TOO_MANY_REDIRECTS, "redirect loop")
    far = outcome_of(addresses["far"])
    assert (far.outcome, far.detail) == (Outcome.TOO_MANY_REDIRECTS, "more than 5 redirects")
    missing = outcome_of(addresses["missing"])
    assert (missing.outcome, missing.status) == (Outcome.HTTP_ERROR, 404)
    assert missing.consecutive_failures == 1 and missing.first_failed is not None
    # HEAD refused, GET answered: the address works.
    assert outcome_of(addresses["no-head"]).outcome == Outcome.OK
    methods = [method for _at, method, _host, path in site.asked if path == "/no-head"]
    assert methods == ["HEAD", "GET"]


def test_the_requests_name_the_directory(site, settings):
    settings.SITE_URL = "https://directory.example.org"
    settings.LINK_CHECK_CONTACT = "links@example.org"
    seen = {}

    class Recorder(Handler):
        def answer(self):
            seen["agent"] = self.headers["User-Agent"]
            super().answer()

        do_HEAD = do_GET = answer

    site.RequestHandlerClass = Recorder
    check(f"{site.url}/ok", timeout=2)
    assert "https://directory.example.org" in seen["agent"]
    assert "links@example.org" in seen["agent"]


def test_a_server_that_never_answers_times_out(silent):
    started = time.monotonic()
    result = check(silent, timeout=0.5)
    assert result.outcome == Outcome.TIMEOUT
    assert time.monotonic() - started < 3


def test_a_certificate_nobody_vouches_for_is_a_tls_error(self_signed):
    result = check(self_signed, timeout=2)
    assert result.outcome == Outcome.TLS_ERROR
    assert "certificate" in result.detail.lower()


def test_an_unknown_host_is_a_dns_error():
    assert check("https://nowhere.invalid/", timeout=1).outcome == Outcome.DNS_ERROR


@pytest.mark.parametrize(
    "address", ["ftp://example.org/file.pdf", "http://[::1", "mailto:someone@example.org", "x"]
)
def test_an_address_that_is_not_a_web_one_is_recorded_never_a_crash(address):
    factories.SourceFactory(url=address)
    summary = check_links()
    assert (summary.checked, summary.broken) == (1, 1)
    assert outcome_of(address).outcome == Outcome.INVALID


def test_the_checker_never_edits_what_it_checks(site):
    organization = cite(f"{site.url}/missing")
    source = factories.SourceFactory(url=f"{site.url}/moved")
    versions = organization.history.count()
    check_links()
    organization.refresh_from_db()
    source.refresh_from_db()
    assert organization.website == f"{site.url}/missing"
    assert source.url == f"{site.url}/moved"
    assert organization.history.count() == versions


def test_drafts_websites_are_not_checked(site):
    factories.OrganizationFactory(website=f"{site.url}/ok", publication_status="draft")
    assert check_links().checked == 0


def notice(language):
    with translation.override(language):
        day = long_date(timezone.now())
    return {
        "en": f"this address did not answer on {day}",
        "fr": f"cette adresse n’a pas répondu le {day}",
    }[language]


def page(client, organization, language):
    return html(client.get(url("members:organization-detail", language, slug=organization.slug)))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_two_failures_in_a_row_mark_the_public_page(client, site, language):
    organization = cite(f"{site.url}/missing")
    source = factories.SourceFactory(url=f"{site.url}/loop-a", title="The loop report")
    organization.sources.add(source)
    check_links()
    assert notice(language) not in page(client, organization, language)
    check_links()
    shown = page(client, organization, language)
    assert shown.count(notice(language)) == 2  # the website, and the source in the list
    website_line = shown.split(f"{site.url}/missing</a>")[1].split("</dd>")[0]
    assert notice(language) in website_line
    source_line = shown.split("The loop report</a>")[1].split("</li>")[0]
    assert notice(language) in source_line


def test_an_address_that_answers_again_loses_its_mark(client, site):
    organization = cite(f"{site.url}/missing")
    check_links()
    check_links()
    assert notice("en") in page(client, organization, "en")
    Handler.ROUTES["/missing"] = (200, None)
    try:
        check_links()
    finally:
        Handler.ROUTES["/missing"] = (404, None)
    assert outcome_of(f"{site.url}/missing").consecutive_failures == 0
    assert notice("en") not in page(client, organization, "en")


def test_marks_cost_the_same_queries_with_tenfold_links(client):
    organization = factories.OrganizationFactory(website="https://gone.example.org/")
    checked = timezone.now()

    def add(count):
        for _ in range(count):
            source = factories.SourceFactory(url=f"https://gone.example.org/{_}-{time.time_ns()}")
            organization.sources.add(source)
            event = factories.EventFactory()
            factories.EventRoleFactory(event=event, organization=organization, source=source)
            for address in (source.url,):
                LinkCheck.objects.create(
                    address=address,
                    checked=checked,
                    outcome=Outcome.HTTP_ERROR,
                    consecutive_failures=2,
                    first_failed=checked,
                )

    LinkCheck.objects.create(
        address=organization.website,
        checked=checked,
        outcome=Outcome.TIMEOUT,
        consecutive_failures=3,
        first_failed=checked,
    )
    add(1)
    before = count_queries(lambda: page(client, organization, "en"))
    add(9)
    assert count_queries(lambda: page(client, organization, "en")) == before
    assert page(client, organization, "en").count(notice("en")) == 11


def test_one_host_at_a_time_and_hosts_in_turn(site, settings):
    port = site.server_address[1]
    for name in ("127.0.0.1", "localhost"):
        for n in range(3):
            cite(f"http://{name}:{port}/ok?n={n}")
    interval = 0.4
    started = time.monotonic()
    summary = check_links(interval=interval)
    took = time.monotonic() - started
    assert summary.checked == 6
    for name in ("127.0.0.1", "localhost"):
        times = [at for at, _method, host, _path in site.asked if host.startswith(name)]
        assert len(times) == 3
        gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
        assert min(gaps) >= interval - 0.02, gaps
    # The two hosts wait side by side: about two intervals, not five.
    assert took < 4 * interval


def test_a_run_stops_at_its_time_and_count_limits(site):
    for n in range(5):
        cite(f"{site.url}/ok?n={n}")
    summary = check_links(interval=10, timeout=1, max_seconds=2)
    assert summary.checked == 1
    assert summary.skipped_for_rate == 4
    assert "time limit" in summary.stopped
    summary = check_links(limit=2)
    assert (summary.checked, summary.over_limit) == (2, 3)
    # The longest unchecked come first: the four left last time.
    assert LinkCheck.objects.count() == 3


def test_the_command_shows_a_summary(site, capsys):
    cite(f"{site.url}/ok")
    cite(f"{site.url}/missing")
    factories.SourceFactory(url=f"{site.url}/moved")
    call_command("check_links", "--limit", "2")
    out = capsys.readouterr().out
    assert "Checked 2:" in out
    assert "1 over the limit" in out
    assert "Stopped early" in out
    call_command("check_links", "--host", "elsewhere.example.org")
    assert "Checked 0:" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--limit must be a positive"):
        call_command("check_links", "--limit", "0")


def test_the_dashboard_lists_broken_links_with_what_cites_them(staff_client, site):
    organization = cite(f"{site.url}/missing")
    source = factories.SourceFactory(url=f"{site.url}/missing", title="A lost report")
    cite(f"{site.url}/ok")
    check_links()
    index = html(staff_client.get("/admin/"))
    broken = index.split('id="broken-links"')[1].split("</div>")[0]
    assert f"{site.url}/missing" in broken
    assert f"{site.url}/ok" not in broken
    assert f"/admin/members/organization/{organization.pk}/change/" in broken
    assert f"/admin/ecosystem/source/{source.pk}/change/" in broken
    assert "A lost report" in broken
    changelist = html(staff_client.get("/admin/ecosystem/linkcheck/?state=failing"))
    assert f"{site.url}/missing" in changelist
    assert f"{site.url}/ok" not in changelist
    assert staff_client.get("/admin/ecosystem/linkcheck/add/").status_code == 403


def test_the_dashboard_says_nothing_when_every_link_answers(staff_client, site):
    cite(f"{site.url}/ok")
    check_links()
    assert 'id="broken-links"' not in html(staff_client.get("/admin/"))


def test_editors_see_the_broken_links_too(client, django_user_model, site):
    editor = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    client.force_login(editor)
    cite(f"{site.url}/missing")
    check_links()
    assert f"{site.url}/missing" in html(client.get("/admin/")).split('id="broken-links"')[1]
    assert client.get("/admin/ecosystem/linkcheck/").status_code == 200


def test_an_address_nobody_cites_any_more_is_forgotten(site):
    organization = cite(f"{site.url}/missing")
    check_links()
    organization.website = f"{site.url}/ok"
    organization.save()
    check_links(host="elsewhere.example.org")  # even a run limited to another host
    assert list(LinkCheck.objects.values_list("address", flat=True)) == []
    check_links()
    assert list(LinkCheck.objects.values_list("address", flat=True)) == [f"{site.url}/ok"]


def test_the_job_engine_checks_the_links_weekly():
    from datetime import timedelta

    from ecosystem.core.links.checker import weekly_link_check
    from ecosystem.jobs.schedule import SCHEDULES

    assert SCHEDULES[weekly_link_check.module_path].every == timedelta(weeks=1)
    # Nothing cited yet: nothing asked of the network.
    assert weekly_link_check.call()["checked"] == 0
