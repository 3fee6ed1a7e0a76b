"""The read-replica router (ecosystem/project/routers.py), with a second database alias.

The `replica` alias is a test mirror of the test database (tests/conftest.py), so both
aliases see the same rows; each test counts the queries each alias receives. The tests
commit (transaction=True): a replica only ever sees what the primary has committed.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connections, router
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from ecosystem.project.routers import replica_reads
from members.models import Organization
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def replica(settings):
    """The router and its middleware on, as DATABASE_REPLICA_URL turns them on."""
    settings.DATABASE_ROUTERS = ["ecosystem.project.routers.ReplicaRouter"]
    settings.MIDDLEWARE = ["ecosystem.project.routers.replica_reads", *settings.MIDDLEWARE]


class Queries:
    """The queries each alias received inside the block."""

    def __enter__(self):
        self.default = CaptureQueriesContext(connections["default"])
        self.replica = CaptureQueriesContext(connections["replica"])
        self.default.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)
        self.default.__exit__(*exc)


@pytest.fixture
def organization(db):
    return factories.OrganizationFactory(name_en="Replicated Association", slug="replicated")


def test_a_visitors_get_reads_from_the_replica(replica, client, organization):
    with Queries() as queries:
        response = client.get("/en/organizations/")
    assert response.status_code == 200
    assert "Replicated Association" in response.text
    assert len(queries.replica) > 0
    assert len(queries.default) == 0


def test_a_streamed_export_reads_from_the_replica_to_its_last_row(replica, client, organization):
    with Queries() as queries:
        response = client.get("/en/organizations/export.csv")
        body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Replicated Association" in body
    assert len(queries.replica) > 0
    assert len(queries.default) == 0


def test_a_post_reads_and_writes_on_the_primary(replica, client, django_user_model):
    django_user_model.objects.create_superuser("staff", "staff@example.org", "pw")
    with Queries() as queries:
        response = client.post("/admin/login/", {"username": "staff", "password": "pw"})
    assert response.status_code == 302
    assert len(queries.default) > 0
    assert len(queries.replica) == 0


def test_staff_read_from_the_primary_what_they_have_just_saved(replica, staff_client, organization):
    with Queries() as queries:
        response = staff_client.get("/en/organizations/replicated/")
    assert "Replicated Association" in response.text
    assert len(queries.default) > 0
    assert len(queries.replica) == 0


def test_a_get_that_writes_reads_from_the_primary_from_then_on(replica, organization):
    aliases = []

    def view(request):
        for step in ("read", "write", "read"):
            with Queries() as queries:
                if step == "read":
                    list(Organization.objects.all())
                else:
                    factories.OrganizationFactory(name_en="Written in a GET")
            aliases.append((step, "replica" if queries.replica.captured_queries else "default"))
        return HttpResponse("done")

    replica_reads(view)(RequestFactory().get("/"))
    assert aliases == [("read", "replica"), ("write", "default"), ("read", "default")]


def test_reads_after_the_request_and_outside_one_use_the_primary(replica, client, organization):
    client.get("/en/organizations/")
    with Queries() as queries:
        assert Organization.objects.filter(slug="replicated").exists()
    assert len(queries.default) == 1
    assert len(queries.replica) == 0


def test_migrations_run_on_the_primary_only(replica):
    assert router.allow_migrate("default", "members", model_name="organization")
    assert not router.allow_migrate("replica", "members", model_name="organization")


@pytest.mark.django_db(databases=[])
def test_database_replica_url_configures_the_alias_router_and_middleware():
    script = (
        "from django.conf import settings;"
        "print(settings.DATABASES['replica']['HOST'], settings.DATABASE_ROUTERS,"
        " settings.MIDDLEWARE[0], 'replica' in settings.DATABASES)"
    )
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "ecosystem.project.settings",
        "DATABASE_URL": "postgres://site@primary.example:5432/ecosystem",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**environment, "DATABASE_REPLICA_URL": "postgres://site@replica.example/ecosystem"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == [
        "replica.example",
        "['ecosystem.project.routers.ReplicaRouter']",
        "ecosystem.project.routers.replica_reads",
        "True",
    ]
    without = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.DATABASES)"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "replica" not in without.stdout
