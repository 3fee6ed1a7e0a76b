"""The cache fails open: with Redis stopped or frozen, pages, the API and the suggestion
form answer as usual, from the database, within a second; /healthz says the cache is
degraded with a 200; the log says it once; and when Redis is back the cache is used
again. Against a Redis server of the test's own, configured as production configures it
(ecosystem/project/settings.py with REDIS_URL)."""

import logging
import os
import runpy
import shutil
import signal
import socket
import subprocess
import time
from unittest import mock

import pytest
from django.test import Client

from suggestions.models import Suggestion
from tests.e2e.server import ROOT, free_port
from tests.helpers import count_queries
from tests.test_suggestions import NEW_SME

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
]

# The bound for a request while Redis fails.
WITHIN = 1
# How long the cache is left alone after a failure, shortened for the test.
RETRY_AFTER = 1
PATHS = ["/en/programmes/", "/fr/programmes/", "/api/v1/programmes/", "/en/"]


class RedisServer:
    def __init__(self, workdir):
        self.workdir = workdir
        self.port = free_port()
        self.process = None
        self.start()

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.kill()
        self.process.wait()

    def freeze(self):
        """Stopped by the kernel: connections are still accepted, nothing is answered."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)

    def close(self):
        self.thaw()
        self.stop()


@pytest.fixture
def redis(tmp_path, settings):
    server = RedisServer(tmp_path)
    environment = {"REDIS_URL": f"redis://127.0.0.1:{server.port}/0"}
    environment["CACHE_RETRY_AFTER"] = str(RETRY_AFTER)
    with mock.patch.dict(os.environ, environment):
        production = runpy.run_path(str(ROOT / "ecosystem" / "project" / "settings.py"))
    settings.CACHES = production["CACHES"]
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def client():
    """A visitor's browser: it sees the answer of a failed request, never the exception."""
    return Client(raise_request_exception=False)


def timed_get(client, path):
    started = time.monotonic()
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    return response, time.monotonic() - started


@pytest.mark.parametrize("fault", ["stopped", "frozen"])
def test_the_site_serves_the_same_answers_within_a_second_without_redis(
    client, world, redis, fault
):
    before = {path: timed_get(client, path)[0].content for path in PATHS}
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok"}

    redis.stop() if fault == "stopped" else redis.freeze()
    for path in PATHS:
        response, seconds = timed_get(client, path)
        assert response.status_code == 200, path
        assert response.content == before[path]
        assert seconds < WITHIN, path
    health, seconds = timed_get(client, "/healthz")
    assert health.status_code == 200
    assert health.json() == {"status": "degraded", "database": "ok", "cache": "degraded"}
    assert seconds < WITHIN

    redis.start() if fault == "stopped" else redis.thaw()
    time.sleep(RETRY_AFTER)
    assert client.get("/healthz").json()["cache"] == "ok"
    client.get("/en/programmes/")
    # Kept again: a repeat visit costs the data version's query alone.
    assert count_queries(lambda: client.get("/en/programmes/"), cold=False) == 1


def test_the_failure_and_the_return_are_logged_once(client, world, redis, caplog):
    caplog.set_level(logging.INFO, logger="ecosystem.project.redis_cache")
    redis.stop()
    for path in PATHS * 3:
        assert client.get(path).status_code == 200
    redis.start()
    time.sleep(RETRY_AFTER)
    for path in PATHS:
        client.get(path)
    messages = [r.getMessage() for r in caplog.records if r.name == "ecosystem.project.redis_cache"]
    assert len(messages) == 2, messages
    assert "unavailable (ConnectionError" in messages[0]
    assert "trying again every 1 s" in messages[0]
    assert "available again" in messages[1]


def test_suggestions_are_taken_while_redis_is_down(client, seeded, redis):
    redis.stop()
    response, seconds = timed_get(client, "/en/suggest/")
    assert response.status_code == 200 and seconds < WITHIN
    # The rate limit counts in the cache: without it, suggestions are let through.
    response = client.post("/en/suggest/", NEW_SME)
    assert response.status_code == 302
    assert Suggestion.objects.get().name == "Agro Sahel Tech"
