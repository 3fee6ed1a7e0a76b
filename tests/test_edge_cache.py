"""What a shared cache in front of the site (nginx, a CDN) may keep: visitors' answers,
for EDGE_CACHE_SECONDS, and nothing staff or the admin are answered
(ecosystem.core.cache.shared_cache_control)."""

import http.client
import time

import pytest
from django.db import connections
from django.test import Client
from django.test.testcases import LiveServerThread, _StaticFilesHandler
from django.utils.cache import get_max_age

from bench import edge
from bench.serving import free_port
from programmes.models import Programme
from tests.helpers import admin_url, url
from tests.test_settings import start
from tests.world import build

pytestmark = pytest.mark.django_db

SHARED = {"public", "max-age=0", "s-maxage=30", "stale-while-revalidate=30"}


def directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def vary(response):
    return {part.strip().lower() for part in response.get("Vary", "").split(",")}


def may_be_shared(response):
    """Whether a shared cache may keep the answer (RFC 9111: no private, no no-store,
    and a freshness of its own)."""
    said = directives(response)
    return not said & {"private", "no-store"} and any(
        part.startswith("s-maxage=") or part == "public" for part in said
    )


def visitor_answers():
    """Each kind of answer visitors get, in both languages where its address has one."""
    answers = []
    for language in ("en", "fr"):
        answers += [
            url("home", language),
            url("programmes:programme-list", language) + "?country=SN",
            url("programmes:programme-detail", language, slug="agri-senegal"),
            url("feed", language),
            url("events:event-calendar", language, slug="sipen-next"),
        ]
    return [*answers, "/api/v1/programmes/?country=SN", "/sitemap.xml", "/events.ics"]


def test_every_kind_of_visitor_answer_may_be_kept_by_a_shared_cache(world):
    visitor = Client()
    for path in visitor_answers():
        response = visitor.get(path)
        assert response.status_code == 200, path
        assert directives(response) == SHARED, path
        assert response["ETag"].startswith('W/"'), path
        assert "cookie" in vary(response), path


@pytest.mark.parametrize("path", ["/api/v1/countries/", "/events.ics", "/sitemap.xml"])
def test_an_answer_in_the_visitors_language_varies_with_it(world, path):
    """Outside the language prefix the language comes from Accept-Language: a shared
    cache must keep one copy per language."""
    english = Client().get(path, HTTP_ACCEPT_LANGUAGE="en")
    french = Client().get(path, HTTP_ACCEPT_LANGUAGE="fr")
    assert english["Content-Language"] == "en"
    assert french["Content-Language"] == "fr"
    for response in (english, french):
        assert directives(response) == SHARED
        assert "accept-language" in vary(response)


