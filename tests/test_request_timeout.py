"""Every web request is bounded in time: gunicorn, as configured for production
(gunicorn.conf.py), ends a request stuck past REQUEST_TIMEOUT seconds, whether it is stuck
in Python or in C, and keeps serving. Here the bound is 2 s, to keep the test short."""

import http.client
import time

import pytest

from tests.e2e.server import free_port, gunicorn, production_env
from tests.test_faults import collected_static  # noqa: F401  (a fixture)

TIMEOUT = 2
# The timeout, the arbiter's check each second, and a fresh worker loading the site, on a
# CI machine running other suites: without the bound these requests never end.
WITHIN = TIMEOUT + 8


def ask(port, path):
    """(status, body, seconds); status None when the server closed the connection without
    an answer."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WITHIN + 5)
    try:
        connection.request("GET", path, headers={"Accept-Language": "en"})
        response = connection.getresponse()
        status, body = response.status, response.read().decode()
    except (http.client.RemoteDisconnected, ConnectionResetError):
        status, body = None, ""
    finally:
        connection.close()
    return status, body, time.monotonic() - started


@pytest.fixture
def site(tmp_path, collected_static):  # noqa: F811
    port = free_port()
    env = production_env(tmp_path, port, f"sqlite:///{tmp_path / 'empty.sqlite3'}") | {
        "STATIC_ROOT": str(collected_static),
        "DJANGO_SETTINGS_MODULE": "tests.stuck_site.settings",
        "REQUEST_TIMEOUT": str(TIMEOUT),
    }
    # One worker: the request after a stuck one is served by the worker that replaced it.
    with gunicorn(env, tmp_path, port, "--workers", "1"):
        assert ask(port, "/robots.txt")[0] == 200  # the worker has loaded the site
        yield port


def test_a_request_stuck_in_python_is_answered_500_and_the_site_serves_on(site):
    status, page, seconds = ask(site, "/stuck/python")
    assert status == 500
    assert "<h1>Something went wrong</h1>" in page
    assert seconds < WITHIN
    assert ask(site, "/robots.txt")[0] == 200


def test_a_request_stuck_in_c_is_cut_off_and_the_site_serves_on(site):
    status, _page, seconds = ask(site, "/stuck/c")
    assert status is None  # the worker was killed: no answer, the connection closed
    assert seconds < WITHIN
    assert ask(site, "/robots.txt")[0] == 200