def test_the_api_in_each_language_is_a_separate_copy(world):
    english = Client().get("/api/v1/countries/", HTTP_ACCEPT_LANGUAGE="en")
    french = Client().get("/api/v1/countries/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Senegal" in english.content.decode()
    assert "Sénégal" in french.content.decode()
    assert english["ETag"] != french["ETag"]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_304_carries_what_the_answer_carried(world, language):
    """A shared cache that revalidates its copy and gets a 304 keeps it as long again."""
    visitor = Client()
    path = url("programmes:programme-detail", language, slug="agri-senegal")
    first = visitor.get(path)
    again = visitor.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert directives(again) == SHARED
    assert again["ETag"] == first["ETag"]
    assert "cookie" in vary(again)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_staff_pages_and_draft_previews_are_never_shared(staff_client, world, language):
    published = url("programmes:programme-detail", language, slug="agri-senegal")
    draft = url("programmes:programme-detail", language, slug="draft-programme")
    for path in (url("home", language), published, draft, "/api/v1/programmes/", "/events.ics"):
        response = staff_client.get(path)
        assert response.status_code == 200, path
        assert not may_be_shared(response), path
        assert {"private", "no-cache"} <= directives(response), path
    name = getattr(world["draft"], f"name_{language}")
    assert name in staff_client.get(draft).content.decode()


def test_the_admin_is_never_shared(staff_client, world):
    for path in (admin_url(Programme, "changelist"), admin_url(Programme, "add")):
        response = staff_client.get(path)
        assert response.status_code == 200
        assert "private" in directives(response)
        assert not may_be_shared(response)
    login = Client().get(admin_url(Programme, "changelist"), follow=True)
    assert login.status_code == 200
    assert "private" in directives(login)


def test_a_stale_session_cookie_is_never_shared(world, settings):
    """A visitor's browser may still send the cookie of a session that has ended: the
    answer is the public page, but whoever sends a session is served privately."""
    visitor = Client()
    visitor.cookies[settings.SESSION_COOKIE_NAME] = "ended"
    response = visitor.get(url("programmes:programme-list", "fr"))
    assert response.status_code == 200
    assert not may_be_shared(response)
    assert {"private", "no-cache"} <= directives(response)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_error_page_is_not_shared(world, language):
    response = Client().get(url("programmes:programme-detail", language, slug="no-such-programme"))
    assert response.status_code == 404
    assert not may_be_shared(response)
    assert "ETag" not in response


def test_an_export_may_be_kept_by_a_shared_cache_but_not_the_page_of_one_being_prepared(
    world, settings, tmp_path
):
    """An export streamed costs its rows each time, and a prepared file its bytes: a
    shared cache in front may keep either as it keeps pages. The page of one being
    prepared changes as it is written: never."""
    for language in ("en", "fr"):
        response = Client().get(url("programmes:programme-export", language))
        assert response.status_code == 200 and response.streaming
        assert directives(response) == SHARED
    settings.EXPORT_STREAM_MAX_ROWS = 1
    settings.MEDIA_ROOT = tmp_path
    response = Client().get(url("programmes:programme-export", "fr"))
    assert "Votre export est en préparation" in response.content.decode()
    assert not may_be_shared(response)
    from ecosystem.core.export_files import ExportFile, prepare_export

    prepare_export.call(ExportFile.objects.get().pk)
    response = Client().get(url("programmes:programme-export", "fr"))
    assert response.streaming and response["Last-Modified"]
    assert directives(response) == SHARED


def test_zero_keeps_shared_caches_out(world, settings):
    settings.EDGE_CACHE_SECONDS = 0
    visitor = Client()
    for path in (url("programmes:programme-list", "en"), "/api/v1/programmes/", "/events.ics"):
        response = visitor.get(path)
        assert directives(response) == {"no-cache"}, path
        again = visitor.get(path, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304
        assert directives(again) == {"no-cache"}, path


def test_no_stale_time_leaves_the_directive_out(world, settings):
    settings.EDGE_CACHE_SECONDS = 300
    settings.EDGE_STALE_SECONDS = 0
    response = Client().get(url("programmes:programme-list", "fr"))
    assert directives(response) == {"public", "max-age=0", "s-maxage=300"}
    assert get_max_age(response) == 0  # browsers ask each time


@pytest.mark.parametrize("name", ["EDGE_CACHE_SECONDS", "EDGE_STALE_SECONDS"])
def test_a_negative_time_is_refused_at_start(name):
    started = start("import django; django.setup()", DEBUG="1", **{name: "-5"})
    assert started.returncode != 0
    assert "EDGE_CACHE_SECONDS and EDGE_STALE_SECONDS are 0 or more seconds" in started.stderr


# A real nginx in front, with the directives docs/deployment.md shows (bench/edge.py).


def through(port, path, **headers):
    """(status, nginx's cache status, body, headers) of a GET through nginx."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={k.replace("_", "-"): v for k, v in headers.items()})
    response = connection.getresponse()
    body = response.read().decode()
    connection.close()
    return response.status, response.headers["X-Cache-Status"], body, response.headers


@pytest.fixture
def site_port(transactional_db):
    """The site served in a thread, as pytest-django's live_server does, but with its
    middleware built under this test's settings (live_server's is built once, before
    them, with the https redirect on)."""
    shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    thread = LiveServerThread("127.0.0.1", _StaticFilesHandler, shared, port=0)
    thread.daemon = True
    for connection in shared.values():
        connection.inc_thread_sharing()
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield thread.port
    finally:
        thread.terminate()
        for connection in shared.values():
            connection.dec_thread_sharing()


@pytest.fixture
def nginx(site_port, tmp_path):
    if not edge.nginx():
        pytest.skip("nginx is not installed (apt-get install nginx)")
    server = edge.Edge(free_port(), site_port, tmp_path / "nginx")
    try:
        server.wait_ready()
        yield server.port
    finally:
        server.stop()


def test_nginx_keeps_what_visitors_get_and_never_what_staff_get(nginx, settings, django_user_model):
    world = build()
    staff = Client()
    staff.force_login(django_user_model.objects.create_superuser("staff", "staff@example.org"))
    session = f"{settings.SESSION_COOKIE_NAME}={staff.cookies[settings.SESSION_COOKIE_NAME].value}"
    page = url("programmes:programme-list", "fr")
    assert through(nginx, page)[:2] == (200, "MISS")
    status, cache_status, body, headers = through(nginx, page)
    assert (status, cache_status) == (200, "HIT")
    assert world["draft"].name_fr not in body
    # A browser revalidating gets a 304 from nginx's copy.
    assert through(nginx, page, If_None_Match=headers["ETag"])[:2] == (304, "HIT")
    # Staff reach the site, their draft previews included, and nothing of theirs is kept.
    assert through(nginx, page, Cookie=session)[:2] == (200, "BYPASS")
    draft = url("programmes:programme-detail", "fr", slug="draft-programme")
    status, cache_status, body, _headers = through(nginx, draft, Cookie=session)
    assert (status, cache_status) == (200, "BYPASS")
    assert world["draft"].name_fr in body
    assert through(nginx, draft)[:2] == (404, "MISS")
    assert through(nginx, draft)[:2] == (404, "MISS")  # an error is not kept
    status, cache_status, body, _headers = through(nginx, page)
    assert (status, cache_status) == (200, "HIT")
    assert world["draft"].name_fr not in body


def test_nginx_answers_with_its_old_copy_while_it_fetches_the_new_one(nginx, settings):
    """stale-while-revalidate: past s-maxage the visitor is not kept waiting; the copy
    is fetched again in the background."""
    settings.EDGE_CACHE_SECONDS = 1
    build()
    page = "/api/v1/programmes/"
    assert through(nginx, page)[:2] == (200, "MISS")
    time.sleep(2.1)  # nginx counts whole seconds: a copy of 1 s may serve into the next
    assert through(nginx, page)[:2] == (200, "STALE")
    deadline = time.monotonic() + 5
    while (status := through(nginx, page)[1]) != "HIT" and time.monotonic() < deadline:
        time.sleep(0.1)  # until the background request has brought the new copy
    assert status == "HIT"
